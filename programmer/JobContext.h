// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace flashplan::programmer {

/// The steps of a programming job, in the order they run.
enum class Phase { Connect, Compare, Erase, Write, Verify, Reset, Read };

const char* to_string(Phase phase);

/// What a job and its backend share while they run: a cancel request (from any thread), progress in
/// bytes per phase, and the log. Backends call checkCancelled() between blocks and return its error,
/// so a cancel takes effect within one block.
class JobContext {
public:
    using ProgressFn = std::function<void(Phase phase, std::uint64_t done, std::uint64_t total)>;
    using LogFn = std::function<void(const std::string& line)>;

    JobContext() = default;
    JobContext(ProgressFn progress, LogFn log) : progress_(std::move(progress)), log_(std::move(log)) {}
    JobContext(const JobContext&) = delete;
    JobContext& operator=(const JobContext&) = delete;

    /// Asks the job to stop; safe from any thread. The job ends with Errc::Cancelled.
    void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
    /// Errc::Cancelled once cancel() was called.
    Result<void> checkCancelled() const;

    /// Starts a phase of `total` bytes (0 when the phase has no byte count).
    void begin(Phase phase, std::uint64_t total);
    /// Adds bytes done in the current phase.
    void advance(std::uint64_t bytes);
    Phase phase() const { return phase_; }

    void log(const std::string& line);

private:
    std::atomic<bool> cancelled_{false};
    ProgressFn progress_;
    LogFn log_;
    std::mutex mutex_;
    Phase phase_ = Phase::Connect;
    std::uint64_t done_ = 0;
    std::uint64_t total_ = 0;
};

} // namespace flashplan::programmer
