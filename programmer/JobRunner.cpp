// SPDX-License-Identifier: Apache-2.0
#include "JobRunner.h"

#include <QMetaObject>
#include <QThread>

#include <chrono>

namespace flashplan::programmer {

const char* to_string(JobSpec::Kind kind) {
    switch (kind) {
    case JobSpec::Kind::Probe:
        return "probe";
    case JobSpec::Kind::Flash:
        return "flash";
    case JobSpec::Kind::Read:
        return "read";
    case JobSpec::Kind::Erase:
        return "erase";
    case JobSpec::Kind::Verify:
        return "verify";
    case JobSpec::Kind::Inspect:
        return "inspect";
    }
    return "probe";
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProgressInterval = std::chrono::milliseconds(50);

JobReport runJob(const JobSpec& spec, Backend& backend, JobContext& ctx) {
    FlashRequest request;
    request.layout = &spec.layout;
    request.partition = spec.partition;
    request.offset = spec.offset;
    request.data = spec.data;
    request.more = spec.more;
    if (!spec.moreWhat.empty())
        request.moreWhat = spec.moreWhat;
    request.full = spec.full;
    request.writeReadOnly = spec.writeReadOnly;
    request.reset = spec.reset;
    switch (spec.kind) {
    case JobSpec::Kind::Probe:
        return probeTarget(backend, spec.layout.board, ctx);
    case JobSpec::Kind::Flash:
        return flashPartition(backend, request, ctx);
    case JobSpec::Kind::Read:
        return readPartition(backend, spec.layout, spec.partition, ctx);
    case JobSpec::Kind::Erase:
        return erasePartition(backend, spec.layout, spec.partition, ctx, spec.writeReadOnly);
    case JobSpec::Kind::Verify:
        return verifyPartition(backend, request, ctx);
    case JobSpec::Kind::Inspect:
        return inspectTarget(backend, spec.layout, {}, ctx);
    }
    return {};
}

} // namespace

/// What the worker and the runner share: the job's context, and the worker's own bookkeeping for
/// progress (touched by the worker thread only).
struct JobRunner::Shared {
    explicit Shared(JobRunner* runner)
        : ctx([this, runner](Phase phase, std::uint64_t done,
                             std::uint64_t total) { onProgress(runner, phase, done, total); },
              [runner](const std::string& line) {
                  QMetaObject::invokeMethod(
                      runner, [runner, text = QString::fromStdString(line)] { emit runner->logLine(text); },
                      Qt::QueuedConnection);
              }) {}

    void onProgress(JobRunner* runner, Phase phase, std::uint64_t done, std::uint64_t total) {
        const Clock::time_point now = Clock::now();
        if (done == 0 || phase != phase_) {
            phase_ = phase;
            phaseStart_ = now;
        } else if (done < total && now - lastSent_ < kProgressInterval) {
            return;
        }
        lastSent_ = now;
        const double seconds = std::chrono::duration<double>(now - phaseStart_).count();
        const double speed = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
        QMetaObject::invokeMethod(
            runner, [runner, phase, done, total, speed] { emit runner->progress(phase, done, total, speed); },
            Qt::QueuedConnection);
    }

    JobContext ctx;

private:
    Phase phase_ = Phase::Connect;
    Clock::time_point phaseStart_ = Clock::now();
    Clock::time_point lastSent_ = Clock::now();
};

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
}

JobRunner::~JobRunner() {
    if (thread_) {
        cancel();
        thread_->wait();
    }
}

bool JobRunner::start(JobSpec spec) {
    if (running_ || !spec.makeBackend)
        return false;
    running_ = true;
    kind_ = spec.kind;
    shared_ = std::make_shared<Shared>(this);
    thread_.reset(QThread::create([this, shared = shared_, spec = std::move(spec)] {
        JobReport report;
        if (std::unique_ptr<Backend> backend = spec.makeBackend())
            report = runJob(spec, *backend, shared->ctx);
        else
            report.error = makeError(Errc::NotFound, "the backend could not be made");
        QMetaObject::invokeMethod(
            this, [this, r = std::move(report)]() mutable { finish(std::move(r)); }, Qt::QueuedConnection);
    }));
    thread_->setObjectName(QStringLiteral("flashplan job"));
    emit started(kind_);
    thread_->start();
    return true;
}

void JobRunner::cancel() {
    if (running_ && shared_)
        shared_->ctx.cancel();
}

bool JobRunner::isCancelling() const {
    return running_ && shared_ && shared_->ctx.cancelled();
}

void JobRunner::finish(JobReport report) {
    // The worker posts this as its last act, so the wait is for its return only.
    thread_->wait();
    thread_.reset();
    shared_.reset();
    running_ = false;
    emit finished(report);
}

} // namespace flashplan::programmer
