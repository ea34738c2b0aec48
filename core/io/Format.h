// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/TextFile.h"
#include "model/BoardCatalog.h"
#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// Reads a file for an importer that follows references (DTS #include); tests pass their own.
using FileReader = std::function<Result<std::string>(const std::filesystem::path&)>;

/// What an importer may need besides the text.
struct ImportOptions {
    const BoardCatalog* db = nullptr;               ///< boards by id (--board, wolfBoot TARGET=)
    std::string boardId;                            ///< --board: place the layout on this database board
    std::vector<std::filesystem::path> includeDirs; ///< -I folders for #include (DTS)
    FileReader readFile;                            ///< empty: read from disk (readTextFile)
    /// Files read after the imported one, in order, as Zephyr's build applies a board's overlays (DTS:
    /// later nodes and properties win, /delete-node/ and &label { } apply). Only an importer whose
    /// readsOverlays() is true takes them; importFile() refuses them for the others.
    std::vector<std::filesystem::path> overlays;
};

/// An imported layout, and what the importer had to assume to make it (a sector map inferred for want of a
/// board, a construct of the file that the layout does not keep): warnings and infos, never errors.
struct ImportResult {
    Layout layout;
    std::vector<Diagnostic> notes;
};

/// Choices an exporter offers.
struct ExportOptions {
    std::string dtsStyle =
        "classic"; ///< dts: "classic" (fixed-partitions) or "mapped" (zephyr,mapped-partition)
};

/// One file an exporter produces. `path` is where it goes: the output path the caller asked for, or a
/// sibling of it (the .h beside a .c).
struct ExportedFile {
    std::filesystem::path path;
    std::string text;
};

/// Reads one file format into a Layout. Errors name the file, the line and the reason; an error means
/// nothing was imported (there is no half-imported layout).
class Importer {
public:
    virtual ~Importer() = default;
    /// How surely `text` (from a file named `fileName`) is in this format: 0 not at all .. 100 certain.
    virtual int sniff(std::string_view text, std::string_view fileName) const = 0;
    virtual Result<ImportResult> read(std::string_view text, const std::string& fileName,
                                      const ImportOptions& options) const = 0;
    /// Whether read() applies ImportOptions::overlays after the file (a format whose build reads several
    /// files as one); the others read one file and are never given overlays.
    virtual bool readsOverlays() const { return false; }
};

/// Writes a Layout in one file format. Errors say what of the layout the format cannot express.
class Exporter {
public:
    virtual ~Exporter() = default;
    virtual Result<std::vector<ExportedFile>> write(const Layout& layout,
                                                    const std::filesystem::path& outputPath,
                                                    const ExportOptions& options) const = 0;
};

/// A file format: its CLI name, a title for menus, its usual file name endings, and its importer and
/// exporter (either may be null when the format goes one way only).
struct Format {
    std::string_view name;       ///< "dts", "wolfboot-target-h", ...
    std::string_view title;      ///< "Zephyr devicetree overlay"
    std::string_view extensions; ///< space separated, with the dot: ".dts .dtsi .overlay"
    const Importer* importer;
    const Exporter* exporter;
};

/// Reads a file through options.readFile, or from disk when it is empty (readTextFile()), within `limit`:
/// a folder, a device, a FIFO, a file past the limit and, unless limit.mayBeEmpty, an empty file are
/// refused, each with one message naming the file. importFile() reads the imported file so, with
/// layoutTextLimit(); an importer reads the files it follows (an #include, an overlay) with
/// includedTextLimit().
Result<std::string> readImportFile(const ImportOptions& options, const std::filesystem::path& path,
                                   const InputLimit& limit = includedTextLimit());

/// A layout read from a file, and the format it was in.
struct ImportedFile {
    Layout layout;
    std::vector<Diagnostic> notes; ///< what the importer had to assume
    const Format* format = nullptr;
};

/// Reads the layout of `path` (with options.overlays after it) in `format`, or when that is null in the
/// format detectFormat() recognises. Errors: the file cannot be read; no format claims it; the format is
/// write-only (Errc::NotSupported); overlays for a format that reads one file (Errc::InvalidArgument,
/// naming the format and the first overlay); what the importer says.
Result<ImportedFile> importFile(const std::filesystem::path& path, const Format* format,
                                const ImportOptions& options);

/// The database board that --board names (options.boardId), nullptr when none is named. An unknown id is
/// Errc::NotFound, naming the id.
Result<const Board*> requestedBoard(const ImportOptions& options);

/// For a file that describes partitions but not the flash they sit on: a device whose sectors are the
/// largest power of two, up to 64 KiB, that divides every partition offset and size (so the layout
/// validates as the file wrote it), and which reaches at least to the last partition's end and to
/// `minimumSize`. The geometry is a guess; pair it with inferredGeometryNote().
FlashDevice inferDevice(std::string id, FlashKind kind, std::optional<std::uint64_t> cpuBase,
                        const std::vector<Partition>& partitions, std::uint64_t minimumSize = 0);
/// The warning that tells the user a device's sector map was inferred, and how to give the real one.
Diagnostic inferredGeometryNote(const FlashDevice& device, const std::string& fileName);

/// Exports a layout in a format and writes every file the exporter returns, each atomically (see
/// writeFileAtomically). Returns the files written. Errors: a format Flashplan cannot write, what the
/// exporter refuses, what the file system refuses (files written before the failure stay written).
Result<std::vector<ExportedFile>> exportToFiles(const Layout& layout, const Format& format,
                                                const std::filesystem::path& path,
                                                const ExportOptions& options);

/// Every format, sorted by name.
std::span<const Format> allFormats();
const Format* findFormat(std::string_view name);
/// The importable format `text` is most surely in; Errc::NotFound naming the file when none claims it.
Result<const Format*> detectFormat(std::string_view text, const std::string& fileName);

/// True when `fileName` ends with one of the format's extensions (case-insensitive).
bool hasExtension(const Format& format, std::string_view fileName);

} // namespace flashplan
