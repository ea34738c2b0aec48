// SPDX-License-Identifier: Apache-2.0
#include "io/JsonModel.h"

#include "util/TextEscape.h"

namespace flashplan {

using json = nlohmann::ordered_json;

json toJson(const Properties& properties) {
    json out = json::object();
    for (const auto& [k, v] : properties)
        out[k] = v;
    return out;
}

json toJson(const FlashDevice& d) {
    json runs = json::array();
    for (const SectorRun& r : d.sectors.runs())
        runs.push_back({{"count", r.count}, {"size", r.size}});
    return {
        {"id", d.id},
        {"name", d.name},
        {"kind", std::string(to_string(d.kind))},
        {"external", isExternal(d.kind)},
        {"cpu_base", d.cpuBase ? json(*d.cpuBase) : json(nullptr)},
        {"size", d.size()},
        {"write_block_size", d.writeBlockSize},
        {"write_block_known", d.writeBlockKnown},
        {"erase_value", d.eraseValue},
        {"erase_required", d.eraseRequired},
        {"geometry_inferred", d.geometryInferred},
        {"sector_count", d.sectors.sectorCount()},
        {"sectors", runs},
        {"xip", d.xip ? json{{"address", d.xip->address}, {"size", d.xip->size}} : json(nullptr)},
    };
}

json toJson(const Board& b) {
    json devices = json::array();
    for (const FlashDevice& d : b.devices)
        devices.push_back(toJson(d));
    json programmer = json::object();
    const ProgrammerHints& h = b.programmer;
    if (!h.openocdInterface.empty() || !h.openocdTarget.empty() || !h.openocdTransport.empty() ||
        !h.probeSerial.empty()) {
        programmer["openocd"] = {{"interface", h.openocdInterface}, {"target", h.openocdTarget}};
        if (!h.openocdTransport.empty())
            programmer["openocd"]["transport"] = h.openocdTransport;
        if (!h.probeSerial.empty())
            programmer["openocd"]["serial"] = h.probeSerial;
    }
    if (h.dfuVendorId && h.dfuProductId) {
        json alts = json::array();
        for (const DfuAlt& a : h.dfuAlts)
            alts.push_back({{"index", a.index}, {"device", a.device}, {"descriptor", a.descriptor}});
        programmer["dfu"] = {{"vid", *h.dfuVendorId}, {"pid", *h.dfuProductId}, {"alts", alts}};
    }
    json out = {{"id", b.id},   {"name", b.name},     {"vendor", b.vendor},
                {"soc", b.soc}, {"devices", devices}, {"programmer", programmer}};
    if (b.source) {
        json algorithms = json::array();
        for (const AlgorithmSource& a : b.source->algorithms)
            algorithms.push_back({{"device", a.device},
                                  {"file", a.file},
                                  {"alias", a.alias ? json(*a.alias) : json(nullptr)}});
        out["source"] = {{"kind", b.source->kind},  {"vendor", b.source->vendor},
                         {"pack", b.source->pack},  {"version", b.source->version},
                         {"file", b.source->file},  {"algorithms", algorithms},
                         {"notes", b.source->notes}};
    }
    return out;
}

json toJson(const Layout& l) {
    json parts = json::array();
    for (std::size_t i = 0; i < l.partitions.size(); ++i) {
        const Partition& p = l.partitions[i];
        const FlashDevice* d = l.deviceOf(p);
        json address = nullptr;
        json sectors = nullptr;
        if (d) {
            if (const auto cpu = d->cpuAddress(p.offset))
                address = *cpu;
            const auto first = d->sectors.sectorAt(p.offset);
            const auto last = p.size ? d->sectors.sectorAt(p.end() - 1) : std::nullopt;
            if (first && last)
                sectors = {{"first", first->index}, {"count", last->index - first->index + 1}};
        }
        parts.push_back({
            {"index", i},
            {"label", p.label},
            {"device", p.device},
            {"offset", p.offset},
            {"size", p.size},
            {"end", p.end()},
            {"cpu_address", address},
            {"sectors", sectors},
            {"read_only", p.readOnly},
            {"role", std::string(to_string(p.role))},
            {"image_index", p.imageIndex},
            {"image", p.image.empty() ? json(nullptr) : json(p.image)},
            {"parent", p.parent.empty() ? json(nullptr) : json(p.parent)},
            {"properties", toJson(p.properties)},
        });
    }
    json settings = json::object();
    for (const auto& [k, v] : l.bootloader.settings)
        settings[k] = v;
    return {
        {"name", l.name},
        {"description", l.description},
        {"board_ref", l.boardRef.empty() ? json(nullptr) : json(l.boardRef)},
        {"board", toJson(l.board)},
        {"bootloader", {{"kind", l.bootloader.kind}, {"mode", l.bootloader.mode}, {"settings", settings}}},
        {"platform", std::string(to_string(l.platform))},
        {"partitions", parts},
        {"properties", toJson(l.properties)},
    };
}

json toJson(const Diagnostic& d, const Layout& layout) {
    json labels = json::array();
    for (std::size_t i : d.partitions)
        labels.push_back(i < layout.partitions.size() ? json(layout.partitions[i].label) : json(nullptr));
    json fix = nullptr;
    if (d.fix) {
        json edits = json::array();
        for (const PartitionEdit& e : d.fix->edits)
            edits.push_back({{"partition", e.partition}, {"offset", e.offset}, {"size", e.size}});
        json settings = json::object();
        for (const auto& [name, value] : d.fix->settings)
            settings[name] = value;
        fix = {{"description", d.fix->description}, {"edits", edits}, {"settings", settings}};
    }
    return {{"severity", std::string(to_string(d.severity))},
            {"rule", d.rule},
            {"message", d.message},
            {"partitions", labels},
            {"partition_indexes", d.partitions},
            {"fix", fix}};
}

json toJson(const std::vector<Diagnostic>& diagnostics, const Layout& layout) {
    json out = json::array();
    for (const Diagnostic& d : diagnostics)
        out.push_back(toJson(d, layout));
    return out;
}

json toJson(const Error& e) {
    return {{"code", to_string(e.code)},
            {"message", e.message},
            {"file", e.where.file.empty() ? json(nullptr) : json(e.where.file)},
            {"line", e.where.line > 0 ? json(e.where.line) : json(nullptr)},
            {"column", e.where.column > 0 ? json(e.where.column) : json(nullptr)},
            {"field", e.field.empty() ? json(nullptr) : json(e.field)},
            {"text", e.toString()}};
}

namespace {
void makeValidUtf8(json& j) {
    if (j.is_string()) {
        auto& s = j.get_ref<std::string&>();
        if (!isValidUtf8(s))
            s = escapeNonUtf8(s);
    } else if (j.is_array()) {
        for (json& element : j)
            makeValidUtf8(element);
    } else if (j.is_object()) {
        bool keysValid = true;
        for (auto it = j.begin(); it != j.end(); ++it)
            keysValid = keysValid && isValidUtf8(it.key());
        if (!keysValid) {
            json keyed = json::object(); // rebuilt in the same order, which ordered_json keeps
            for (auto it = j.begin(); it != j.end(); ++it)
                keyed[escapeNonUtf8(it.key())] = std::move(it.value());
            j = std::move(keyed);
        }
        for (json& value : j)
            makeValidUtf8(value);
    }
}
} // namespace

std::string dumpJson(json document, int indent) {
    makeValidUtf8(document);
    return document.dump(indent);
}

} // namespace flashplan
