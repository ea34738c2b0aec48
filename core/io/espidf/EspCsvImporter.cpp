// SPDX-License-Identifier: Apache-2.0
#include "io/espidf/EspCsvImporter.h"

#include "io/espidf/EspCsvRows.h"
#include "io/espidf/EspPartitionTable.h"
#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>
#include <bit>
#include <cctype>

namespace flashplan {

using esp::CsvRow;

namespace {

enum Field { kName, kType, kSubtype, kOffset, kSize, kFlags };
constexpr std::array<const char*, 6> kFieldNames{"name", "type", "subtype", "offset", "size", "flags"};

/// One row on its way to a partition.
struct Planned {
    CsvRow row;
    unsigned type = 0;
    std::optional<unsigned> subtype; ///< nullopt for a project-defined subtype
    bool unplaced = false;           ///< a bootloader row: offset and size come from the build
    bool primary = false;            ///< takes no part in placing the rows with an empty offset
    bool autoOffset = false;
    std::uint64_t offset = 0;
    std::int64_t sizeField = 0; ///< as written; negative means "ends at"
    std::uint64_t size = 0;
    esp::Flags flags;
};

Error rowError(const std::string& fileName, const CsvRow& row, Field field, Errc code, std::string message) {
    Error e = makeError(code, (row.f[kName].empty() ? "" : row.f[kName] + ": ") + std::move(message));
    e.where.file = fileName;
    e.where.line = row.line;
    e.field = kFieldNames[field];
    return e;
}

Diagnostic note(Severity severity, const char* rule, std::string message) {
    return Diagnostic{severity, rule, std::move(message), {}, std::nullopt};
}

class RowReader {
public:
    RowReader(const std::string& fileName, std::vector<Diagnostic>& notes)
        : fileName_(fileName), notes_(notes) {}

    Result<Planned> read(const CsvRow& row) const {
        Planned p;
        p.row = row;
        const auto& f = row.f;
        if (f[kName].empty())
            return rowError(fileName_, row, kName, Errc::Schema, "the name is empty");
        if (f[kType].empty())
            return rowError(fileName_, row, kType, Errc::Schema, "the type is empty");
        const auto type = esp::typeValue(f[kType]);
        if (!type)
            return rowError(fileName_, row, kType, Errc::Schema,
                            "unknown type '" + f[kType] +
                                "' (app, data, bootloader, partition_table or a number up to 0xff)");
        p.type = *type;
        if (auto r = readSubtype(p); !r)
            return r.error();
        auto flags = esp::parseFlags(f[kFlags]);
        if (!flags)
            return rowError(fileName_, row, kFlags, Errc::Schema, flags.error().message);
        p.flags = *flags;

        if (p.type == esp::kBootloader) {
            // gen_esp32part.py ignores these fields and takes the chip's bootloader offset and size.
            p.unplaced = true;
            p.primary = p.subtype == esp::kSubtypePrimary;
            return p;
        }
        if (p.type == esp::kPartitionTable) {
            p.size = esp::kTableSize; // the size field is ignored
            if (p.subtype == esp::kSubtypePrimary) {
                p.primary = true;
                p.offset = esp::kTableOffset;
                return p;
            }
        } else {
            if (f[kSize].empty())
                return rowError(fileName_, row, kSize, Errc::Schema, "the size is empty");
            auto size = esp::parseInt(f[kSize]);
            if (!size)
                return rowError(fileName_, row, kSize, Errc::Parse, "size " + size.error().message);
            p.sizeField = *size;
        }
        if (f[kOffset].empty()) {
            p.autoOffset = true;
        } else {
            auto offset = esp::parseInt(f[kOffset]);
            if (!offset)
                return rowError(fileName_, row, kOffset, Errc::Parse, "offset " + offset.error().message);
            if (*offset < 0)
                return rowError(fileName_, row, kOffset, Errc::Schema,
                                "offset " + f[kOffset] + " is negative");
            p.offset = static_cast<std::uint64_t>(*offset);
        }
        return p;
    }

private:
    Result<void> readSubtype(Planned& p) const {
        const std::string& text = p.row.f[kSubtype];
        p.subtype = esp::subtypeValue(p.type, text);
        if (p.subtype)
            return {};
        if (text.empty())
            return rowError(fileName_, p.row, kSubtype, Errc::Schema, "an app partition needs a subtype");
        if (esp::isProjectSubtype(p.type, text)) {
            notes_.push_back(
                note(Severity::Warning, "import.esp-custom-subtype",
                     fileName_ + ":" + std::to_string(p.row.line) + ": " + p.row.f[kName] + ": subtype '" +
                         text + "' is not one gen_esp32part.py knows for type " + p.row.f[kType] +
                         "; it is kept as a project-defined subtype (EXTRA_PARTITION_SUBTYPES) whose "
                         "number the table does not say"));
            return {};
        }
        return rowError(fileName_, p.row, kSubtype, Errc::Schema,
                        "unknown subtype '" + text + "' for type " + p.row.f[kType]);
    }

    const std::string& fileName_;
    std::vector<Diagnostic>& notes_;
};

/// Gives every row that takes part in placement its offset and size, as gen_esp32part.py does.
Result<void> place(std::vector<Planned>& rows, const std::string& fileName, std::vector<Diagnostic>& notes) {
    std::optional<std::uint64_t> lastEnd = esp::kFirstFree;
    const Planned* previous = nullptr;
    for (Planned& p : rows) {
        if (p.primary)
            continue;
        if (p.unplaced) {
            lastEnd.reset(); // a bootloader row that is not the primary one ends where the build says
            previous = &p;
            continue;
        }
        if (p.autoOffset) {
            if (!lastEnd)
                return rowError(fileName, p.row, kOffset, Errc::Schema,
                                "the offset is empty, so the row follows " + previous->row.f[kName] +
                                    ", a bootloader row whose end only the build configuration knows; give " +
                                    p.row.f[kName] + " an offset");
            const std::uint64_t align = esp::offsetAlignment(p.type);
            p.offset = alignUp(*lastEnd, align);
        } else if (lastEnd && p.offset < *lastEnd) {
            notes.push_back(note(Severity::Warning, "import.esp-row-order",
                                 fileName + ":" + std::to_string(p.row.line) + ": " + p.row.f[kName] +
                                     " starts at " + formatHex(p.offset) + ", before " + formatHex(*lastEnd) +
                                     (previous ? ", the end of " + previous->row.f[kName]
                                               : ", the end of the partition table at its default offset") +
                                     "; gen_esp32part.py refuses rows that overlap or go back"));
        }
        if (p.type != esp::kPartitionTable) {
            if (p.sizeField >= 0) {
                p.size = static_cast<std::uint64_t>(p.sizeField);
            } else {
                const auto end = static_cast<std::uint64_t>(-p.sizeField);
                if (end <= p.offset)
                    return rowError(fileName, p.row, kSize, Errc::Schema,
                                    "size " + p.row.f[kSize] + " means the partition ends at " +
                                        formatHex(end) + ", which is not after its offset " +
                                        formatHex(p.offset));
                p.size = end - p.offset;
            }
        }
        if (!rangeWithin(p.offset, p.size, esp::kLimit))
            return rowError(fileName, p.row, kSize, Errc::OutOfRange,
                            formatHex(p.offset) + " + " + formatHex(p.size) +
                                " reaches past 4 GiB; partition table entries hold 32-bit offsets and sizes");
        lastEnd = p.offset + p.size;
        previous = &p;
    }
    return {};
}

/// The flash an ESP-IDF table sits on when no board is named: 4 KiB sectors (the erase unit of every ESP
/// SPI flash), as large as the smallest flash size ESP-IDF offers (1 MiB and up, powers of two) that holds
/// the table.
FlashDevice inferredFlash(std::uint64_t end) {
    const std::uint64_t size = std::bit_ceil(std::max<std::uint64_t>(end, 1024 * 1024));
    FlashDevice d;
    d.id = "flash0";
    d.name = "ESP SPI flash (geometry inferred)";
    d.kind = FlashKind::Spi;
    d.sectors = *SectorMap::uniform(size / 0x1000, 0x1000);
    d.writeBlockSize = 4; // as Zephyr's espressif dtsi and the database's ESP32 boards say
    return d;
}

std::string joinFields(const CsvRow& row) {
    std::string out;
    for (std::size_t i = 0; i < row.f.size(); ++i)
        out += (i ? "," : "") + row.f[i];
    return out;
}

} // namespace

int EspCsvImporter::sniff(std::string_view text, std::string_view fileName) const {
    const bool csvName = fileName.ends_with(".csv") || fileName.ends_with(".CSV");
    auto rows = esp::readCsvRows(text, "");
    if (!rows || rows->empty())
        return csvName ? 5 : 0;
    std::size_t typed = 0;
    for (const CsvRow& r : *rows)
        if (esp::typeValue(r.f[1]) && !esp::parseInt(r.f[1]).ok()) // a type keyword, not just a number
            ++typed;
    if (typed == 0)
        return csvName ? 5 : 0;
    const bool header = text.find("# Name") != std::string_view::npos;
    if (typed == rows->size())
        return header || csvName ? 95 : 85;
    return csvName ? 40 : 20;
}

Result<ImportResult> EspCsvImporter::read(std::string_view text, const std::string& fileName,
                                          const ImportOptions& options) const {
    auto board = requestedBoard(options);
    if (!board)
        return board.error();
    auto rows = esp::readCsvRows(text, fileName);
    if (!rows)
        return rows.error();

    ImportResult result;
    std::vector<Diagnostic>& notes = result.notes;
    const RowReader reader(fileName, notes);
    std::vector<Planned> planned;
    for (const CsvRow& row : *rows) {
        auto p = reader.read(row);
        if (!p)
            return p.error();
        planned.push_back(std::move(*p));
    }
    if (auto r = place(planned, fileName, notes); !r)
        return r.error();

    Layout& layout = result.layout;
    layout.platform = Platform::EspIdf;
    layout.name = std::filesystem::path(fileName).stem().string();
    if (*board) {
        const Board& b = **board;
        if (b.devices.empty()) {
            Error e = makeError(Errc::NotFound, "board " + b.id + " has no flash device");
            e.field = "--board";
            return e;
        }
        layout.board = b;
        layout.boardRef = b.id;
    } else {
        std::uint64_t end = 0;
        for (const Planned& p : planned)
            if (!p.unplaced)
                end = std::max(end, p.offset + p.size);
        layout.board.id = "esp_idf";
        layout.board.name = "ESP-IDF flash (geometry inferred)";
        layout.board.devices.push_back(inferredFlash(end));
        notes.insert(notes.begin(), inferredGeometryNote(layout.board.devices.front(), fileName));
    }
    // ESP chips boot from one SPI flash; on a board with several flashes it is the external one.
    const std::vector<FlashDevice>& devices = layout.board.devices;
    const auto external =
        std::find_if(devices.begin(), devices.end(), [](const FlashDevice& d) { return isExternal(d.kind); });
    const FlashDevice& flash = external == devices.end() ? devices.front() : *external;
    if (devices.size() > 1)
        notes.push_back(note(Severity::Info, "import.esp-device",
                             fileName + ": board " + layout.board.id + " has " +
                                 std::to_string(devices.size()) + " flash devices; the table goes on " +
                                 flash.id));

    bool assumedTableOffset = false;
    for (const Planned& p : planned) {
        const std::string& name = p.row.f[kName];
        if (name.size() > esp::kNameBytes)
            notes.push_back(note(Severity::Warning, "import.esp-long-name",
                                 fileName + ":" + std::to_string(p.row.line) + ": name '" + name + "' is " +
                                     std::to_string(name.size()) + " bytes; the table keeps " +
                                     std::to_string(esp::kNameBytes) + " and cuts the rest"));
        if (p.unplaced) {
            setProperty(layout.properties, "esp-idf.row." + std::to_string(p.row.index), joinFields(p.row));
            notes.push_back(
                note(Severity::Warning, "import.esp-bootloader-row",
                     fileName + ":" + std::to_string(p.row.line) + ": " + name +
                         ": a bootloader row takes its offset and size from the chip and the build "
                         "configuration, so it is kept for export but not placed in the layout"));
            continue;
        }
        assumedTableOffset = assumedTableOffset || p.autoOffset || p.primary;
        Partition part;
        part.label = name;
        part.device = flash.id;
        part.offset = p.offset;
        part.size = p.size;
        part.readOnly = p.flags.readOnly;
        part.role = esp::roleOf(p.type, p.subtype);
        setProperty(part.properties, "esp-idf.type", p.row.f[kType]);
        setProperty(part.properties, "esp-idf.subtype", p.row.f[kSubtype]);
        if (!p.row.f[kFlags].empty())
            setProperty(part.properties, "esp-idf.flags", p.row.f[kFlags]);
        if (p.autoOffset)
            setProperty(part.properties, "esp-idf.offset-auto", "true");
        layout.partitions.push_back(std::move(part));
    }
    if (assumedTableOffset)
        notes.push_back(note(Severity::Info, "import.esp-table-offset",
                             fileName +
                                 ": the partition table is taken to be at ESP-IDF's default offset 0x8000 "
                                 "(CONFIG_PARTITION_TABLE_OFFSET), so rows with an empty offset start at "
                                 "0x9000, apps on 64 KiB and the rest on 4 KiB boundaries, as "
                                 "gen_esp32part.py places them; a project with another table offset "
                                 "places them elsewhere"));
    return result;
}

} // namespace flashplan
