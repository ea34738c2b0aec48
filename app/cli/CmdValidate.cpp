// SPDX-License-Identifier: Apache-2.0
// flashplan-cli validate <layout> [<overlay>...] [--fix [--output <file>]]: every rule pack that applies;
// exit 1 when errors are found (--strict: warnings too). --fix applies every obvious repair and writes the
// result.
#include "cli/CliContext.h"
#include "cli/LayoutPrinter.h"
#include "io/JsonModel.h"
#include "rules/AutoFix.h"
#include "rules/RulePack.h"

#include <ostream>

namespace flashplan::cli {

namespace {

/// Where --fix writes: --output, else the input itself when it is a .flashplan file.
Result<std::pair<std::string, const Format*>> fixTarget(const CliContext& ctx, const LoadedLayout& loaded) {
    if (!ctx.output.empty()) {
        auto format = outputFormat(ctx.to, ctx.output);
        if (!format)
            return format.error();
        if (auto w = checkOutputPath(ctx.output, "--output"); !w)
            return w.error();
        return std::pair{ctx.output, *format};
    }
    if (loaded.source.starts_with("example:") || loaded.format->name != "flashplan")
        return makeError(Errc::InvalidArgument,
                         "--fix rewrites .flashplan files in place; for " + loaded.source +
                             " say where the repaired layout goes with --output <file>");
    if (auto w = checkOutputPath(loaded.source, "--fix"); !w)
        return w.error();
    return std::pair{loaded.source, loaded.format};
}

} // namespace

int runValidate(CliContext& ctx) {
    if (ctx.args.empty())
        return ctx.usage("validate takes a layout (a board file may be followed by overlays)");
    if (!ctx.fix && !ctx.output.empty())
        return ctx.usage("--output goes with --fix");
    const std::vector<std::string> overlays(ctx.args.begin() + 1, ctx.args.end());
    auto loaded = loadLayoutArgument(ctx.args.front(), ctx, overlays);
    if (!loaded)
        return ctx.fail(loaded.error());
    inlineUserBoard(ctx, loaded->layout);
    Layout layout = loaded->layout;

    std::vector<Diagnostic> fixed;
    std::vector<std::string> written;
    if (ctx.fix) {
        auto target = fixTarget(ctx, *loaded);
        if (!target)
            return ctx.fail(target.error());
        FixReport report = applyFixes(layout);
        fixed = std::move(report.applied);
        layout = std::move(report.layout);
        if (!fixed.empty() || target->first != loaded->source) {
            auto files = exportToFiles(layout, *target->second, target->first, ctx.exportOptions);
            if (!files)
                return ctx.fail(files.error());
            for (const ExportedFile& f : *files)
                written.push_back(f.path.string());
        }
    }

    const std::vector<Diagnostic> diagnostics = findings(layout, loaded->notes);
    const DiagnosticCounts n = countSeverities(diagnostics);
    const bool failed = ctx.findingsFail(n, true);

    if (ctx.json) {
        nlohmann::ordered_json doc = {
            {"source", loaded->source}, {"valid", !failed}, {"errors", n.errors},
            {"warnings", n.warnings},   {"infos", n.infos}, {"diagnostics", toJson(diagnostics, layout)}};
        if (ctx.fix) {
            doc["fixed"] = toJson(fixed, loaded->layout);
            doc["files"] = written;
        }
        ctx.printJson(std::move(doc));
        return failed ? kExitFindings : kExitOk;
    }
    for (const Diagnostic& d : fixed)
        ctx.out << loaded->source << ": fixed: [" << d.rule << "] " << d.fix->description << " (" << d.message
                << ")\n";
    for (const std::string& f : written)
        ctx.out << "wrote " << f << '\n';
    printFindings(ctx.out, loaded->source, diagnostics, true);
    return failed ? kExitFindings : kExitOk;
}

} // namespace flashplan::cli
