// SPDX-License-Identifier: Apache-2.0
#include "cli/CliContext.h"

#include "db/ExampleLayouts.h"
#include "io/JsonModel.h"

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
        return LoadedLayout{std::move(imported->layout), arg, format, std::move(imported->notes)};
    }
    const std::string name = arg.starts_with("example:") ? arg.substr(8) : arg;
    auto example = ExampleLayouts::load(name, ctx.db);
    if (example)
        return LoadedLayout{std::move(*example), "example:" + name, findFormat("flashplan"), {}};
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

} // namespace flashplan::cli
