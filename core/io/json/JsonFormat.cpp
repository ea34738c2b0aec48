// SPDX-License-Identifier: Apache-2.0
#include "io/json/JsonFormat.h"

#include "io/JsonModel.h"
#include "util/Numbers.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace flashplan {

using json = nlohmann::ordered_json;

namespace {

/// Reads one JSON document into model values. Errors carry the file and, as `field`, the JSON path of the
/// value at fault ("layout.partitions[2].size"), since JSON values keep no line numbers once parsed.
class Reader {
public:
    explicit Reader(std::string fileName) : file_(std::move(fileName)) {}

    Error error(const std::string& path, const std::string& message) const {
        Error e = makeError(Errc::Schema, message);
        e.where.file = file_;
        e.field = path;
        return e;
    }

    Result<const json*> member(const json& object, const std::string& path, const char* key,
                               bool required) const {
        if (!object.is_object())
            return error(path, "expected an object");
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) {
            if (required)
                return error(path + "." + key, "required member missing");
            return static_cast<const json*>(nullptr);
        }
        return &*it;
    }

    Result<std::string> text(const json& object, const std::string& path, const char* key,
                             bool required) const {
        auto m = member(object, path, key, required);
        if (!m)
            return m.error();
        if (!*m)
            return std::string();
        if (!(*m)->is_string())
            return error(path + "." + key, "expected a string");
        return (*m)->get<std::string>();
    }

    Result<std::optional<std::uint64_t>> number(const json& object, const std::string& path, const char* key,
                                                bool required) const {
        auto m = member(object, path, key, required);
        if (!m)
            return m.error();
        if (!*m)
            return std::optional<std::uint64_t>{};
        const json& v = **m;
        if (v.is_number_unsigned())
            return std::optional<std::uint64_t>(v.get<std::uint64_t>());
        if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
            return std::optional<std::uint64_t>(static_cast<std::uint64_t>(v.get<std::int64_t>()));
        if (v.is_string()) {
            auto n = parseNumber(v.get<std::string>());
            if (!n)
                return error(path + "." + key, n.error().message);
            return std::optional<std::uint64_t>(*n);
        }
        return error(path + "." + key, "expected a non-negative integer");
    }

    Result<bool> flag(const json& object, const std::string& path, const char* key) const {
        auto m = member(object, path, key, false);
        if (!m)
            return m.error();
        if (!*m)
            return false;
        if (!(*m)->is_boolean())
            return error(path + "." + key, "expected true or false");
        return (*m)->get<bool>();
    }

    Result<Properties> properties(const json& object, const std::string& path) const {
        Properties out;
        auto m = member(object, path, "properties", false);
        if (!m)
            return m.error();
        if (!*m)
            return out;
        if (!(*m)->is_object())
            return error(path + ".properties", "expected an object of strings");
        for (const auto& [k, v] : (*m)->items()) {
            if (!v.is_string())
                return error(path + ".properties." + k, "expected a string");
            out.emplace_back(k, v.get<std::string>());
        }
        return out;
    }

    Result<FlashDevice> device(const json& j, const std::string& path) const;
    Result<Board> board(const json& j, const std::string& path) const;
    Result<Partition> partition(const json& j, const std::string& path) const;
    Result<Layout> layout(const json& j, const std::string& path, const BoardCatalog* db) const;

private:
    std::string file_;
};

#define FP_TRY(var, expr)                                                                                    \
    auto var = (expr);                                                                                       \
    if (!var)                                                                                                \
        return var.error();

Result<FlashDevice> Reader::device(const json& j, const std::string& path) const {
    FlashDevice d;
    FP_TRY(id, text(j, path, "id", true));
    d.id = *id;
    FP_TRY(name, text(j, path, "name", false));
    d.name = name->empty() ? d.id : *name;
    FP_TRY(kind, text(j, path, "kind", true));
    const auto k = flashKindFromString(*kind);
    if (!k)
        return error(path + ".kind", "'" + *kind + "' is not one of internal, spi, qspi, ospi");
    d.kind = *k;
    FP_TRY(base, number(j, path, "cpu_base", false));
    d.cpuBase = *base;
    FP_TRY(wbs, number(j, path, "write_block_size", false));
    if (wbs->value_or(1) == 0 || wbs->value_or(1) > UINT32_MAX)
        return error(path + ".write_block_size", "must be between 1 and 2^32-1");
    d.writeBlockSize = static_cast<std::uint32_t>(wbs->value_or(1));
    FP_TRY(wbsKnown, member(j, path, "write_block_known", false));
    d.writeBlockKnown = !*wbsKnown || !(*wbsKnown)->is_boolean() || (*wbsKnown)->get<bool>();
    FP_TRY(ev, number(j, path, "erase_value", false));
    if (ev->value_or(0xff) > 0xff)
        return error(path + ".erase_value", "is one byte (0..255)");
    d.eraseValue = static_cast<std::uint8_t>(ev->value_or(0xff));
    FP_TRY(eraseRequired, member(j, path, "erase_required", false));
    d.eraseRequired = !*eraseRequired || !(*eraseRequired)->is_boolean() || (*eraseRequired)->get<bool>();
    FP_TRY(inferred, member(j, path, "geometry_inferred", false));
    d.geometryInferred = *inferred && (*inferred)->is_boolean() && (*inferred)->get<bool>();

    FP_TRY(sectors, member(j, path, "sectors", true));
    if (!(*sectors)->is_array() || (*sectors)->empty())
        return error(path + ".sectors", "expected a non-empty array of {count, size}");
    std::vector<SectorRun> runs;
    for (std::size_t i = 0; i < (*sectors)->size(); ++i) {
        const std::string p = path + ".sectors[" + std::to_string(i) + "]";
        FP_TRY(count, number((**sectors)[i], p, "count", true));
        FP_TRY(size, number((**sectors)[i], p, "size", true));
        runs.push_back({**count, **size});
    }
    auto map = SectorMap::fromRuns(runs);
    if (!map)
        return error(path + ".sectors", map.error().message);
    d.sectors = std::move(*map);
    FP_TRY(size, number(j, path, "size", false));
    if (*size && **size != d.size())
        return error(path + ".size", "size " + formatHex(**size) +
                                         " differs from the sum of the sector runs " + formatHex(d.size()));
    FP_TRY(xip, member(j, path, "xip", false));
    if (*xip) {
        FP_TRY(addr, number(**xip, path + ".xip", "address", true));
        FP_TRY(xsize, number(**xip, path + ".xip", "size", true));
        d.xip = XipWindow{**addr, **xsize};
    }
    return d;
}

Result<Board> Reader::board(const json& j, const std::string& path) const {
    Board b;
    FP_TRY(id, text(j, path, "id", true));
    b.id = *id;
    FP_TRY(name, text(j, path, "name", false));
    b.name = name->empty() ? b.id : *name;
    FP_TRY(vendor, text(j, path, "vendor", false));
    b.vendor = *vendor;
    FP_TRY(soc, text(j, path, "soc", false));
    b.soc = *soc;
    FP_TRY(devices, member(j, path, "devices", true));
    if (!(*devices)->is_array() || (*devices)->empty())
        return error(path + ".devices", "expected a non-empty array of flash devices");
    for (std::size_t i = 0; i < (*devices)->size(); ++i) {
        FP_TRY(d, device((**devices)[i], path + ".devices[" + std::to_string(i) + "]"));
        if (b.device(d->id))
            return error(path + ".devices[" + std::to_string(i) + "].id",
                         "device '" + d->id + "' appears twice");
        b.devices.push_back(std::move(*d));
    }
    FP_TRY(programmer, member(j, path, "programmer", false));
    if (*programmer) {
        const std::string pp = path + ".programmer";
        FP_TRY(openocd, member(**programmer, pp, "openocd", false));
        if (*openocd) {
            FP_TRY(iface, text(**openocd, pp + ".openocd", "interface", false));
            FP_TRY(target, text(**openocd, pp + ".openocd", "target", false));
            FP_TRY(transport, text(**openocd, pp + ".openocd", "transport", false));
            FP_TRY(serial, text(**openocd, pp + ".openocd", "serial", false));
            b.programmer.openocdInterface = *iface;
            b.programmer.openocdTarget = *target;
            b.programmer.openocdTransport = *transport;
            b.programmer.probeSerial = *serial;
        }
        FP_TRY(dfu, member(**programmer, pp, "dfu", false));
        if (*dfu) {
            FP_TRY(vid, number(**dfu, pp + ".dfu", "vid", true));
            FP_TRY(pid, number(**dfu, pp + ".dfu", "pid", true));
            if (**vid > 0xffff || **pid > 0xffff)
                return error(pp + ".dfu", "USB ids are 16 bits");
            b.programmer.dfuVendorId = static_cast<std::uint16_t>(**vid);
            b.programmer.dfuProductId = static_cast<std::uint16_t>(**pid);
            FP_TRY(alts, member(**dfu, pp + ".dfu", "alts", false));
            if (*alts && (*alts)->is_array())
                for (std::size_t i = 0; i < (*alts)->size(); ++i) {
                    const std::string ap = pp + ".dfu.alts[" + std::to_string(i) + "]";
                    FP_TRY(index, number((**alts)[i], ap, "index", true));
                    FP_TRY(dev, text((**alts)[i], ap, "device", true));
                    FP_TRY(desc, text((**alts)[i], ap, "descriptor", false));
                    if (!b.device(*dev))
                        return error(ap + ".device", "'" + *dev + "' is not a device of the board");
                    b.programmer.dfuAlts.push_back({static_cast<int>(**index), *dev, *desc});
                }
        }
    }
    return b;
}

Result<Partition> Reader::partition(const json& j, const std::string& path) const {
    Partition p;
    FP_TRY(label, text(j, path, "label", true));
    p.label = *label;
    FP_TRY(device, text(j, path, "device", true));
    p.device = *device;
    FP_TRY(offset, number(j, path, "offset", true));
    p.offset = **offset;
    FP_TRY(size, number(j, path, "size", true));
    p.size = **size;
    if (addOverflows(p.offset, p.size))
        return error(path + ".size", "offset + size does not fit in 64 bits");
    FP_TRY(ro, flag(j, path, "read_only"));
    p.readOnly = *ro;
    FP_TRY(role, text(j, path, "role", false));
    if (!role->empty()) {
        const auto r = partitionRoleFromString(*role);
        if (!r)
            return error(path + ".role", "'" + *role + "' is not a role");
        p.role = *r;
    }
    FP_TRY(imageIndex, number(j, path, "image_index", false));
    if (imageIndex->value_or(0) > 255)
        return error(path + ".image_index", "image indexes go from 0 to 255");
    p.imageIndex = static_cast<int>(imageIndex->value_or(0));
    FP_TRY(image, text(j, path, "image", false));
    p.image = *image;
    FP_TRY(parent, text(j, path, "parent", false));
    p.parent = *parent;
    FP_TRY(props, properties(j, path));
    p.properties = std::move(*props);
    return p;
}

Result<Layout> Reader::layout(const json& j, const std::string& path, const BoardCatalog* db) const {
    Layout l;
    FP_TRY(name, text(j, path, "name", false));
    l.name = *name;
    FP_TRY(description, text(j, path, "description", false));
    l.description = *description;
    FP_TRY(ref, text(j, path, "board_ref", false));
    FP_TRY(boardJson, member(j, path, "board", ref->empty()));
    if (!ref->empty()) {
        const Board* b = db ? db->find(*ref) : nullptr;
        if (!b) {
            Error e = error(path + ".board_ref", "board '" + *ref + "' is not in the device database");
            e.code = Errc::NotFound;
            return e;
        }
        l.board = *b;
        l.boardRef = *ref;
    } else {
        FP_TRY(b, board(**boardJson, path + ".board"));
        l.board = std::move(*b);
    }
    FP_TRY(platform, text(j, path, "platform", false));
    if (!platform->empty()) {
        const auto p = platformFromString(*platform);
        if (!p)
            return error(path + ".platform", "'" + *platform +
                                                 "' is not a platform (generic, zephyr, partition-manager, "
                                                 "wolfboot, esp-idf)");
        l.platform = *p;
    }
    FP_TRY(bl, member(j, path, "bootloader", false));
    if (*bl) {
        FP_TRY(kind, text(**bl, path + ".bootloader", "kind", false));
        if (!kind->empty())
            l.bootloader.kind = *kind;
        FP_TRY(mode, text(**bl, path + ".bootloader", "mode", false));
        l.bootloader.mode = *mode;
        FP_TRY(settings, member(**bl, path + ".bootloader", "settings", false));
        if (*settings) {
            if (!(*settings)->is_object())
                return error(path + ".bootloader.settings", "expected an object of strings");
            for (const auto& [k, v] : (*settings)->items()) {
                if (!v.is_string())
                    return error(path + ".bootloader.settings." + k, "expected a string");
                l.bootloader.settings.emplace_back(k, v.get<std::string>());
            }
        }
    }
    FP_TRY(parts, member(j, path, "partitions", true));
    if (!(*parts)->is_array())
        return error(path + ".partitions", "expected an array");
    for (std::size_t i = 0; i < (*parts)->size(); ++i) {
        FP_TRY(p, partition((**parts)[i], path + ".partitions[" + std::to_string(i) + "]"));
        l.partitions.push_back(std::move(*p));
    }
    FP_TRY(props, properties(j, path));
    l.properties = std::move(*props);
    return l;
}

#undef FP_TRY

/// Line and column of a byte offset in `text` (1-based).
SourceLocation locate(std::string_view text, std::size_t offset, const std::string& file) {
    SourceLocation loc{file, 1, 1};
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++loc.line;
            loc.column = 1;
        } else {
            ++loc.column;
        }
    }
    return loc;
}

} // namespace

int JsonImporter::sniff(std::string_view text, std::string_view fileName) const {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{')
        return 0;
    if (text.find(kJsonLayoutSchema) != std::string_view::npos ||
        text.find("\"layout\"") != std::string_view::npos)
        return 95;
    return fileName.ends_with(".json") ? 40 : 10;
}

Result<ImportResult> JsonImporter::read(std::string_view text, const std::string& fileName,
                                        const ImportOptions& options) const {
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        Error err = makeError(Errc::Parse, std::string("JSON is not well-formed: ") + e.what());
        err.where = locate(text, e.byte > 0 ? e.byte - 1 : 0, fileName);
        return err;
    }
    const Reader reader(fileName);
    if (!doc.is_object())
        return reader.error("", "expected a JSON object with a \"layout\" member");
    const auto it = doc.find("layout");
    if (it == doc.end())
        return reader.error("layout",
                            "required member missing (a flashplan-layout/1 document holds the layout there)");
    if (const auto schema = doc.find("schema"); schema != doc.end() && schema->is_string()) {
        const std::string s = schema->get<std::string>();
        if (s != kJsonLayoutSchema && !s.starts_with("flashplan-cli/"))
            return reader.error("schema",
                                "'" + s + "' is not a schema this version reads (" + kJsonLayoutSchema + ")");
    }
    auto layout = reader.layout(*it, "layout", options.db);
    if (!layout)
        return layout.error();
    return ImportResult{std::move(*layout), {}};
}

Result<std::vector<ExportedFile>> JsonExporter::write(const Layout& layout,
                                                      const std::filesystem::path& outputPath,
                                                      const ExportOptions&) const {
    const json doc = {{"schema", kJsonLayoutSchema}, {"layout", toJson(layout)}};
    return std::vector<ExportedFile>{{outputPath, dumpJson(doc, 2) + "\n"}};
}

} // namespace flashplan
