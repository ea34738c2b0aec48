// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"
#include "Jobs.h"
#include "model/Layout.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace flashplan::programmer {

/// One job for a JobRunner, with everything it needs by value: the job never looks at the caller's
/// layout or image again, so the caller may change them while it runs.
struct JobSpec {
    enum class Kind {
        Probe,   ///< probeTarget(): connect, report the flash the target sees, disconnect
        Flash,   ///< flashPartition()
        Read,    ///< readPartition()
        Erase,   ///< erasePartition()
        Verify,  ///< verifyPartition()
        Inspect, ///< inspectTarget(): what every partition holds, and MCUboot's next boot
    };
    Kind kind = Kind::Flash;
    /// Makes the backend; called on the worker thread, where the backend also dies, so a backend that
    /// owns QObjects (a QProcess) lives in one thread.
    std::function<std::unique_ptr<Backend>()> makeBackend;
    Layout layout;
    std::size_t partition = 0;
    std::uint64_t offset = 0;       ///< Flash, Verify: device offset of data[0]
    std::vector<std::uint8_t> data; ///< Flash, Verify: the image's bytes
    std::vector<FlashRun> more;     ///< Flash: what else the partition must hold (FlashRequest::more)
    std::string moreWhat;
    bool writeReadOnly = false; ///< Flash, Erase: the user confirmed writing a read-only partition
    bool full = false;          ///< Flash: erase and write every sector, whatever it holds
    bool reset = false;         ///< Flash: reset the target at the end
};

const char* to_string(JobSpec::Kind kind);

/// Runs one job at a time on a worker thread and reports on the thread it lives in (the GUI thread):
/// every signal is emitted there, through the event loop, so receivers never run on the worker. Progress
/// is sent at most every 50 ms within a phase (each phase's first and last report always), with the
/// speed of the phase so far. Destroying a runner cancels its job and waits for it to end.
class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    /// Starts `spec` on a new worker thread. False (and nothing starts) while a job is running or when
    /// the spec has no backend maker.
    bool start(JobSpec spec);
    /// Asks the running job to stop; it ends soon after with Errc::Cancelled and the sectors it may have
    /// left half done (JobReport::maybePartial()). Does nothing when no job runs.
    void cancel();
    bool isRunning() const { return running_; }
    /// Whether cancel() was called on the running job.
    bool isCancelling() const;
    /// The kind of the running (or last) job.
    JobSpec::Kind kind() const { return kind_; }

signals:
    void started(flashplan::programmer::JobSpec::Kind kind);
    /// `done` of `total` bytes of `phase`; `bytesPerSecond` since the phase began (0 before any byte).
    void progress(flashplan::programmer::Phase phase, quint64 done, quint64 total, double bytesPerSecond);
    void logLine(const QString& line);
    /// The job ended (isRunning() is false again).
    void finished(const flashplan::programmer::JobReport& report);

private:
    struct Shared;
    void finish(JobReport report);

    std::unique_ptr<QThread> thread_;
    std::shared_ptr<Shared> shared_;
    bool running_ = false;
    JobSpec::Kind kind_ = JobSpec::Kind::Probe;
};

} // namespace flashplan::programmer
