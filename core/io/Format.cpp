// SPDX-License-Identifier: Apache-2.0
// Helpers that every importer shares.
#include "io/Format.h"

#include "io/TextFile.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

Result<std::string> readImportFile(const ImportOptions& options, const std::filesystem::path& path,
                                   const InputLimit& limit) {
    if (!options.readFile)
        return readTextFile(path, limit);
    auto text = options.readFile(path);
    if (text)
        if (auto r = checkInputSize(path, text->size(), limit); !r)
            return r.error();
    return text;
}

Result<ImportedFile> importFile(const std::filesystem::path& path, const Format* format,
                                const ImportOptions& options) {
    // An empty file is refused for every format: none of their platforms reads an empty file as a layout
    // (an empty overlay or .dtsi, which Zephyr takes, is read as one that changes nothing).
    auto text = readImportFile(options, path, layoutTextLimit());
    if (!text)
        return text.error();
    if (!format) {
        auto detected = detectFormat(*text, path.string());
        if (!detected)
            return detected.error();
        format = *detected;
    }
    if (!format->importer)
        return makeError(Errc::NotSupported, "Flashplan cannot read " + std::string(format->title));
    if (!options.overlays.empty() && !format->importer->readsOverlays()) {
        Error e = makeError(Errc::InvalidArgument, "overlays apply to a devicetree board file, and " +
                                                       path.string() + " is read as " +
                                                       std::string(format->title) + ", one file on its own");
        e.where.file = options.overlays.front().string();
        return e;
    }
    auto imported = format->importer->read(*text, path.string(), options);
    if (!imported)
        return imported.error();
    return ImportedFile{std::move(imported->layout), std::move(imported->notes), format};
}

Result<std::vector<ExportedFile>> exportToFiles(const Layout& layout, const Format& format,
                                                const std::filesystem::path& path,
                                                const ExportOptions& options) {
    if (!format.exporter)
        return makeError(Errc::NotSupported, "Flashplan cannot write " + std::string(format.title));
    auto files = format.exporter->write(layout, path, options);
    if (!files)
        return files.error();
    for (const ExportedFile& f : *files)
        if (auto r = writeFileAtomically(f.path, f.text); !r)
            return r.error();
    return files;
}

Result<const Board*> requestedBoard(const ImportOptions& options) {
    if (options.boardId.empty())
        return static_cast<const Board*>(nullptr);
    const Board* board = options.db ? options.db->find(options.boardId) : nullptr;
    if (!board) {
        Error e = makeError(Errc::NotFound,
                            "board '" + options.boardId +
                                "' is not in the device database (flashplan-cli devices lists them)");
        e.field = "--board";
        return e;
    }
    return board;
}

FlashDevice inferDevice(std::string id, FlashKind kind, std::optional<std::uint64_t> cpuBase,
                        const std::vector<Partition>& partitions, std::uint64_t minimumSize) {
    constexpr std::uint64_t kLargest = 64 * 1024;
    std::uint64_t sector = kLargest;
    std::uint64_t end = minimumSize;
    for (const Partition& p : partitions) {
        while (sector > 1 && (p.offset % sector != 0 || p.size % sector != 0))
            sector /= 2;
        end = std::max(end, p.end());
    }
    const std::uint64_t count = std::max<std::uint64_t>(1, (end + sector - 1) / sector);
    FlashDevice d;
    d.id = std::move(id);
    d.name = d.id + " (geometry inferred)";
    d.kind = kind;
    d.cpuBase = cpuBase;
    d.sectors = *SectorMap::uniform(count, sector);
    d.geometryInferred = true;
    return d;
}

// Info, not a warning: a file that names no chip is the norm for several formats (an ESP-IDF table never
// does), and the rules grade what they find against a guessed map as warnings themselves.
Diagnostic inferredGeometryNote(const FlashDevice& device, const std::string& fileName) {
    return Diagnostic{Severity::Info,
                      "import.inferred-geometry",
                      fileName + ": names no board, so the sector map of " + device.id + " is a guess (" +
                          device.sectors.toString() + ", " + formatSize(device.size()) +
                          "); pass --board <id> for the real geometry",
                      {},
                      std::nullopt};
}

} // namespace flashplan
