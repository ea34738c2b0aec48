// SPDX-License-Identifier: Apache-2.0
#include "io/espidf/EspCsvExporter.h"

#include "io/espidf/EspPartitionTable.h"
#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

namespace flashplan {

namespace {

using Fields = std::array<std::string, 6>;

/// One line of the table: a partition, or a bootloader row kept by the import.
struct OutRow {
    const Partition* p = nullptr;
    Fields f;
    unsigned type = 0;
    std::optional<unsigned> subtype;
    bool primary = false;
};

Error exportError(std::string message) {
    return makeError(Errc::InvalidArgument, std::move(message));
}

/// Text that a CSV field can carry back unchanged.
Result<void> checkField(const std::string& owner, const char* what, const std::string& text) {
    if (text.find_first_of(",\r\n") != std::string::npos || text.find('$') != std::string::npos ||
        (!text.empty() && (std::isspace(static_cast<unsigned char>(text.front())) ||
                           std::isspace(static_cast<unsigned char>(text.back())))))
        return exportError(owner + ": " + what + " '" + text +
                           "' cannot stand in a partitions.csv field (commas, line breaks, $ and surrounding "
                           "blanks have meanings there)");
    return {};
}

/// Type and subtype as the import kept them, else as the partition's role suggests.
Result<std::pair<std::string, std::string>> typeTexts(const Partition& p) {
    if (const std::string* type = findProperty(p.properties, "esp-idf.type")) {
        const std::string* subtype = findProperty(p.properties, "esp-idf.subtype");
        return std::pair{*type, subtype ? *subtype : std::string()};
    }
    switch (p.role) {
    case PartitionRole::Slot0:
    case PartitionRole::Slot1: {
        const int slot = 2 * p.imageIndex + (p.role == PartitionRole::Slot1 ? 1 : 0);
        if (p.imageIndex < 0 || slot > 15)
            return exportError(p.label + ": image " + std::to_string(p.imageIndex) + " needs OTA slot ota_" +
                               std::to_string(slot) + "; ESP-IDF has ota_0 to ota_15");
        return std::pair{std::string("app"), "ota_" + std::to_string(slot)};
    }
    case PartitionRole::Storage:
        return std::pair{std::string("data"), std::string("nvs")};
    default:
        return std::pair{std::string("data"), std::string("undefined")};
    }
}

/// The flags field: the imported text while it still says what the partition is, else written anew.
Result<std::string> flagsText(const Partition& p) {
    const std::string* kept = findProperty(p.properties, "esp-idf.flags");
    esp::Flags flags;
    if (kept) {
        auto parsed = esp::parseFlags(*kept);
        if (!parsed)
            return exportError(p.label + ": property esp-idf.flags: " + parsed.error().message);
        flags = *parsed;
        if (flags.readOnly == p.readOnly)
            return *kept;
    }
    std::string out = flags.encrypted ? "encrypted" : "";
    if (p.readOnly)
        out += out.empty() ? "readonly" : ":readonly";
    return out;
}

Result<OutRow> partitionRow(const Partition& p) {
    OutRow row;
    row.p = &p;
    auto texts = typeTexts(p);
    if (!texts)
        return texts.error();
    const auto& [typeText, subtypeText] = *texts;
    for (const auto& [what, text] :
         {std::pair{"name", p.label}, {"type", typeText}, {"subtype", subtypeText}})
        if (auto r = checkField(p.label, what, text); !r)
            return r.error();
    if (p.label.empty() || p.label.front() == '#')
        return exportError("'" + p.label + "' cannot be a partition name in partitions.csv");
    const auto type = esp::typeValue(typeText);
    if (!type)
        return exportError(p.label + ": esp-idf.type '" + typeText + "' is not a partition type");
    row.type = *type;
    row.subtype = esp::subtypeValue(row.type, subtypeText);
    if (!row.subtype && !esp::isProjectSubtype(row.type, subtypeText))
        return exportError(p.label + ": esp-idf.subtype '" + subtypeText + "' is not a subtype of " +
                           typeText);
    if (row.type == esp::kBootloader)
        return exportError(p.label + ": a bootloader row takes its offset and size from the build "
                                     "configuration; partitions.csv cannot place it");
    row.primary = row.subtype && esp::isPrimaryTableOrBootloader(row.type, *row.subtype);
    row.f[0] = p.label;
    row.f[1] = typeText;
    row.f[2] = subtypeText;
    return row;
}

/// What gen_esp32part.py checks of each row and of the table as a whole.
Result<void> checkRows(const std::vector<OutRow>& rows) {
    std::uint64_t last = esp::kFirstFree;
    const Partition* previous = nullptr;
    std::map<unsigned, const Partition*> otadata; // by subtype: ota, tee_ota
    for (const OutRow& r : rows) {
        const Partition& p = *r.p;
        const std::string at = p.label + " (" + formatHex(p.offset) + ".." + formatHex(p.end()) + ")";
        if (!rangeWithin(p.offset, p.size, esp::kLimit))
            return exportError(at + " reaches past 4 GiB; partition table entries hold 32-bit values");
        if (r.type == esp::kPartitionTable &&
            (p.size != esp::kTableSize || (r.primary && p.offset != esp::kTableOffset)))
            return exportError(at + ": a partition_table row is the 4 KiB table itself" +
                               std::string(r.primary ? ", at the table offset (0x8000 assumed)" : ""));
        if (r.primary)
            continue;
        if (p.offset < esp::kFirstFree)
            return exportError(at + " starts below 0x9000, inside the bootloader or the partition table (at "
                                    "ESP-IDF's default offset 0x8000)");
        if (p.offset < last)
            return exportError(at + " overlaps " + previous->label + ", which ends at " + formatHex(last) +
                               "; partition table rows may not overlap");
        if (p.offset % esp::offsetAlignment(r.type) != 0)
            return exportError(
                at + ": offset is not a multiple of " + formatHex(esp::offsetAlignment(r.type)) +
                (r.type == esp::kApp ? " (apps are mapped in 64 KiB pages)" : " (4 KiB sectors)"));
        if (r.type == esp::kApp && p.size % 0x1000 != 0)
            return exportError(at + ": an app partition's size must be a multiple of 4 KiB");
        if (r.type == esp::kData && r.subtype) {
            const unsigned s = *r.subtype;
            if ((s == 0x00 || s == 0x03) && p.readOnly)
                return exportError(at + ": otadata and coredump partitions are always read-write");
            if (s == 0x02 && p.size < 0x3000 && !p.readOnly)
                return exportError(at + ": a read-write NVS partition needs at least 0x3000 bytes");
            if (s == 0x00 || s == 0x90) {
                if (p.size != 0x2000)
                    return exportError(at + ": an otadata partition is 0x2000 bytes");
                if (const auto [it, fresh] = otadata.emplace(s, &p); !fresh)
                    return exportError(at + ": the table already has an otadata partition of this kind, " +
                                       it->second->label);
            }
        }
        last = p.end();
        previous = &p;
    }
    return {};
}

/// The bootloader rows the import kept, by their position among the rows.
Result<std::vector<std::pair<std::size_t, OutRow>>> keptRows(const Layout& layout) {
    std::vector<std::pair<std::size_t, OutRow>> out;
    constexpr std::string_view kPrefix = "esp-idf.row.";
    for (const auto& [key, value] : layout.properties) {
        if (!key.starts_with(kPrefix))
            continue;
        const std::string index = key.substr(kPrefix.size());
        if (index.empty() || index.size() > 6 ||
            !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return exportError("layout property " + key + ": expected esp-idf.row.<position>");
        OutRow row;
        std::size_t field = 0, start = 0;
        while (field < row.f.size()) {
            const std::size_t comma = std::min(value.find(',', start), value.size());
            row.f[field++] = value.substr(start, comma - start);
            if (comma == value.size())
                break;
            start = comma + 1;
        }
        const auto type = esp::typeValue(row.f[1]);
        row.type = type.value_or(esp::kBootloader);
        row.subtype = type ? esp::subtypeValue(*type, row.f[2]) : std::nullopt;
        row.primary = row.subtype && esp::isPrimaryTableOrBootloader(row.type, *row.subtype);
        out.emplace_back(static_cast<std::size_t>(std::stoul(index)), std::move(row));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

/// Characters, not bytes, so that UTF-8 names line up.
std::size_t width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string format(const std::vector<OutRow>& rows) {
    const Fields header{"# Name", "Type", "SubType", "Offset", "Size", "Flags"};
    std::array<std::size_t, 6> widths{};
    for (std::size_t i = 0; i < widths.size(); ++i) {
        widths[i] = width(header[i]);
        for (const OutRow& r : rows)
            widths[i] = std::max(widths[i], width(r.f[i]));
    }
    const auto line = [&](const Fields& f) {
        std::string out;
        for (std::size_t i = 0; i + 1 < f.size(); ++i) {
            out += f[i] + ",";
            out.append(widths[i] + 1 - width(f[i]), ' ');
        }
        out += f.back();
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        return out + "\n";
    };
    std::string out = "# ESP-IDF Partition Table, written by Flashplan\n";
    out += line(header);
    for (const OutRow& r : rows)
        out += line(r.f);
    return out;
}

} // namespace

Result<std::vector<ExportedFile>> EspCsvExporter::write(const Layout& layout,
                                                        const std::filesystem::path& outputPath,
                                                        const ExportOptions&) const {
    std::vector<OutRow> rows;
    std::set<std::string> names;
    for (const Partition& p : layout.partitions) {
        if (p.device != layout.partitions.front().device)
            return exportError(p.label + " is on " + p.device + ", " + layout.partitions.front().label +
                               " on " + layout.partitions.front().device +
                               "; a partitions.csv describes one flash");
        if (!p.parent.empty())
            return exportError(p.label + " lies inside " + p.parent + "; partitions.csv has no nesting");
        if (!names.insert(p.label).second)
            return exportError("name '" + p.label + "' is used twice; partition names must be unique");
        auto row = partitionRow(p);
        if (!row)
            return row.error();
        rows.push_back(std::move(*row));
    }

    // gen_esp32part.py reads rows in offset order; keep the layout's order unless it goes back.
    const auto inOrder = [&] {
        std::uint64_t last = 0;
        for (const OutRow& r : rows) {
            if (r.primary)
                continue;
            if (r.p->offset < last)
                return false;
            last = r.p->end();
        }
        return true;
    };
    if (!inOrder())
        std::stable_sort(rows.begin(), rows.end(),
                         [](const OutRow& a, const OutRow& b) { return a.p->offset < b.p->offset; });
    if (auto r = checkRows(rows); !r)
        return r.error();

    auto kept = keptRows(layout);
    if (!kept)
        return kept.error();
    for (auto& [index, row] : *kept)
        rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(std::min(index, rows.size())), std::move(row));

    // Where gen_esp32part.py would put the next row with an empty offset; unknown after a bootloader row.
    std::uint64_t lastEnd = esp::kFirstFree;
    bool lastEndKnown = true;
    for (OutRow& r : rows) {
        if (!r.p) {
            if (!r.primary)
                lastEndKnown = false; // ends where the build configuration says
            continue;
        }
        const Partition& p = *r.p;
        auto flags = flagsText(p);
        if (!flags)
            return flags.error();
        if (auto c = checkField(p.label, "flags", *flags); !c)
            return c.error();
        r.f[5] = *flags;
        if (r.primary) {
            r.f[3] = r.f[4] = "N/A"; // gen_esp32part.py takes both from the build configuration
            continue;
        }
        const std::uint64_t align = esp::offsetAlignment(r.type);
        const std::string* automatic = findProperty(p.properties, "esp-idf.offset-auto");
        const bool placedAgain = lastEndKnown && alignUp(lastEnd, align) == p.offset;
        r.f[3] = automatic && *automatic == "true" && placedAgain ? "" : formatHex(p.offset);
        r.f[4] = esp::sizeText(p.size);
        lastEnd = p.end();
        lastEndKnown = true;
    }
    return std::vector<ExportedFile>{{outputPath, format(rows)}};
}

} // namespace flashplan
