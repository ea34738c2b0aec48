// SPDX-License-Identifier: Apache-2.0
// flashplan-cli info [<board|layout>]: the sector maps of a board, and the partitions of a layout.
#include "cli/CliContext.h"
#include "cli/LayoutPrinter.h"
#include "db/ExampleLayouts.h"
#include "io/BuildSettings.h"
#include "io/JsonModel.h"

#include <filesystem>
#include <ostream>

namespace flashplan::cli {

int runInfo(CliContext& ctx) {
    if (ctx.args.size() > 1)
        return ctx.usage("info takes one board id or layout");
    const std::string arg = ctx.args.empty() ? std::string(ExampleLayouts::kDefault) : ctx.args.front();

    std::error_code ec;
    if (!std::filesystem::exists(arg, ec)) {
        if (const Board* b = ctx.db.find(arg)) {
            if (ctx.json)
                ctx.printJson({{"kind", "board"}, {"board", toJson(*b)}});
            else
                printBoard(ctx.out, *b);
            return kExitOk;
        }
    }
    auto loaded = loadLayoutArgument(arg, ctx);
    if (!loaded)
        return ctx.fail(loaded.error());
    const Layout& l = loaded->layout;
    if (ctx.json) {
        nlohmann::ordered_json settings = nlohmann::ordered_json::object();
        for (const auto& [name, value] : buildSettings(l))
            settings[name] = value;
        ctx.printJson({{"kind", "layout"},
                       {"source", loaded->source},
                       {"layout", toJson(l)},
                       {"build_settings", std::move(settings)}});
        return kExitOk;
    }
    printLayout(ctx.out, l, loaded->source);
    return kExitOk;
}

} // namespace flashplan::cli
