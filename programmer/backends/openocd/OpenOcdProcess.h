// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <QProcess>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace flashplan::programmer::openocd {

/// OpenOCD as a child process (QProcess, no shell), from start to a guaranteed end. It is ready when it
/// prints that its TCL-RPC server listens on the expected port (no sleeping); its output (stdout and
/// stderr merged) is read as it comes, kept (the last lines, for error messages) and handed line by line
/// to a handler. Like TclRpcClient it blocks with deadlines and needs no event loop; the QProcess is made
/// by start() on the calling thread, and stop() must run on that thread too. On Linux the kernel kills
/// OpenOCD when that thread ends (PR_SET_PDEATHSIG), so a crash of Flashplan never leaves it behind.
class OpenOcdProcess {
public:
    using LineHandler = std::function<void(const std::string& line)>;

    OpenOcdProcess() = default;
    ~OpenOcdProcess();
    OpenOcdProcess(const OpenOcdProcess&) = delete;
    OpenOcdProcess& operator=(const OpenOcdProcess&) = delete;

    /// Starts `program` with `arguments` and waits until it listens on `tclPort`, checking `cancelled`
    /// meanwhile. Errors: Errc::NotFound when the program cannot be started; what OpenOCD printed, explained
    /// (explainOpenOcd()), when it exits first (a missing or broken config file, a taken port);
    /// Errc::Timeout; Errc::Cancelled. On any error the process is already gone.
    Result<void> start(const std::string& program, const std::vector<std::string>& arguments,
                       std::uint16_t tclPort, std::chrono::milliseconds timeout,
                       const std::function<bool()>& cancelled);

    /// Reads what OpenOCD printed since the last call, without waiting. Call it often: a full pipe would
    /// stall OpenOCD.
    void pump();
    bool running() const;
    /// The operating system's process id while it runs, else 0.
    std::int64_t pid() const;
    /// The exit code once it ended by itself, else -1.
    int exitCode() const;
    /// The last lines OpenOCD printed (up to a few hundred), oldest first.
    std::string recentOutput() const;
    /// Gets each complete line OpenOCD prints (called from pump(), start() and stop()).
    void setLineHandler(LineHandler handler) { handler_ = std::move(handler); }

    /// What stop() gives OpenOCD at each step: to quit when asked (the request included), to end after
    /// SIGTERM, to be reaped after SIGKILL. Their sum is the most stop() takes; it keeps the promise that
    /// Cancel ends OpenOCD within two seconds with almost half of them left for a loaded machine, where a
    /// starved OpenOCD may take every grace (seen: 2.004 s with graces of 1.5 s on an overloaded 2-core
    /// machine). OpenOCD quits on `shutdown` or SIGTERM in tens of milliseconds when it gets the CPU.
    static constexpr std::chrono::milliseconds kQuitGrace{400}, kTermGrace{400}, kKillGrace{300};
    static constexpr std::chrono::milliseconds kStopBudget = kQuitGrace + kTermGrace + kKillGrace;

    /// Ends the process within kStopBudget: `askToQuit` (OpenOCD's `shutdown` over TCL-RPC; may be empty
    /// when the connection cannot carry it), then SIGTERM, then SIGKILL. Safe to call when it never started
    /// or already ended.
    void stop(const std::function<void()>& askToQuit = {});

private:
    void takeOutput(const QByteArray& bytes);
    bool waitForEnd(std::chrono::milliseconds timeout);

    std::unique_ptr<QProcess> process_;
    std::string watch_; ///< start(): the line that says OpenOCD is ready
    bool watchSeen_ = false;
    std::string partial_;
    std::deque<std::string> recent_;
    LineHandler handler_;
    int exitCode_ = -1;
};

} // namespace flashplan::programmer::openocd
