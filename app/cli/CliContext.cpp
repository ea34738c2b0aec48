// SPDX-License-Identifier: Apache-2.0
#include "cli/CliContext.h"

#include "db/ExampleLayouts.h"
#include "io/JsonModel.h"
#include "io/LayoutFile.h"

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

void CliContext::printJson(nlohmann::json document) const {
    nlohmann::json withSchema = {{"schema", kJsonSchema}};
    withSchema.update(document);
    out << withSchema.dump(2) << '\n';
}

Result<LoadedLayout> loadLayoutArgument(const std::string& arg, const DeviceDatabase& db) {
    std::error_code ec;
    if (std::filesystem::exists(arg, ec)) {
        auto layout = LayoutFile::load(arg, db);
        if (!layout)
            return layout.error();
        return LoadedLayout{std::move(*layout), arg};
    }
    const std::string name = arg.starts_with("example:") ? arg.substr(8) : arg;
    auto example = ExampleLayouts::load(name, db);
    if (example)
        return LoadedLayout{std::move(*example), "example:" + name};
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
