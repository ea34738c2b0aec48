// SPDX-License-Identifier: Apache-2.0
#include "cli/CliContext.h"

#include "db/ExampleLayouts.h"
#include "io/JsonModel.h"
#include "io/TextFile.h"
#include "model/BootloaderProfile.h"
#include "util/Numbers.h"

#include <algorithm>

#include <filesystem>
#include <ostream>

namespace flashplan::cli {

int CliContext::fail(const Error& error) const {
    if (json)
        printJson({{"error", toJson(error)}});
    else
        err << "flashplan-cli: " << error.toString() << '\n';
    return kExitFailure;
}

int CliContext::usage(const std::string& message) const {
    return fail(makeError(Errc::InvalidArgument, message + " (flashplan-cli --help shows the commands)"));
}

void CliContext::printJson(nlohmann::ordered_json document) const {
    nlohmann::ordered_json withSchema = {{"schema", kJsonSchema}};
    withSchema.update(document);
    out << withSchema.dump(2) << '\n';
}

namespace {
/// --profile and --set, applied to every layout a command loads.
Result<void> applyOverrides(const CliContext& ctx, Layout& layout) {
    if (!ctx.profile.empty()) {
        const ProfileInfo* profile = findProfile(ctx.profile);
        if (!profile) {
            std::string names;
            for (const ProfileInfo& p : allProfiles())
                names += (names.empty() ? "" : ", ") + std::string(p.id);
            return makeError(Errc::InvalidArgument,
                             "--profile " + ctx.profile + ": not a profile (" + names + ")");
        }
        applyProfile(layout.bootloader, *profile);
    }
    for (const auto& [name, value] : ctx.settings) {
        auto& settings = layout.bootloader.settings;
        const auto it =
            std::find_if(settings.begin(), settings.end(), [&](const auto& kv) { return kv.first == name; });
        if (it != settings.end())
            it->second = value;
        else
            settings.emplace_back(name, value);
    }
    return {};
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

Result<LoadedLayout> loadLayoutArgument(const std::string& arg, const CliContext& ctx) {
    std::error_code ec;
    if (std::filesystem::exists(arg, ec)) {
        auto text = readImportFile(ctx.importOptions, arg);
        if (!text)
            return text.error();
        const Format* format = nullptr;
        if (!ctx.from.empty()) {
            format = findFormat(ctx.from);
            if (!format || !format->importer)
                return makeError(Errc::InvalidArgument,
                                 "--from " + ctx.from + ": not a format Flashplan reads");
        } else {
            auto detected = detectFormat(*text, arg);
            if (!detected)
                return detected.error();
            format = *detected;
        }
        auto imported = format->importer->read(*text, arg, ctx.importOptions);
        if (!imported)
            return imported.error();
        LoadedLayout loaded{std::move(imported->layout), arg, format, std::move(imported->notes)};
        if (auto r = applyOverrides(ctx, loaded.layout); !r)
            return r.error();
        return loaded;
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
