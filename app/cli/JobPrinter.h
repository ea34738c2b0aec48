// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every flashplan-cli command that runs a programmer job shares: the backend --backend names, a
// job context that prints progress (JSON events or a line per phase) and that Ctrl+C cancels.

#include "Backend.h"
#include "JobContext.h"
#include "cli/CliContext.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>

namespace flashplan::cli {

/// The backend --backend names (the simulator by default), made with its options.
Result<std::unique_ptr<programmer::Backend>> makeBackend(const CliContext& ctx);

/// Routes SIGINT and SIGTERM to a job's cancel() while it lives.
class CancelOnSignal {
public:
    explicit CancelOnSignal(programmer::JobContext& ctx);
    ~CancelOnSignal();
    CancelOnSignal(const CancelOnSignal&) = delete;
    CancelOnSignal& operator=(const CancelOnSignal&) = delete;

private:
    void (*previousInt_)(int) = nullptr;
    void (*previousTerm_)(int) = nullptr;
};

/// Prints a job's progress: JSON events on stdout, or a line per phase on stderr.
class ProgressPrinter {
public:
    explicit ProgressPrinter(const CliContext& ctx) : ctx_(ctx) {}
    void event(nlohmann::ordered_json e) const;
    void progress(programmer::Phase phase, std::uint64_t done, std::uint64_t total);
    /// Ends a progress line rewritten in place.
    void endLine();
    void log(const std::string& line);

private:
    const CliContext& ctx_;
    std::chrono::steady_clock::time_point phaseStart_ = std::chrono::steady_clock::now();
    bool open_ = false;
};

/// A job context that prints through a ProgressPrinter and that Ctrl+C cancels while it lives.
class PrintedJob {
public:
    explicit PrintedJob(ProgressPrinter& printer);
    programmer::JobContext& context() { return context_; }

private:
    programmer::JobContext context_;
    CancelOnSignal cancelOnSignal_;
};

} // namespace flashplan::cli
