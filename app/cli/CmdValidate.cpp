// SPDX-License-Identifier: Apache-2.0
// flashplan-cli validate <layout>: every rule pack that applies; exit 1 when errors are found.
#include "cli/CliContext.h"
#include "io/JsonModel.h"
#include "rules/RulePack.h"

#include <ostream>

namespace flashplan::cli {

int runValidate(CliContext& ctx) {
    if (ctx.args.size() != 1)
        return ctx.usage("validate takes exactly one layout");
    auto loaded = loadLayoutArgument(ctx.args.front(), ctx);
    if (!loaded)
        return ctx.fail(loaded.error());
    const Layout& layout = loaded->layout;
    // What the importer had to assume belongs with what the rules find.
    std::vector<Diagnostic> diagnostics = loaded->notes;
    for (Diagnostic& d : validate(layout))
        diagnostics.push_back(std::move(d));
    sortDiagnostics(diagnostics);
    const DiagnosticCounts n = countSeverities(diagnostics);
    const bool failed = n.errors > 0 || (ctx.strict && n.warnings > 0);

    if (ctx.json) {
        ctx.printJson({{"source", loaded->source},
                       {"valid", !failed},
                       {"errors", n.errors},
                       {"warnings", n.warnings},
                       {"infos", n.infos},
                       {"diagnostics", toJson(diagnostics, layout)}});
    } else {
        for (const Diagnostic& d : diagnostics) {
            ctx.out << loaded->source << ": " << to_string(d.severity) << ": [" << d.rule << "] " << d.message
                    << '\n';
            if (d.fix)
                ctx.out << "    fix: " << d.fix->description << '\n';
        }
        ctx.out << loaded->source << ": " << n.errors << (n.errors == 1 ? " error, " : " errors, ")
                << n.warnings << (n.warnings == 1 ? " warning, " : " warnings, ") << n.infos
                << (n.infos == 1 ? " info" : " infos") << '\n';
    }
    return failed ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
