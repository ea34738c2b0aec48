// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendRegistry.h"
#include "boot/TrailerRequest.h"
#include "db/DeviceDatabase.h"
#include "design/AutoLayout.h"
#include "image/ImageFormat.h"
#include "io/Format.h"
#include "model/Layout.h"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flashplan::cli {

/// Exit codes of every command: 0 success, 1 the check found errors, 2 usage or I/O error.
enum ExitCode { kExitOk = 0, kExitFindings = 1, kExitFailure = 2 };

/// The JSON documents flashplan-cli prints carry this "schema" (docs/cli-json.md).
inline constexpr const char* kJsonSchema = "flashplan-cli/1";

/// The options of the image command, as given (parsed by the command, which reports their errors).
struct CliImageOptions {
    std::string layout;         ///< --layout: the layout whose partition the image is fitted to
    std::string partition;      ///< --partition: that partition's label
    std::string base;           ///< --base: a raw binary's CPU address
    std::string format;         ///< --format: bin, hex, srec or elf, instead of recognising it
    std::string trailerReserve; ///< --trailer-reserve: bytes at the slot's end the bootloader keeps
};

/// The options of flash, verify, read and erase.
struct CliProgramOptions {
    std::string backend; ///< --backend: sim (default), openocd, dfu
    /// The values of the backends' declared options (--sim-dir, --interface, --device...), by backend name.
    std::map<std::string, programmer::BackendOptions, std::less<>> options;
    bool full = false;          ///< --full: erase and write every sector the image touches
    bool noVerify = false;      ///< --no-verify
    bool reset = false;         ///< --reset: start the target afterwards
    bool keepTrailer = false;   ///< --keep-trailer: leave an MCUboot slot's trailer area as it is
    bool writeReadOnly = false; ///< --write-read-only: the confirmation a read-only partition needs
    std::optional<mcuboot::UpgradeRequest> request; ///< --mcuboot test|permanent|confirm

    /// The option values given for one backend (none given: all empty, the backend's defaults).
    const programmer::BackendOptions& optionsOf(std::string_view kind) const {
        static const programmer::BackendOptions kNone;
        const auto it = options.find(kind);
        return it == options.end() ? kNone : it->second;
    }
};

struct Command;

/// What every command gets: parsed global options, the device database, the output streams.
struct CliContext {
    const Command* command = nullptr; ///< the command being run: usage errors show its usage
    bool json = false;
    bool interactive = false;    ///< stderr is a terminal: progress lines are rewritten in place
    bool strict = false;         ///< --strict: every error and warning fails (findingsFail())
    std::string from;            ///< --from: the input's format, instead of recognising it
    std::string to;              ///< --to: the output's format
    ImportOptions importOptions; ///< --board, -I; db is set once the database is loaded
    ExportOptions exportOptions; ///< --dts-style
    std::string profile;         ///< --profile: replaces the layout's bootloader kind and mode
    std::vector<std::pair<std::string, std::string>> settings; ///< --set NAME=VALUE bootloader settings
    bool fix = false;                                          ///< validate --fix
    std::string output;  ///< --output: where validate --fix and new write
    LayoutWishes wishes; ///< new: --bootloader-size, --storage-size, --external
    DeviceDatabase db;
    std::vector<std::string> args; ///< the command's positional arguments
    CliImageOptions image;         ///< --layout, --partition, --base, --format, --trailer-reserve
    CliProgramOptions program;     ///< flash, verify, read, erase
    std::string keyFile;           ///< inspect --key: the public key (PEM) signatures are checked with
    bool noHash = false;           ///< inspect --no-hash: headers and trailers only, no image read whole
    std::ostream& out;             ///< stdout: text escaped for the terminal (EscapingStream), JSON as it is
    std::ostream& err;             ///< stderr, escaped for the terminal
    /// stderr as it is, for the one line a job's progress rewrites in place with '\r' (which err would show
    /// as \x0D); nothing from an input is written there.
    std::ostream& progressLine;

    CliContext(std::ostream& o, std::ostream& e, std::ostream& p) : out(o), err(e), progressLine(p) {}

    /// Prints an error and returns kExitFailure: with --json one line on stdout,
    /// {"schema", "event": "error", "error": {...}}, as every command prints its errors; else text on stderr.
    int fail(const Error& error) const;
    /// Prints a usage error with the command's usage line (or the general one) and returns kExitFailure.
    int usage(const std::string& message) const;
    /// Prints a JSON document with the schema field added.
    void printJson(nlohmann::ordered_json document) const;
    /// Whether findings make a command exit 1: errors where they fail the command's job (`errorsFail`:
    /// validate, image), and with --strict any error or warning (import and convert, whose job is done
    /// once they read the input and wrote the output, otherwise exit 0).
    bool findingsFail(const DiagnosticCounts& counts, bool errorsFail) const {
        return (errorsFail && counts.errors > 0) || (strict && counts.errors + counts.warnings > 0);
    }
};

/// What a layout argument named, once resolved.
struct LoadedLayout {
    Layout layout;
    std::string source;             ///< the file path, or "example:<name>"
    const Format* format = nullptr; ///< the format it was read in
    std::vector<Diagnostic> notes;  ///< what the importer had to assume
};

/// Resolves a layout argument: an existing file in any importable format (recognised from content and
/// name, or ctx.from), with `overlays` applied after it in order (a devicetree board file only), else a
/// compiled-in example by name ("example:" prefix optional). Errors name the file, line and field.
Result<LoadedLayout> loadLayoutArgument(const std::string& arg, const CliContext& ctx,
                                        const std::vector<std::string>& overlays = {});

/// --set NAME=VALUE onto a bootloader's settings, each checked first (checkSetting(): an unknown name or
/// a value of the wrong type is an error naming the known ones).
Result<void> applySettings(const CliContext& ctx, BootloaderProfile& bootloader);

/// Before a layout is written as a file: a board that is not compiled in (one of a --devices folder) is
/// written inline, so that the file reopens without that folder.
void inlineUserBoard(const CliContext& ctx, Layout& layout);

/// --format and --base as the image loader takes them; errors name the option.
Result<ImageLoadOptions> imageLoadOptions(const CliImageOptions& options);

/// The index of the partition labelled `label`; Errc::NotFound listing the labels there are.
Result<std::size_t> findPartition(const LoadedLayout& loaded, const std::string& label);

/// The output format for a file name: `to` when given, else the one writable format whose extension the
/// file has. Errors say why and how to choose.
Result<const Format*> outputFormat(const std::string& to, const std::string& fileName);

/// One command: its name, the arguments it takes, a one-line summary, the options it takes (names and
/// groups, expandOptionList()), an example for its help, and the function that runs it.
struct Command {
    const char* name;
    const char* synopsis;
    const char* summary;
    const char* options;
    const char* example;
    int (*run)(CliContext&);
};

/// "Usage: flashplan-cli flash <layout> <partition> <image> [options]".
std::string usageLine(const Command& command);

/// Errc::InvalidArgument when `path` cannot be written: its folder is missing or not writable, it is a
/// folder, or it exists and is not writable. Commands check their outputs before any work.
Result<void> checkOutputPath(const std::string& path, const std::string& option);

int runDevices(CliContext& ctx);
int runDevicesImport(CliContext& ctx);
int runInfo(CliContext& ctx);
int runValidate(CliContext& ctx);
int runImport(CliContext& ctx);
int runConvert(CliContext& ctx);
int runNew(CliContext& ctx);
int runImage(CliContext& ctx);
int runFlash(CliContext& ctx);
int runVerify(CliContext& ctx);
int runRead(CliContext& ctx);
int runErase(CliContext& ctx);
int runDfu(CliContext& ctx);
int runInspect(CliContext& ctx);

} // namespace flashplan::cli
