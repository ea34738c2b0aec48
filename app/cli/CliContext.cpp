// SPDX-License-Identifier: Apache-2.0
#include "cli/CliContext.h"

#include "db/ExampleLayouts.h"
#include "io/JsonModel.h"
#include "io/TextFile.h"
#include "model/BootloaderProfile.h"
#include "rules/BootloaderSettings.h"
#include "util/Numbers.h"

#include <algorithm>

#include <filesystem>
#include <ostream>

#include <unistd.h>

namespace flashplan::cli {

int CliContext::fail(const Error& error) const {
    if (json) {
        // One line, like the events of the commands that stream: a reader of lines never breaks on it.
        const nlohmann::ordered_json line = {
            {"schema", kJsonSchema}, {"event", "error"}, {"error", toJson(error)}};
        out << dumpJson(line) << std::endl;
    } else {
        err << "flashplan-cli: " << error.toString() << '\n';
    }
    return kExitFailure;
}

int CliContext::usage(const std::string& message) const {
    const std::string help =
        command ? usageLine(*command) + " (flashplan-cli " + command->name + " --help lists its options)"
                : "Usage: flashplan-cli <command> [arguments] [options] (flashplan-cli "
                  "--help lists the commands)";
    if (json)
        return fail(makeError(Errc::InvalidArgument, message + "; " + help));
    err << "flashplan-cli: " << message << '\n' << help << '\n';
    return kExitFailure;
}

std::string usageLine(const Command& command) {
    std::string line = std::string("Usage: flashplan-cli ") + command.name;
    if (*command.synopsis)
        line += std::string(" ") + command.synopsis;
    return line + " [options]";
}

Result<void> checkOutputPath(const std::string& path, const std::string& option) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path p(path);
    const auto refuse = [&](const std::string& why) {
        Error e = makeError(Errc::InvalidArgument, "cannot write " + path + ": " + why);
        e.where.file = path;
        e.field = option;
        return e;
    };
    if (path.empty())
        return refuse("no file name");
    if (fs::is_directory(p, ec))
        return refuse("it is a folder");
    const fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec))
        return refuse("no folder " + folder.string());
    // The file is written atomically (a new file beside it, then renamed): the folder must take new files.
    if (::access(folder.c_str(), W_OK) != 0)
        return refuse("the folder " + folder.string() + " is not writable");
    if (fs::exists(p, ec) && ::access(p.c_str(), W_OK) != 0)
        return refuse("it is not writable");
    return {};
}

void CliContext::printJson(nlohmann::ordered_json document) const {
    nlohmann::ordered_json withSchema = {{"schema", kJsonSchema}};
    withSchema.update(document);
    out << dumpJson(std::move(withSchema), 2) << '\n';
}

Result<void> applySettings(const CliContext& ctx, BootloaderProfile& bootloader) {
    for (const auto& [name, value] : ctx.settings) {
        // Checked against the layout's bootloader before any rule reads it.
        if (auto r = checkSetting(bootloader, name, value); !r) {
            Error e = r.error();
            e.message = "--set " + e.message;
            return e;
        }
        setProperty(bootloader.settings, name, value);
    }
    return {};
}

void inlineUserBoard(const CliContext& ctx, Layout& layout) {
    if (!layout.boardRef.empty() && !ctx.db.isBuiltin(layout.boardRef))
        layout.boardRef.clear();
}

namespace {
/// --profile and --set, applied to every layout a command loads.
Result<void> applyOverrides(const CliContext& ctx, Layout& layout) {
    if (!ctx.profile.empty())
        if (const ProfileInfo* profile = findProfile(ctx.profile)) // main() refused unknown ones
            applyProfile(layout.bootloader, *profile);
    return applySettings(ctx, layout.bootloader);
}
} // namespace

Result<const Format*> outputFormat(const std::string& to, const std::string& fileName) {
    if (!to.empty()) {
        const Format* f = findFormat(to);
        if (!f || !f->exporter) {
            std::string names;
            for (const Format& x : allFormats())
                if (x.exporter)
                    names += (names.empty() ? "" : ", ") + std::string(x.name);
            return makeError(Errc::InvalidArgument,
                             "--to " + to + ": not a format Flashplan writes (" + names + ")");
        }
        return f;
    }
    const Format* match = nullptr;
    for (const Format& f : allFormats()) {
        if (!f.exporter || !hasExtension(f, fileName))
            continue;
        if (match)
            return makeError(Errc::InvalidArgument, "'" + fileName + "' could be " +
                                                        std::string(match->name) + " or " +
                                                        std::string(f.name) + "; say which with --to");
        match = &f;
    }
    if (!match)
        return makeError(Errc::InvalidArgument,
                         "cannot tell the output format from '" + fileName + "'; say it with --to");
    return match;
}

Result<LoadedLayout> loadLayoutArgument(const std::string& arg, const CliContext& ctx,
                                        const std::vector<std::string>& overlays) {
    std::error_code ec;
    if (std::filesystem::exists(arg, ec)) {
        const Format* format = nullptr;
        if (!ctx.from.empty()) {
            format = findFormat(ctx.from);
            if (!format || !format->importer)
                return makeError(Errc::InvalidArgument,
                                 "--from " + ctx.from + ": not a format Flashplan reads");
        }
        ImportOptions options = ctx.importOptions;
        options.overlays.assign(overlays.begin(), overlays.end());
        auto imported = importFile(arg, format, options);
        if (!imported)
            return imported.error();
        LoadedLayout loaded{std::move(imported->layout), arg, imported->format, std::move(imported->notes)};
        if (auto r = applyOverrides(ctx, loaded.layout); !r)
            return r.error();
        return loaded;
    }
    if (!overlays.empty()) {
        Error e =
            makeError(Errc::NotFound,
                      "no such file (overlays apply to a devicetree board file, not to an example layout)");
        e.where.file = arg;
        return e;
    }
    const std::string name = arg.starts_with("example:") ? arg.substr(8) : arg;
    auto example = ExampleLayouts::load(name, ctx.db);
    if (example) {
        LoadedLayout loaded{std::move(*example), "example:" + name, findFormat("flashplan"), {}};
        if (auto r = applyOverrides(ctx, loaded.layout); !r)
            return r.error();
        return loaded;
    }
    if (example.error().code != Errc::NotFound)
        return example.error();
    std::string known;
    for (const std::string& n : ExampleLayouts::names())
        known += (known.empty() ? "" : ", ") + n;
    Error e = makeError(Errc::NotFound,
                        "no such file, and no example layout of that name (examples: " + known + ")");
    e.where.file = arg;
    return e;
}

Result<ImageLoadOptions> imageLoadOptions(const CliImageOptions& options) {
    ImageLoadOptions load;
    if (!options.format.empty()) {
        load.format = imageFormatFromString(options.format);
        if (!load.format)
            return makeError(Errc::InvalidArgument,
                             "--format " + options.format + ": use bin, hex, srec or elf");
    }
    if (!options.base.empty()) {
        auto base = parseNumber(options.base);
        if (!base)
            return makeError(Errc::InvalidArgument, "--base " + options.base + ": " + base.error().message);
        load.base = *base;
    }
    return load;
}

} // namespace flashplan::cli
