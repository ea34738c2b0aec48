// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/OpenOcdProcess.h"

#include "backends/openocd/OpenOcdErrors.h"

#include <QStringList>

#include <algorithm>

#ifdef __linux__
#include <csignal>
#include <sys/prctl.h>
#endif

namespace flashplan::programmer::openocd {

namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kRecentLines = 400;
constexpr milliseconds kSlice{25};

int sliceUntil(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp(left, milliseconds(0), kSlice).count());
}
} // namespace

OpenOcdProcess::~OpenOcdProcess() {
    stop();
}

Result<void> OpenOcdProcess::start(const std::string& program, const std::vector<std::string>& arguments,
                                   std::uint16_t tclPort, std::chrono::milliseconds timeout,
                                   const std::function<bool()>& cancelled) {
    stop();
    partial_.clear();
    recent_.clear();
    exitCode_ = -1;
    process_ = std::make_unique<QProcess>();
    process_->setProcessChannelMode(QProcess::MergedChannels);
    process_->setStandardInputFile(QProcess::nullDevice());
#ifdef __linux__
    // If Flashplan dies, OpenOCD must not live on holding the probe. The signal comes when the thread that
    // started it ends, which is fine: a session lives within one job, on one thread.
    process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    QStringList args;
    for (const std::string& a : arguments)
        args << QString::fromStdString(a);
    process_->start(QString::fromStdString(program), args, QIODevice::ReadOnly);
    if (!process_->waitForStarted(static_cast<int>(timeout.count()))) {
        const std::string why = process_->errorString().toStdString();
        process_.reset();
        Error e = makeError(Errc::NotFound, "cannot start OpenOCD (" + program + "): " + why);
        e.where.file = program;
        return e;
    }
    watch_ = "Listening on port " + std::to_string(tclPort) + " for tcl connections";
    watchSeen_ = false;
    const auto deadline = Clock::now() + timeout;
    while (true) {
        pump();
        if (watchSeen_)
            return {};
        if (!running()) {
            const std::string output = recentOutput();
            const int code = exitCode_;
            stop();
            return explainOpenOcd("OpenOCD exited with code " + std::to_string(code) + " before it was ready",
                                  output);
        }
        if (cancelled && cancelled()) {
            stop();
            return makeError(Errc::Cancelled, "cancelled while OpenOCD started");
        }
        if (Clock::now() >= deadline) {
            stop();
            return makeError(Errc::Timeout, "OpenOCD did not open its TCL-RPC port " +
                                                std::to_string(tclPort) + " within " +
                                                std::to_string(timeout.count()) + " ms");
        }
        process_->waitForReadyRead(sliceUntil(deadline));
    }
}

void OpenOcdProcess::pump() {
    if (!process_)
        return;
    // Bounded, so that a chatty OpenOCD cannot keep the caller here.
    for (int i = 0; i < 64 && process_->state() == QProcess::Running && process_->waitForReadyRead(0); ++i)
        takeOutput(process_->readAll());
    takeOutput(process_->readAll());
    if (process_->state() == QProcess::NotRunning && exitCode_ < 0 &&
        process_->exitStatus() == QProcess::NormalExit && process_->error() != QProcess::FailedToStart)
        exitCode_ = process_->exitCode();
}

void OpenOcdProcess::takeOutput(const QByteArray& bytes) {
    if (bytes.isEmpty())
        return;
    partial_.append(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    std::size_t start = 0, nl;
    while ((nl = partial_.find('\n', start)) != std::string::npos) {
        std::string line = partial_.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        start = nl + 1;
        if (!watch_.empty() && line.find(watch_) != std::string::npos)
            watchSeen_ = true;
        if (handler_)
            handler_(line);
        recent_.push_back(std::move(line));
        if (recent_.size() > kRecentLines)
            recent_.pop_front();
    }
    partial_.erase(0, start);
}

bool OpenOcdProcess::running() const {
    return process_ && process_->state() != QProcess::NotRunning;
}

std::int64_t OpenOcdProcess::pid() const {
    return running() ? process_->processId() : 0;
}

int OpenOcdProcess::exitCode() const {
    return exitCode_;
}

std::string OpenOcdProcess::recentOutput() const {
    std::string out;
    for (const std::string& line : recent_)
        out += line + '\n';
    return out + partial_;
}

bool OpenOcdProcess::waitForEnd(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (running()) {
        if (Clock::now() >= deadline)
            return false;
        // Keep reading, so that OpenOCD's last words do not block it on a full pipe.
        process_->waitForFinished(sliceUntil(deadline));
        pump();
    }
    pump();
    return true;
}

void OpenOcdProcess::stop(const std::function<void()>& askToQuit) {
    if (!process_)
        return;
    if (running() && askToQuit) {
        const auto deadline = Clock::now() + kQuitGrace;
        askToQuit();
        waitForEnd(
            std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now())));
    }
    if (running()) {
        process_->terminate();
        waitForEnd(kTermGrace);
    }
    if (running()) {
        process_->kill();
        waitForEnd(kKillGrace);
    }
    pump();
    process_.reset();
}

} // namespace flashplan::programmer::openocd
