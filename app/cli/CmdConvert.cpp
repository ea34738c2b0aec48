// SPDX-License-Identifier: Apache-2.0
// flashplan-cli convert <in> <out> [--to <format>] (also: export): read a layout in one format, validate
// it, write it in another. The files are written (atomically) whenever the export succeeds; exit 1 then
// says the layout has errors, as validate would.
#include "cli/CliContext.h"
#include "io/JsonModel.h"
#include "rules/RulePack.h"

#include <ostream>

namespace flashplan::cli {

int runConvert(CliContext& ctx) {
    if (ctx.args.size() != 2)
        return ctx.usage(std::string(ctx.command ? ctx.command->name : "convert") +
                         " takes an input and an output file");
    auto format = outputFormat(ctx.to, ctx.args[1]);
    if (!format)
        return ctx.fail(format.error());
    if (auto w = checkOutputPath(ctx.args[1], "<out>"); !w)
        return ctx.fail(w.error());
    auto loaded = loadLayoutArgument(ctx.args[0], ctx);
    if (!loaded)
        return ctx.fail(loaded.error());
    inlineUserBoard(ctx, loaded->layout);
    const Layout& layout = loaded->layout;
    auto files = exportToFiles(layout, **format, ctx.args[1], ctx.exportOptions);
    if (!files)
        return ctx.fail(files.error());

    const std::vector<Diagnostic> diagnostics = findings(layout, loaded->notes);
    const DiagnosticCounts n = countSeverities(diagnostics);
    const bool failed = n.errors > 0 || (ctx.strict && n.warnings > 0);

    if (ctx.json) {
        nlohmann::ordered_json written = nlohmann::ordered_json::array();
        for (const ExportedFile& f : *files)
            written.push_back(f.path.string());
        ctx.printJson({{"source", loaded->source},
                       {"from", std::string(loaded->format->name)},
                       {"to", std::string((*format)->name)},
                       {"files", written},
                       {"valid", !failed},
                       {"errors", n.errors},
                       {"warnings", n.warnings},
                       {"infos", n.infos},
                       {"diagnostics", toJson(diagnostics, layout)}});
    } else {
        for (const ExportedFile& f : *files)
            ctx.out << "wrote " << f.path.string() << " (" << (*format)->name << ")\n";
        for (const Diagnostic& d : diagnostics)
            if (d.severity != Severity::Info)
                ctx.out << loaded->source << ": " << to_string(d.severity) << ": [" << d.rule << "] "
                        << d.message << '\n';
        ctx.out << loaded->source << ": " << n.errors << (n.errors == 1 ? " error, " : " errors, ")
                << n.warnings << (n.warnings == 1 ? " warning" : " warnings") << '\n';
    }
    return failed ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
