// SPDX-License-Identifier: Apache-2.0
#include "JobContext.h"

namespace flashplan::programmer {

const char* to_string(Phase phase) {
    switch (phase) {
    case Phase::Connect:
        return "connect";
    case Phase::Compare:
        return "compare";
    case Phase::Erase:
        return "erase";
    case Phase::Write:
        return "write";
    case Phase::Verify:
        return "verify";
    case Phase::Reset:
        return "reset";
    case Phase::Read:
        return "read";
    }
    return "connect";
}

Result<void> JobContext::checkCancelled() const {
    if (cancelled())
        return makeError(Errc::Cancelled, "cancelled");
    return {};
}

void JobContext::begin(Phase phase, std::uint64_t total) {
    {
        std::lock_guard lock(mutex_);
        phase_ = phase;
        done_ = 0;
        total_ = total;
    }
    if (progress_)
        progress_(phase, 0, total);
}

void JobContext::advance(std::uint64_t bytes) {
    Phase phase;
    std::uint64_t done, total;
    {
        std::lock_guard lock(mutex_);
        done_ += bytes;
        phase = phase_;
        done = done_;
        total = total_;
    }
    if (progress_)
        progress_(phase, done, total);
}

void JobContext::log(const std::string& line) {
    if (log_)
        log_(line);
}

} // namespace flashplan::programmer
