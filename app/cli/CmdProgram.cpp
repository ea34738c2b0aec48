// SPDX-License-Identifier: Apache-2.0
// flashplan-cli flash|verify|read|erase: the programmer's jobs on one partition of a layout, through the
// backend --backend names (the simulator by default). Before anything connects, the layout is validated
// and the image fitted to the partition by the preflight every job passes (program/Preflight, the same the
// GUI's programming panel asks); a refusal lists its reasons (exit 1). A failing or cancelled
// job (Ctrl+C) exits 2 and says which sectors may hold partial content. --json prints one JSON object per
// line: phase, progress and log events, then the result (docs/cli-json.md).
#include "BackendRegistry.h"
#include "Jobs.h"
#include "cli/CliContext.h"
#include "cli/JobPrinter.h"
#include "cli/TextTable.h"
#include "image/ImageFormat.h"
#include "io/JsonModel.h"
#include "io/TextFile.h"
#include "program/FlashPayload.h"
#include "program/FlashPlan.h"
#include "program/Preflight.h"
#include "rules/RulePack.h"
#include "util/Numbers.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace flashplan::cli {

namespace {

using json = nlohmann::ordered_json;
using namespace flashplan::programmer;

json sectorsJson(const JobReport& r) {
    json out = json::array();
    for (const SectorReport& s : r.sectors)
        out.push_back({{"index", s.sector.index},
                       {"offset", s.sector.offset},
                       {"size", s.sector.size},
                       {"state", to_string(s.state)},
                       {"outcome", to_string(s.outcome)}});
    return out;
}

json reportJson(const JobReport& r) {
    json partial = json::array();
    for (const Sector& s : r.maybePartial())
        partial.push_back(s.index);
    return {{"event", "result"},
            {"ok", r.ok()},
            {"cancelled", r.cancelled()},
            {"error", r.error ? toJson(*r.error) : json(nullptr)},
            {"backend", r.backend},
            {"partition", r.partition},
            {"device", r.device},
            {"sectors", sectorsJson(r)},
            {"maybe_partial", partial},
            {"sectors_skipped", r.sectorsSkipped},
            {"stale_cleared", r.moreWasStale},
            {"bytes_erased", r.bytesErased},
            {"bytes_written", r.bytesWritten},
            {"bytes_read", r.bytesRead},
            {"milliseconds", static_cast<std::uint64_t>(r.seconds * 1000)}};
}

void printSectorTable(std::ostream& out, const JobReport& r, bool verifying) {
    if (r.sectors.empty())
        return;
    TextTable t({"sector", "offset", "size", verifying ? "flash holds" : "found", "outcome"});
    for (const SectorReport& s : r.sectors)
        t.add({std::to_string(s.sector.index), formatHex(s.sector.offset), formatSize(s.sector.size),
               to_string(s.state), verifying ? std::string("-") : std::string(to_string(s.outcome))});
    t.print(out);
}

/// Prints the result; the exit code of a job that ran: 0, or 2 when it failed or was cancelled.
int finish(const CliContext& ctx, ProgressPrinter& printer, const JobReport& r, bool verifying) {
    printer.endLine();
    if (ctx.json) {
        json result = reportJson(r);
        if (verifying)
            result["matches"] = r.ok() && r.mismatches().empty();
        printer.event(result);
    } else {
        printSectorTable(ctx.out, r, verifying);
        if (r.error) {
            ctx.err << "flashplan-cli: " << (r.cancelled() ? "cancelled" : r.error->toString()) << '\n';
            const auto partial = r.maybePartial();
            if (!partial.empty()) {
                std::string list;
                for (const Sector& s : partial)
                    list += (list.empty() ? "" : ", ") + std::to_string(s.index) + " (" +
                            formatHex(s.offset) + ")";
                ctx.err << "flashplan-cli: sectors that may hold partial content: " << list << '\n';
            }
        } else {
            std::ostringstream summary;
            summary << "done in " << std::fixed << std::setprecision(2) << r.seconds << " s";
            const std::pair<std::uint64_t, const char*> parts[] = {
                {r.bytesErased, " erased"}, {r.bytesWritten, " written"}, {r.bytesRead, " read"}};
            for (const auto& [bytes, what] : parts)
                if (bytes > 0)
                    summary << ", " << formatSize(bytes) << what;
            if (r.sectorsSkipped > 0)
                summary << ", " << r.sectorsSkipped << " of " << r.sectors.size()
                        << " sectors skipped (they already held the image)";
            ctx.out << summary.str() << '\n';
            if (r.moreWasStale)
                ctx.out
                    << "a stale trailer was found in the slot and erased, so the bootloader will not act on "
                       "it at the next boot\n";
        }
    }
    if (!r.ok())
        return kExitFailure;
    return verifying && !r.mismatches().empty() ? kExitFindings : kExitOk;
}

/// A job the preflight refused, before anything connected: its reasons, exit 1.
int refuse(const CliContext& ctx, ProgressPrinter& printer, const std::string& what,
           const LoadedLayout& loaded, const Preflight& check) {
    if (ctx.json) {
        printer.event({{"event", "result"},
                       {"ok", false},
                       {"cancelled", false},
                       {"refused", true},
                       {"reasons", toJson(check.reasons, loaded.layout)}});
    } else {
        ctx.err << "flashplan-cli: refused: " << what << "; nothing was started:\n";
        for (const Diagnostic& d : check.reasons)
            ctx.err << "  [" << d.rule << "] " << d.message << '\n';
    }
    return kExitFindings;
}

/// The layout and partition of a command's first two arguments.
struct Target {
    LoadedLayout loaded;
    std::size_t partition = 0;
};

Result<Target> loadTarget(const CliContext& ctx) {
    auto loaded = loadLayoutArgument(ctx.args[0], ctx);
    if (!loaded)
        return loaded.error();
    auto index = findPartition(*loaded, ctx.args[1]);
    if (!index)
        return index.error();
    return Target{std::move(*loaded), *index};
}

/// The preflight of a job on the target; `image` for flash and verify.
Preflight check(const CliContext& ctx, JobKind kind, const Target& target, PreflightImage image = {}) {
    PreflightRequest r;
    r.keepTrailer = ctx.program.keepTrailer;
    r.request = ctx.program.request;
    r.writeReadOnly = ctx.program.writeReadOnly;
    r.kind = kind;
    r.layout = &target.loaded.layout;
    r.partition = target.partition;
    r.image = std::move(image);
    return preflight(r);
}

std::string describe(JobKind kind, const Target& target) {
    return std::string(to_string(kind)) + " " + target.loaded.layout.partitions[target.partition].label;
}

/// flash and verify: the image of the third argument, fitted to the partition.
int runImageJob(CliContext& ctx, JobKind kind) {
    const char* name = to_string(kind);
    if (ctx.args.size() != 3)
        return ctx.usage(std::string(name) + " takes <layout> <partition> <image>");
    ProgressPrinter printer(ctx);
    auto target = loadTarget(ctx);
    if (!target)
        return ctx.fail(target.error());
    auto load = imageLoadOptions(ctx.image);
    if (!load)
        return ctx.usage(load.error().message);
    load->sizeLimit = imageSizeLimit(target->loaded.layout.board);
    // An unreadable file is an I/O error (exit 2) here; the panel lists it among its reasons.
    auto image = loadImageFile(ctx.args[2], *load);
    if (!image)
        return ctx.fail(image.error());
    Preflight ready = check(ctx, kind, *target, {ctx.args[2], &image->image, std::nullopt});
    if (!ready.ready())
        return refuse(ctx, printer, describe(kind, *target), target->loaded, ready);

    auto backend = makeBackend(ctx);
    if (!backend)
        return ctx.fail(backend.error());
    FlashRequest request;
    request.layout = &target->loaded.layout;
    request.partition = target->partition;
    request.offset = ready.job->offset;
    request.data = ready.job->bytes;
    request.more = ready.job->more;
    if (!ready.job->moreWhat.empty())
        request.moreWhat = ready.job->moreWhat;
    request.writeReadOnly = ready.job->writeReadOnly;
    request.full = ctx.program.full;
    request.verify = !ctx.program.noVerify;
    request.reset = ctx.program.reset;

    PrintedJob printed(printer);
    JobContext& job = printed.context();
    const bool verifying = kind == JobKind::Verify;
    const JobReport report =
        verifying ? verifyPartition(**backend, request, job) : flashPartition(**backend, request, job);
    return finish(ctx, printer, report, verifying);
}

} // namespace

Result<std::size_t> findPartition(const LoadedLayout& loaded, const std::string& label) {
    const int index = loaded.layout.indexOf(label);
    if (index >= 0)
        return static_cast<std::size_t>(index);
    std::string labels;
    for (const Partition& p : loaded.layout.partitions)
        labels += (labels.empty() ? "" : ", ") + p.label;
    Error e = makeError(Errc::NotFound,
                        "no partition '" + label + "' in " + loaded.source + " (partitions: " + labels + ")");
    e.field = "partition";
    return e;
}

int runFlash(CliContext& ctx) {
    return runImageJob(ctx, JobKind::Flash);
}

int runVerify(CliContext& ctx) {
    return runImageJob(ctx, JobKind::Verify);
}

int runRead(CliContext& ctx) {
    if (ctx.args.size() != 3)
        return ctx.usage("read takes <layout> <partition> <out>");
    if (auto w = checkOutputPath(ctx.args[2], "<out>"); !w)
        return ctx.fail(w.error());
    ProgressPrinter printer(ctx);
    auto target = loadTarget(ctx);
    if (!target)
        return ctx.fail(target.error());
    if (Preflight ready = check(ctx, JobKind::Read, *target); !ready.ready())
        return refuse(ctx, printer, describe(JobKind::Read, *target), target->loaded, ready);
    auto backend = makeBackend(ctx);
    if (!backend)
        return ctx.fail(backend.error());
    PrintedJob printed(printer);
    JobContext& job = printed.context();
    const JobReport report = readPartition(**backend, target->loaded.layout, target->partition, job);
    if (report.ok()) {
        const std::string_view bytes(reinterpret_cast<const char*>(report.data.data()), report.data.size());
        if (auto w = writeFileAtomically(ctx.args[2], bytes); !w)
            return ctx.fail(w.error());
        printer.log("wrote " + formatSize(report.data.size()) + " to " + ctx.args[2]);
    }
    return finish(ctx, printer, report, false);
}

int runErase(CliContext& ctx) {
    if (ctx.args.size() != 2)
        return ctx.usage("erase takes <layout> <partition>");
    ProgressPrinter printer(ctx);
    auto target = loadTarget(ctx);
    if (!target)
        return ctx.fail(target.error());
    Preflight ready = check(ctx, JobKind::Erase, *target);
    if (!ready.ready())
        return refuse(ctx, printer, describe(JobKind::Erase, *target), target->loaded, ready);
    auto backend = makeBackend(ctx);
    if (!backend)
        return ctx.fail(backend.error());
    PrintedJob printed(printer);
    JobContext& job = printed.context();
    return finish(
        ctx, printer,
        erasePartition(**backend, target->loaded.layout, target->partition, job, ready.job->writeReadOnly),
        false);
}

} // namespace flashplan::cli
