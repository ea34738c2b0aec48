// SPDX-License-Identifier: Apache-2.0
#include "io/nordic/PmStaticExporter.h"

#include "io/RoleNames.h"
#include "io/nordic/PmEntry.h"
#include "io/nordic/PmRegions.h"
#include "io/nordic/PmYaml.h"
#include "util/Numbers.h"

#include <algorithm>
#include <map>
#include <set>

namespace flashplan {

namespace {

// Keys in the order the Partition Manager itself writes them (sorted), for partitions that did not come
// from a pm_static.yml.
constexpr std::string_view kDefaultKeys = "address end_address region size";

std::vector<std::string> splitWords(std::string_view s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t space = std::min(s.find(' ', pos), s.size());
        if (space > pos)
            out.emplace_back(s.substr(pos, space - pos));
        pos = space + 1;
    }
    return out;
}

/// `key: value` at `indent` spaces; a non-empty mapping goes on the following lines, one more level in.
Result<void> emit(std::string& out, const std::string& key, const YAML::Node& value, int indent) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += key + ":";
    if (value.IsMap() && value.size() > 0) {
        if (indent / 2 > pm::kMaxDepth)
            return makeError(Errc::InvalidArgument,
                             "a value nested deeper than " + std::to_string(pm::kMaxDepth) + " levels");
        out += '\n';
        for (const auto& kv : value) {
            auto k = pm::flowText(kv.first);
            if (!k)
                return k.error();
            if (auto r = emit(out, *k, kv.second, indent + 2); !r)
                return r;
        }
        return {};
    }
    auto text = pm::flowText(value);
    if (!text)
        return text.error();
    out += " " + *text + "\n";
    return {};
}

Error exportError(const std::string& message) {
    return makeError(Errc::InvalidArgument, message);
}

class PartitionWriter {
public:
    PartitionWriter(const Layout& layout, const std::vector<std::string>& children)
        : layout_(layout), children_(children) {}

    Result<void> write(const Partition& p, std::string& out) {
        const FlashDevice* device = layout_.deviceOf(p);
        if (!device)
            return exportError(p.label + ": device '" + p.device + "' is not on the layout's board");
        region_ = pm::regionOfDevice(layout_, *device);
        const std::uint64_t base = pm::regionBase(*device);
        if (addOverflows(base, p.offset) || addOverflows(base + p.offset, p.size))
            return exportError(p.label + ": address " + formatHex(base) + " + " + formatHex(p.offset) +
                               " + size passes 64 bits");
        address_ = base + p.offset;
        p_ = &p;
        written_.clear();

        out += pm::scalarText(p.label) + ":\n";
        const std::string* keys = findProperty(p.properties, "pm.keys");
        for (const std::string& k : splitWords(keys ? *keys : kDefaultKeys))
            if (auto r = writeKey(k, out); !r)
                return r;
        // What the recorded keys do not cover: settings the partition needs now, and properties added since.
        for (const char* k : {"address", "size"})
            if (auto r = writeKey(k, out); !r)
                return r;
        if (region_ != pm::kDefaultRegion)
            if (auto r = writeKey("region", out); !r)
                return r;
        if (!children_.empty())
            if (auto r = writeKey("span", out); !r)
                return r;
        for (const auto& [name, value] : p.properties)
            if (name.starts_with("pm."))
                if (auto r = writeKey(name.substr(3), out); !r)
                    return r;
        return {};
    }

private:
    Result<void> writeKey(const std::string& k, std::string& out) {
        if (k == "keys" || !written_.insert(k).second)
            return {};
        const auto plain = [&](const std::string& value) { out += "  " + k + ": " + value + "\n"; };
        if (k == "address")
            plain(formatHex(address_));
        else if (k == "size")
            plain(formatHex(p_->size));
        else if (k == "region")
            plain(pm::scalarText(region_));
        else if (k == "end_address" && !findProperty(p_->properties, "pm.end_address"))
            plain(formatHex(address_ + p_->size));
        else if (const std::string* text = findProperty(p_->properties, "pm." + k)) {
            auto value = pm::parseValue(*text);
            if (!value)
                return exportError(p_->label + ": property pm." + k + ": " + value.error().message);
            if (auto r = emit(out, pm::scalarText(k), *value, 2); !r)
                return exportError(p_->label + ": property pm." + k + ": " + r.error().message);
        } else if (k == "span" && !children_.empty()) {
            std::string list;
            for (const std::string& c : children_)
                list += (list.empty() ? "" : ", ") + pm::scalarText(c);
            plain("[" + list + "]");
        }
        return {};
    }

    const Layout& layout_;
    const std::vector<std::string>& children_;
    const Partition* p_ = nullptr;
    std::string region_;
    std::uint64_t address_ = 0;
    std::set<std::string> written_;
};

} // namespace

Result<std::vector<ExportedFile>> PmStaticExporter::write(const Layout& original,
                                                          const std::filesystem::path& outputPath,
                                                          const ExportOptions&) const {
    // The Partition Manager's names: NCS code asks for mcuboot_primary, not Zephyr's slot0_partition.
    const Layout layout = withPlatformNames(original, NameScheme::PartitionManager);
    std::map<std::string, std::vector<std::string>> children;
    std::set<std::string> labels;
    for (const Partition& p : layout.partitions) {
        if (p.label.empty())
            return exportError("a partition has no label; pm_static.yml names every partition");
        if (!labels.insert(p.label).second)
            return exportError("label '" + p.label +
                               "' is used twice; pm_static.yml names each partition once");
        if (!p.parent.empty())
            children[p.parent].push_back(p.label);
    }

    std::string out = "# Partition Manager static configuration (pm_static.yml), written by Flashplan\n";
    static const std::vector<std::string> kNone;
    for (const Partition& p : layout.partitions) {
        const auto it = children.find(p.label);
        PartitionWriter writer(layout, it == children.end() ? kNone : it->second);
        if (auto r = writer.write(p, out); !r)
            return r.error();
    }
    return std::vector<ExportedFile>{{outputPath, out}};
}

} // namespace flashplan
