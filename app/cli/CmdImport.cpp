// SPDX-License-Identifier: Apache-2.0
// flashplan-cli import <in>: read a layout in any format and show it (as JSON with --json).
#include "cli/CliContext.h"
#include "cli/LayoutPrinter.h"
#include "io/JsonModel.h"

#include <ostream>

namespace flashplan::cli {

int runImport(CliContext& ctx) {
    if (ctx.args.size() != 1)
        return ctx.usage("import takes exactly one input file");
    auto loaded = loadLayoutArgument(ctx.args.front(), ctx);
    if (!loaded)
        return ctx.fail(loaded.error());
    if (ctx.json) {
        ctx.printJson({{"source", loaded->source},
                       {"format", std::string(loaded->format->name)},
                       {"layout", toJson(loaded->layout)},
                       {"notes", toJson(loaded->notes, loaded->layout)}});
        return kExitOk;
    }
    ctx.out << "Format: " << loaded->format->name << " (" << loaded->format->title << ")\n";
    printLayout(ctx.out, loaded->layout, loaded->source);
    for (const Diagnostic& d : loaded->notes)
        ctx.out << loaded->source << ": " << to_string(d.severity) << ": [" << d.rule << "] " << d.message
                << '\n';
    return kExitOk;
}

} // namespace flashplan::cli
