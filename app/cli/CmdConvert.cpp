// SPDX-License-Identifier: Apache-2.0
// flashplan-cli convert <in> [<overlay>...] <out> [--to <format>] (also: export): read a layout in one
// format (a devicetree board file with its overlays applied in order), write it in another. Its job is
// the conversion: once the input is read and the files written (atomically) it exits 0, whatever the
// rules find; the findings go to stderr, and --strict makes an error or a warning exit 1.
#include "cli/CliContext.h"
#include "cli/LayoutPrinter.h"
#include "io/JsonModel.h"
#include "rules/RulePack.h"

#include <ostream>

namespace flashplan::cli {

int runConvert(CliContext& ctx) {
    if (ctx.args.size() < 2)
        return ctx.usage(std::string(ctx.command ? ctx.command->name : "convert") +
                         " takes an input (a board file may be followed by overlays) and an output file");
    const std::string& output = ctx.args.back();
    const std::vector<std::string> overlays(ctx.args.begin() + 1, ctx.args.end() - 1);
    auto format = outputFormat(ctx.to, output);
    if (!format)
        return ctx.fail(format.error());
    if (auto w = checkOutputPath(output, "<out>"); !w)
        return ctx.fail(w.error());
    auto loaded = loadLayoutArgument(ctx.args.front(), ctx, overlays);
    if (!loaded)
        return ctx.fail(loaded.error());
    inlineUserBoard(ctx, loaded->layout);
    const Layout& layout = loaded->layout;
    auto files = exportToFiles(layout, **format, output, ctx.exportOptions);
    if (!files)
        return ctx.fail(files.error());

    const std::vector<Diagnostic> diagnostics = findings(layout, loaded->notes);
    const DiagnosticCounts n = countSeverities(diagnostics);
    const bool failed = ctx.findingsFail(n, false);

    if (ctx.json) {
        nlohmann::ordered_json written = nlohmann::ordered_json::array();
        for (const ExportedFile& f : *files)
            written.push_back(f.path.string());
        ctx.printJson({{"source", loaded->source},
                       {"from", std::string(loaded->format->name)},
                       {"to", std::string((*format)->name)},
                       {"files", written},
                       {"valid", !ctx.findingsFail(n, true)},
                       {"errors", n.errors},
                       {"warnings", n.warnings},
                       {"infos", n.infos},
                       {"diagnostics", toJson(diagnostics, layout)}});
    } else {
        for (const ExportedFile& f : *files)
            ctx.out << "wrote " << f.path.string() << " (" << (*format)->name << ")\n";
        printFindings(ctx.err, loaded->source, diagnostics, false);
    }
    return failed ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
