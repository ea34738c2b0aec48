// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsExporter.h"

#include "io/RoleNames.h"
#include "io/dts/DtsKeys.h"
#include "io/dts/DtsLexer.h"
#include "io/dts/DtsParser.h"
#include "io/dts/DtsTree.h"
#include "util/Numbers.h"

#include <algorithm>
#include <set>

namespace flashplan {

using namespace dts;

namespace {

constexpr std::uint64_t kCellMax = 0xffffffffULL;

Error schemaError(std::string message, std::string field) {
    Error e = makeError(Errc::Schema, std::move(message));
    e.field = std::move(field);
    return e;
}

/// `value` as `cells` 32-bit cells.
std::string cellsText(std::uint64_t value, int cells) {
    if (cells == 1)
        return formatHex(value);
    return formatHex(value >> 32) + " " + formatHex(value & kCellMax);
}

int cellsFor(std::uint64_t value) {
    return value > kCellMax ? 2 : 1;
}

bool isNodeName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return isNameChar(c); });
}

bool isReference(std::string_view ref) {
    if (ref.size() < 2 || ref.front() != '&')
        return false;
    if (ref[1] == '{') {
        if (ref.size() < 4 || ref[2] != '/' || ref.back() != '}')
            return false;
        const std::string_view path = ref.substr(2, ref.size() - 3);
        return std::all_of(path.begin(), path.end(), [](char c) { return c == '/' || isNameChar(c); });
    }
    return isValidLabel(ref.substr(1));
}

/// True when `value` is one devicetree property value and nothing more (it is written as it stands).
bool isPropertyValue(const std::string& value) {
    if (value.empty())
        return true;
    PreprocessedSource source;
    source.appendLine("/ { n { p = " + value + "; }; };", source.fileIndex("value"), 1);
    DtsTree tree;
    std::vector<Diagnostic> ignored;
    if (!parseDts(source, tree, UnknownLabels::MakeFragments, ignored))
        return false;
    const Node* n = tree.byPath("/n");
    return n && n->properties.size() == 1 && n->children.empty() && tree.root().children.size() == 1 &&
           tree.root().properties.empty() && tree.fragments().empty();
}

std::string propertyOr(const Properties& props, std::string_view key, std::string fallback) {
    const std::string* v = findProperty(props, key);
    return v ? *v : fallback;
}

class OverlayWriter {
public:
    OverlayWriter(const Layout& layout, bool mapped) : layout_(layout), mapped_(mapped) {}

    Result<std::string> run() {
        if (auto r = validate(); !r)
            return r.error();
        writeHeader();
        std::vector<std::string> devices;
        for (const Partition& p : layout_.partitions)
            if (std::find(devices.begin(), devices.end(), p.device) == devices.end())
                devices.push_back(p.device);
        for (const std::string& id : devices)
            if (auto r = writeDevice(id); !r)
                return r.error();
        writeChosen();
        return out_;
    }

private:
    Result<void> validate() {
        const auto& parts = layout_.partitions;
        children_.assign(parts.size(), {});
        std::set<std::string> labels;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const Partition& p = parts[i];
            if (!isValidLabel(p.label))
                return schemaError("partition label '" + p.label +
                                       "' is not a C identifier, so it cannot be a devicetree label",
                                   p.label);
            if (!labels.insert(p.label).second)
                return schemaError(
                    "two partitions are labelled " + p.label + "; devicetree labels are unique", p.label);
            std::string more = propertyOr(p.properties, key::kMoreLabels, "");
            for (std::size_t at = 0; at < more.size();) {
                std::size_t end = more.find(' ', at);
                if (end == std::string::npos)
                    end = more.size();
                const std::string l = more.substr(at, end - at);
                if (!l.empty() && (!isValidLabel(l) || !labels.insert(l).second))
                    return schemaError(p.label + ": its extra label '" + l + "' is not a unique C identifier",
                                       p.label);
                at = end + 1;
            }
            for (const auto& [k, v] : p.properties) {
                const bool isProp = k.starts_with(key::kPropertyPrefix);
                const std::string_view name =
                    isProp ? std::string_view(k).substr(key::kPropertyPrefix.size()) : std::string_view(v);
                if ((isProp || k == key::kNodeName || k == key::kUnderFlash) && !isNodeName(name))
                    return schemaError(p.label + ": '" + std::string(name) + "' (" + k +
                                           ") is not a devicetree node or property name",
                                       p.label);
                if (isProp && !isPropertyValue(v))
                    return schemaError(p.label + ": " + k + " = '" + v + "' is not one devicetree value",
                                       p.label);
            }
            if (!layout_.board.device(p.device))
                return schemaError(p.label + " is on device '" + p.device + "', which board " +
                                       layout_.board.id + " does not have",
                                   p.label);
            if (p.parent.empty())
                continue;
            const int parent = layout_.indexOf(p.parent);
            if (parent < 0 || static_cast<std::size_t>(parent) == i)
                return schemaError(
                    p.label + ": its parent '" + p.parent + "' is not a partition of the layout", p.label);
            const Partition& q = parts[static_cast<std::size_t>(parent)];
            if (q.device != p.device)
                return schemaError(p.label + " is on " + p.device + " but its parent " + q.label + " on " +
                                       q.device,
                                   p.label);
            if (p.offset < q.offset || p.end() > q.end())
                return schemaError(p.label + " (" + formatHex(p.offset) + " + " + formatHex(p.size) +
                                       ") does not lie inside its parent " + q.label + " (" +
                                       formatHex(q.offset) + " + " + formatHex(q.size) +
                                       "), so its reg cannot be relative to it",
                                   p.label);
            if (layout_.isAncestor(p, q))
                return schemaError(p.label + " and " + q.label + " are each other's ancestors", p.label);
            children_[static_cast<std::size_t>(parent)].push_back(i);
        }
        for (const auto& [k, label] : layout_.properties) {
            if (!k.starts_with(key::kChosenPrefix))
                continue;
            if (layout_.indexOf(label) < 0)
                return schemaError("chosen " + k.substr(key::kChosenPrefix.size()) + " names '" + label +
                                       "', which is not a partition of the layout",
                                   k);
            chosen_.insert(label);
        }
        return {};
    }

    void writeHeader() {
        std::string name = layout_.name.empty() ? layout_.board.id : layout_.name;
        for (std::size_t at = name.find("*/"); at != std::string::npos; at = name.find("*/", at))
            name.replace(at, 2, "* /");
        out_ += "/*\n * " + name + ": flash partitions, written by Flashplan.\n";
        out_ += " * A devicetree overlay: apply it after the board's devicetree (e.g. as\n";
        out_ += " * boards/<board>.overlay). It replaces the partitions of each flash device below.\n */\n";
    }

    Result<void> writeDevice(const std::string& id) {
        const FlashDevice* device = layout_.board.device(id);
        const std::string ref = propertyOr(layout_.properties, std::string(key::kFlashPrefix) + id, "&" + id);
        if (!isReference(ref))
            return schemaError(
                "flash device '" + id +
                    "' has no DTS-usable label to refer to its node by (the device id is not a C "
                    "identifier and the layout has no " +
                    std::string(key::kFlashPrefix) + id + " property)",
                id);
        const bool mapped = mapped_ && device && !isExternal(device->kind);
        std::vector<std::size_t> top;
        for (std::size_t i = 0; i < layout_.partitions.size(); ++i)
            if (layout_.partitions[i].device == id && layout_.partitions[i].parent.empty())
                top.push_back(i);
        int ac = 1, sc = 1;
        for (const std::size_t i : top) {
            ac = std::max(ac, cellsFor(layout_.partitions[i].offset));
            sc = std::max(sc, cellsFor(layout_.partitions[i].size));
        }
        out_ += "\n" + ref + " {\n\t/delete-node/ partitions;\n";
        // Mapped partitions that sat directly in the flash node go too; they come back in the container.
        for (const std::size_t i : top)
            if (const std::string* name = findProperty(layout_.partitions[i].properties, key::kUnderFlash))
                out_ += "\t/delete-node/ " + *name + ";\n";
        out_ += "\n\tpartitions {\n";
        if (mapped_ && !mapped)
            out_ +=
                "\t\t/* external flash: Zephyr maps only soc-nv-flash partitions, so fixed-partitions */\n";
        out_ += mapped ? "\t\tranges;\n" : "\t\tcompatible = \"fixed-partitions\";\n";
        out_ += "\t\t#address-cells = <" + std::to_string(ac) + ">;\n\t\t#size-cells = <" +
                std::to_string(sc) + ">;\n";
        std::set<std::string> names;
        for (const std::size_t i : top)
            writePartition(i, 0, ac, sc, 2, names, mapped);
        out_ += "\t};\n};\n";
        return {};
    }

    void writePartition(std::size_t i, std::uint64_t base, int ac, int sc, int depth,
                        std::set<std::string>& names, bool mapped) {
        const Partition& p = layout_.partitions[i];
        const std::string in(static_cast<std::size_t>(depth), '\t');
        const std::string in2 = in + '\t';
        const std::uint64_t address = p.offset - base;
        const std::vector<std::size_t>& kids = children_[i];

        // A node name that matches reg; a second node at the same address gets a name of its own.
        const std::string baseName = propertyOr(p.properties, key::kNodeName, "partition");
        const std::string unit = formatHex(address).substr(2);
        std::string nodeName = baseName + "@" + unit;
        for (int k = 2; names.count(nodeName); ++k)
            nodeName = baseName + "-" + std::to_string(k) + "@" + unit;
        names.insert(nodeName);

        std::string labels;
        if (propertyOr(p.properties, key::kUnlabeled, "") != "true" || chosen_.count(p.label))
            labels = p.label + ": ";
        const std::string more = propertyOr(p.properties, key::kMoreLabels, "");
        for (std::size_t at = 0; at < more.size();) {
            std::size_t end = more.find(' ', at);
            if (end == std::string::npos)
                end = more.size();
            if (end > at)
                labels += more.substr(at, end - at) + ": ";
            at = end + 1;
        }
        out_ += "\n" + in + labels + nodeName + " {\n";

        const std::string compatibleKey = std::string(key::kPropertyPrefix) + "compatible";
        const std::string* extra = findProperty(p.properties, compatibleKey);
        std::string compatible;
        if (mapped)
            compatible = "\"zephyr,mapped-partition\"";
        else if (!kids.empty())
            compatible = "\"fixed-subpartitions\"";
        if (extra && !extra->empty())
            compatible += (compatible.empty() ? "" : ", ") + *extra;
        if (!compatible.empty())
            out_ += in2 + "compatible = " + compatible + ";\n";
        if (const std::string* lp = findProperty(p.properties, key::kLabelProperty))
            out_ += in2 + "label = " + quoteString(*lp) + ";\n";
        out_ += in2 + "reg = <" + cellsText(address, ac) + " " + cellsText(p.size, sc) + ">; /* " +
                formatSize(p.size) + " */\n";
        int cac = 1, csc = 1;
        if (!kids.empty()) {
            for (const std::size_t k : kids) {
                cac = std::max(cac, cellsFor(layout_.partitions[k].offset - p.offset));
                csc = std::max(csc, cellsFor(layout_.partitions[k].size));
            }
            out_ += in2 + "ranges = <" + cellsText(0, cac) + " " + cellsText(address, ac) + " " +
                    cellsText(p.size, csc) + ">;\n";
            out_ += in2 + "#address-cells = <" + std::to_string(cac) + ">;\n" + in2 + "#size-cells = <" +
                    std::to_string(csc) + ">;\n";
        }
        if (p.readOnly)
            out_ += in2 + "read-only;\n";
        for (const auto& [k, v] : p.properties) {
            if (!k.starts_with(key::kPropertyPrefix) || k == compatibleKey)
                continue;
            const std::string name = k.substr(key::kPropertyPrefix.size());
            out_ += in2 + name + (v.empty() ? "" : " = " + v) + ";\n";
        }
        std::set<std::string> childNames;
        for (const std::size_t k : kids)
            writePartition(k, p.offset, cac, csc, depth + 1, childNames, mapped);
        out_ += in + "};\n";
    }

    void writeChosen() {
        std::string lines;
        for (const auto& [k, label] : layout_.properties)
            if (k.starts_with(key::kChosenPrefix))
                lines += "\t\t" + k.substr(key::kChosenPrefix.size()) + " = &" + label + ";\n";
        if (!lines.empty())
            out_ += "\n/ {\n\tchosen {\n" + lines + "\t};\n};\n";
    }

    const Layout& layout_;
    bool mapped_;
    std::vector<std::vector<std::size_t>> children_;
    std::set<std::string> chosen_;
    std::string out_;
};

} // namespace

Result<std::string> writeDtsOverlay(const Layout& layout, const ExportOptions& options) {
    if (options.dtsStyle != "classic" && options.dtsStyle != "mapped" && !options.dtsStyle.empty()) {
        Error e = makeError(Errc::InvalidArgument,
                            "unknown devicetree style '" + options.dtsStyle + "' (classic or mapped)");
        e.field = "dtsStyle";
        return e;
    }
    // Zephyr's labels: a layout read from a pm_static.yml has mcuboot_primary, Zephyr's slot0_partition.
    const Layout named = withPlatformNames(layout, NameScheme::Zephyr);
    return OverlayWriter(named, options.dtsStyle == "mapped").run();
}

Result<std::vector<ExportedFile>> DtsExporter::write(const Layout& layout,
                                                     const std::filesystem::path& outputPath,
                                                     const ExportOptions& options) const {
    auto text = writeDtsOverlay(layout, options);
    if (!text)
        return text.error();
    return std::vector<ExportedFile>{{outputPath, std::move(*text)}};
}

} // namespace flashplan
