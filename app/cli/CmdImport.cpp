// SPDX-License-Identifier: Apache-2.0
// flashplan-cli import <in> [<overlay>...]: read a layout in any format (a devicetree board file with its
// overlays applied in order) and show it (as JSON with --json). Its job is the reading: once the input is
// read it exits 0, whatever the rules find; the findings (infos too: what the importer assumed) go to
// stderr, and --strict makes an error or a warning exit 1.
#include "cli/CliContext.h"
#include "cli/LayoutPrinter.h"
#include "io/JsonModel.h"
#include "rules/RulePack.h"

#include <ostream>

namespace flashplan::cli {

int runImport(CliContext& ctx) {
    if (ctx.args.empty())
        return ctx.usage("import takes an input file (a board file may be followed by overlays)");
    const std::vector<std::string> overlays(ctx.args.begin() + 1, ctx.args.end());
    auto loaded = loadLayoutArgument(ctx.args.front(), ctx, overlays);
    if (!loaded)
        return ctx.fail(loaded.error());
    const std::vector<Diagnostic> diagnostics = findings(loaded->layout, loaded->notes);
    const DiagnosticCounts n = countSeverities(diagnostics);
    if (ctx.json) {
        ctx.printJson({{"source", loaded->source},
                       {"format", std::string(loaded->format->name)},
                       {"layout", toJson(loaded->layout)},
                       {"notes", toJson(loaded->notes, loaded->layout)},
                       {"valid", !ctx.findingsFail(n, true)},
                       {"errors", n.errors},
                       {"warnings", n.warnings},
                       {"infos", n.infos},
                       {"diagnostics", toJson(diagnostics, loaded->layout)}});
    } else {
        ctx.out << "Format: " << loaded->format->name << " (" << loaded->format->title << ")\n";
        printLayout(ctx.out, loaded->layout, loaded->source);
        printFindings(ctx.err, loaded->source, diagnostics, true);
    }
    return ctx.findingsFail(n, false) ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
