// SPDX-License-Identifier: Apache-2.0
#include "io/nordic/PmStaticImporter.h"

#include "io/RoleNames.h"
#include "io/nordic/PmContainers.h"
#include "io/nordic/PmRegions.h"
#include "io/nordic/PmYaml.h"
#include "util/Numbers.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace flashplan {

using pm::PmEntry;

namespace {

Error errorAt(const std::string& fileName, const YAML::Node& node, std::string field, Errc code,
              std::string message) {
    Error e = makeError(code, std::move(message));
    e.where.file = fileName;
    e.where.line = pm::lineOf(node);
    e.where.column = node.Mark().column >= 0 ? node.Mark().column + 1 : 0;
    e.field = std::move(field);
    return e;
}

const char* kindOf(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Scalar:
        return "a scalar";
    default:
        return "nothing";
    }
}

bool isKeyName(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

/// The partition names of `span` or `inside`: a list of names, or one name (the Partition Manager turns a
/// string into a one-element list). Other shapes name nothing.
std::vector<std::string> namesOf(const YAML::Node& node) {
    std::vector<std::string> out;
    if (node.IsScalar())
        out.push_back(node.Scalar());
    else if (node.IsSequence())
        for (const YAML::Node& item : node)
            if (item.IsScalar())
                out.push_back(item.Scalar());
    return out;
}

struct EntryReader {
    const std::string& fileName;
    std::vector<Diagnostic>& notes;

    Result<std::uint64_t> number(const YAML::Node& value, const std::string& partition,
                                 const std::string& key) const {
        auto v = pm::unsignedValue(value);
        if (!v)
            return errorAt(fileName, value, key, Errc::Parse, partition + ": " + v.error().message);
        return v;
    }

    Result<PmEntry> read(const YAML::Node& key, const YAML::Node& value) const {
        if (!key.IsScalar() || key.Scalar().empty())
            return errorAt(fileName, key, "", Errc::Schema,
                           "a partition name must be a non-empty scalar, found " + std::string(kindOf(key)));
        PmEntry e;
        e.name = key.Scalar();
        e.line = pm::lineOf(key);
        e.region = std::string(pm::kDefaultRegion);
        if (!value.IsMap())
            return errorAt(fileName, value.IsNull() ? key : value, e.name, Errc::Schema,
                           e.name + " must be a mapping of settings (address, size, region...), found " +
                               kindOf(value));

        std::string keys;
        std::set<std::string> seen;
        std::optional<std::uint64_t> address, size, endAddress;
        YAML::Node endNode;
        for (const auto& kv : value) {
            if (!kv.first.IsScalar() || !isKeyName(kv.first.Scalar()))
                return errorAt(fileName, kv.first, e.name, Errc::Schema,
                               e.name + ": '" + (kv.first.IsScalar() ? kv.first.Scalar() : kindOf(kv.first)) +
                                   "' is not a Partition Manager setting name");
            const std::string k = kv.first.Scalar();
            if (!seen.insert(k).second)
                return errorAt(fileName, kv.first, k, Errc::Schema, e.name + ": " + k + " is given twice");
            keys += (keys.empty() ? "" : " ") + k;
            const YAML::Node& v = kv.second;
            if (k == "address" || k == "size" || k == "end_address") {
                auto n = number(v, e.name, k);
                if (!n)
                    return n.error();
                (k == "address" ? address : k == "size" ? size : endAddress) = *n;
                if (k == "end_address")
                    endNode = v;
                continue;
            }
            if (k == "region") {
                if (!v.IsScalar() || v.Scalar().empty())
                    return errorAt(fileName, v, k, Errc::Schema,
                                   e.name +
                                       ": region must be a name (flash_primary, external_flash...), found " +
                                       kindOf(v));
                e.region = v.Scalar();
                continue;
            }
            if (k == "span") {
                e.container = true;
                e.span = namesOf(v);
            } else if (k == "inside") {
                e.inside = namesOf(v);
            }
            auto text = pm::flowText(v);
            if (!text)
                return errorAt(fileName, v, k, Errc::Parse, e.name + ": " + text.error().message);
            setProperty(e.properties, "pm." + k, std::move(*text));
        }
        if (!address)
            return errorAt(fileName, key, "address", Errc::Schema,
                           e.name +
                               " has no address; every partition of a pm_static.yml needs address and size");
        if (!size)
            return errorAt(fileName, key, "size", Errc::Schema,
                           e.name +
                               " has no size; every partition of a pm_static.yml needs address and size");
        if (addOverflows(*address, *size))
            return errorAt(fileName, key, "size", Errc::OutOfRange,
                           e.name + ": address " + formatHex(*address) + " + size " + formatHex(*size) +
                               " passes 64 bits");
        e.address = *address;
        e.size = *size;
        // pm.keys first, so the properties read in the order of the file's keys.
        e.properties.insert(e.properties.begin(), {"pm.keys", keys});
        if (endAddress && *endAddress != e.end()) {
            setProperty(e.properties, "pm.end_address", endNode.Scalar());
            notes.push_back(Diagnostic{Severity::Warning,
                                       "import.pm-end-address",
                                       fileName + ":" + std::to_string(pm::lineOf(endNode)) + ": " + e.name +
                                           ": end_address " + formatHex(*endAddress) +
                                           " is not address + size (" + formatHex(e.address) + " + " +
                                           formatHex(e.size) + " = " + formatHex(e.end()) +
                                           "); the partition is placed by address and size, as the Partition "
                                           "Manager places it, and end_address is kept as the file has it",
                                       {},
                                       std::nullopt});
        }
        return e;
    }
};

std::string stemOf(const std::string& fileName) {
    return std::filesystem::path(fileName).stem().string();
}

} // namespace

int PmStaticImporter::sniff(std::string_view text, std::string_view fileName) const {
    std::string name(fileName);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    const bool namedPm = name.find("pm_static") != std::string::npos;
    const bool yamlName = name.ends_with(".yml") || name.ends_with(".yaml");
    // A top-level name followed by indented (or flow) address and size settings.
    bool topKey = false;
    std::size_t pos = 0;
    while (pos < text.size() && !topKey) {
        const std::size_t eol = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, eol - pos);
        if (!line.empty() && (std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_') &&
            line.find(':') != std::string_view::npos)
            topKey = true;
        pos = eol + 1;
    }
    const bool settings =
        text.find("address:") != std::string_view::npos && text.find("size:") != std::string_view::npos;
    if (topKey && settings) {
        const bool pmWords = text.find("region:") != std::string_view::npos ||
                             text.find("span:") != std::string_view::npos ||
                             text.find("end_address:") != std::string_view::npos;
        return namedPm ? 95 : pmWords ? 90 : 75;
    }
    return namedPm && yamlName ? 30 : yamlName ? 5 : 0;
}

Result<ImportResult> PmStaticImporter::read(std::string_view text, const std::string& fileName,
                                            const ImportOptions& options) const {
    auto board = requestedBoard(options);
    if (!board)
        return board.error();

    auto document = pm::loadSingleDocument(std::string(text));
    if (!document) {
        Error e = document.error();
        e.where.file = fileName;
        return e;
    }
    const YAML::Node& root = *document;
    if (root.IsNull()) {
        Error e = makeError(Errc::Schema, "is empty; a pm_static.yml maps partition names to their address "
                                          "and size");
        e.where.file = fileName;
        return e;
    }
    if (!root.IsMap())
        return errorAt(fileName, root, "", Errc::Schema,
                       "the top level must be a mapping of partition names to their settings, found " +
                           std::string(kindOf(root)));

    ImportResult result;
    std::vector<PmEntry> entries;
    const EntryReader reader{fileName, result.notes};
    for (const auto& kv : root) {
        auto entry = reader.read(kv.first, kv.second);
        if (!entry)
            return entry.error();
        for (const PmEntry& other : entries)
            if (other.name == entry->name)
                return errorAt(fileName, kv.first, entry->name, Errc::Schema,
                               "partition " + entry->name + " is defined twice (first on line " +
                                   std::to_string(other.line) + ")");
        entries.push_back(std::move(*entry));
    }

    pm::Nesting nesting = pm::nestContainers(entries, fileName);
    auto regions = pm::mapRegions(entries, nesting.parents, *board, fileName);
    if (!regions)
        return regions.error();

    Layout& layout = result.layout;
    layout.platform = Platform::PartitionManager;
    layout.name = stemOf(fileName);
    layout.board = std::move(regions->board);
    layout.boardRef = regions->boardRef;
    for (const auto& r : regions->regions)
        setProperty(layout.properties, "pm.region." + r.device, r.name);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        PmEntry& e = entries[i];
        const pm::RegionMap::Region* region = regions->find(e.region);
        Partition p;
        p.label = e.name;
        p.device = region->device;
        p.offset = e.address - region->base;
        p.size = e.size;
        const RoleGuess role = roleFromName(e.name);
        p.role = role.role;
        p.imageIndex = role.imageIndex;
        p.parent = nesting.parents[i];
        p.properties = std::move(e.properties);
        layout.partitions.push_back(std::move(p));
    }
    result.notes.insert(result.notes.begin(), regions->notes.begin(), regions->notes.end());
    result.notes.insert(result.notes.end(), nesting.notes.begin(), nesting.notes.end());
    return result;
}

} // namespace flashplan
