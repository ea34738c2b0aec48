// SPDX-License-Identifier: Apache-2.0
#include "cli/JobPrinter.h"

#include "BackendRegistry.h"
#include "io/JsonModel.h"
#include "util/Numbers.h"

#include <atomic>
#include <csignal>
#include <ostream>

namespace flashplan::cli {

using json = nlohmann::ordered_json;
using namespace flashplan::programmer;

namespace {

// The job Ctrl+C cancels. A signal handler can only reach it through a global; the job itself stops
// between two blocks and the backend shuts its server down.
std::atomic<JobContext*> gRunningJob{nullptr};

extern "C" void cancelRunningJob(int) {
    if (JobContext* job = gRunningJob.load())
        job->cancel();
}

} // namespace

CancelOnSignal::CancelOnSignal(JobContext& ctx) {
    gRunningJob.store(&ctx);
    previousInt_ = std::signal(SIGINT, cancelRunningJob);
    previousTerm_ = std::signal(SIGTERM, cancelRunningJob);
}

CancelOnSignal::~CancelOnSignal() {
    std::signal(SIGINT, previousInt_ ? previousInt_ : SIG_DFL);
    std::signal(SIGTERM, previousTerm_ ? previousTerm_ : SIG_DFL);
    gRunningJob.store(nullptr);
}

void ProgressPrinter::event(json e) const {
    json line = {{"schema", kJsonSchema}};
    line.update(e);
    ctx_.out << dumpJson(std::move(line)) << std::endl; // flushed: a reader follows the job line by line
}

void ProgressPrinter::progress(Phase phase, std::uint64_t done, std::uint64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (done == 0) {
        endLine();
        phaseStart_ = now;
        if (ctx_.json)
            event({{"event", "phase"}, {"phase", to_string(phase)}, {"total", total}});
        else if (total > 0)
            ctx_.err << to_string(phase) << ": " << formatSize(total) << '\n';
        else if (phase == Phase::Connect || phase == Phase::Reset)
            ctx_.err << to_string(phase) << '\n';
        return;
    }
    const double seconds = std::chrono::duration<double>(now - phaseStart_).count();
    const auto rate = seconds > 0 ? static_cast<std::uint64_t>(double(done) / seconds) : 0;
    if (ctx_.json) {
        event({{"event", "progress"},
               {"phase", to_string(phase)},
               {"done", done},
               {"total", total},
               {"bytes_per_second", rate}});
    } else if (ctx_.interactive && total > 0) {
        // A terminal gets one line per phase, rewritten in place.
        ctx_.err.flush();
        ctx_.progressLine << '\r' << to_string(phase) << ": " << done * 100 / total << " %, "
                          << formatSize(rate) << "/s   " << std::flush;
        open_ = true;
    }
}

void ProgressPrinter::endLine() {
    if (open_)
        ctx_.err << '\n';
    open_ = false;
}

void ProgressPrinter::log(const std::string& line) {
    endLine();
    if (ctx_.json)
        event({{"event", "log"}, {"message", line}});
    else
        ctx_.err << "  " << line << '\n';
}

PrintedJob::PrintedJob(ProgressPrinter& printer)
    : context_([&printer](Phase phase, std::uint64_t done,
                          std::uint64_t total) { printer.progress(phase, done, total); },
               [&printer](const std::string& line) { printer.log(line); }),
      cancelOnSignal_(context_) {
}

Result<std::unique_ptr<Backend>> makeBackend(const CliContext& ctx) {
    const std::string name = ctx.program.backend.empty() ? std::string(kDefaultBackend) : ctx.program.backend;
    const BackendKind* kind = findBackend(name);
    if (!kind) {
        std::string names;
        for (const BackendKind& k : allBackends())
            names += (names.empty() ? "" : ", ") + std::string(k.name);
        Error e = makeError(Errc::InvalidArgument, "--backend " + name + ": not a backend (" + names + ")");
        e.field = "--backend";
        return e;
    }
    return kind->make(ctx.program.optionsOf(kind->name));
}

} // namespace flashplan::cli
