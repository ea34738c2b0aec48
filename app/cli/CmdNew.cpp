// SPDX-License-Identifier: Apache-2.0
// flashplan-cli new <board> [--profile P] [--bootloader-size N] [--storage-size N] [--external] [-o FILE]:
// design the layout that gives the application the most space on a board, and write or show it.
#include "cli/CliContext.h"
#include "cli/LayoutPrinter.h"
#include "design/AutoLayout.h"
#include "io/JsonModel.h"
#include "util/Numbers.h"

#include <ostream>

namespace flashplan::cli {

int runNew(CliContext& ctx) {
    if (ctx.args.size() != 1)
        return ctx.usage("new takes one board id (flashplan-cli devices lists them)");
    if (!ctx.output.empty())
        if (auto w = checkOutputPath(ctx.output, "--output"); !w)
            return ctx.fail(w.error());
    const Board* board = ctx.db.find(ctx.args.front());
    if (!board)
        return ctx.fail(
            makeError(Errc::NotFound, "board '" + ctx.args.front() + "' is not in the device database"));
    LayoutWishes wishes = ctx.wishes;
    if (!ctx.profile.empty())
        wishes.profile = ctx.profile;
    auto layout = designLayout(*board, wishes);
    if (!layout)
        return ctx.fail(layout.error());
    if (auto r = applySettings(ctx, layout->bootloader); !r)
        return ctx.fail(r.error());
    inlineUserBoard(ctx, *layout);

    std::vector<std::string> written;
    if (!ctx.output.empty()) {
        auto format = outputFormat(ctx.to, ctx.output);
        if (!format)
            return ctx.fail(format.error());
        auto files = exportToFiles(*layout, **format, ctx.output, ctx.exportOptions);
        if (!files)
            return ctx.fail(files.error());
        for (const ExportedFile& f : *files)
            written.push_back(f.path.string());
    }
    const std::uint64_t space = applicationSpace(*layout);
    if (ctx.json) {
        ctx.printJson({{"board", board->id},
                       {"profile", wishes.profile},
                       {"application_space", space},
                       {"files", written},
                       {"layout", toJson(*layout)}});
        return kExitOk;
    }
    printLayout(ctx.out, *layout, "new");
    ctx.out << "\nApplication space: " << formatHexAndSize(space) << '\n';
    for (const std::string& f : written)
        ctx.out << "wrote " << f << '\n';
    return kExitOk;
}

} // namespace flashplan::cli
