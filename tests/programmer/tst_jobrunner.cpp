// SPDX-License-Identifier: Apache-2.0
// JobRunner: jobs on a worker thread against the simulator, reported on the test's thread; cancel.
#include "GatedBackend.h"
#include "JobRunner.h"
#include "db/DeviceDatabase.h"
#include "db/ExampleLayouts.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <fstream>
#include <iterator>

using namespace flashplan;
using namespace flashplan::programmer;

Q_DECLARE_METATYPE(flashplan::programmer::JobReport)

namespace {

constexpr std::uint64_t kSlot1 = 0x80000; // slot1_partition of the zephyr-flash-map example
constexpr std::uint64_t kSector = 0x1000; // the nRF52840's erase unit

Layout exampleLayout() {
    auto db = DeviceDatabase::builtin();
    auto layout = ExampleLayouts::load("zephyr-flash-map", *db);
    return std::move(*layout);
}

std::vector<std::uint8_t> pattern(std::size_t size, unsigned seed) {
    std::vector<std::uint8_t> out(size);
    for (std::size_t i = 0; i < size; ++i)
        out[i] = static_cast<std::uint8_t>((i * 131 + seed) ^ (i >> 8));
    return out;
}

/// The simulated device's whole content, as the simulator keeps it on disk.
std::vector<std::uint8_t> deviceFile(const QString& folder, const Layout& layout) {
    std::ifstream in(std::filesystem::path(folder.toStdString()) / layout.board.id / "flash0.bin",
                     std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

JobSpec spec(JobSpec::Kind kind, const QString& folder, const Layout& layout,
             std::vector<std::uint8_t> data = {}) {
    JobSpec s;
    s.kind = kind;
    s.makeBackend = [folder = folder.toStdString()] { return std::make_unique<SimulatorBackend>(folder); };
    s.layout = layout;
    s.partition = static_cast<std::size_t>(layout.indexOf("slot1_partition"));
    s.offset = kSlot1;
    s.data = std::move(data);
    return s;
}

/// Runs a job to its end and returns its report.
JobReport run(JobRunner& runner, JobSpec s) {
    QSignalSpy finished(&runner, &JobRunner::finished);
    if (!runner.start(std::move(s)))
        return {};
    if (!finished.wait(20000))
        return {};
    return finished.takeFirst().at(0).value<JobReport>();
}

} // namespace

class TestJobRunner : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<JobReport>(); }

    void flashesOnAWorkerAndReportsOnTheCallersThread() {
        QTemporaryDir dir;
        const Layout layout = exampleLayout();
        const auto image = pattern(0x2800, 7); // two whole sectors and half of a third
        JobRunner runner;
        QSet<QThread*> threads;
        QList<Phase> phases;
        quint64 written = 0;
        QStringList log;
        connect(&runner, &JobRunner::progress, this, [&](Phase phase, quint64 done, quint64 total, double) {
            threads << QThread::currentThread();
            if (phases.isEmpty() || phases.back() != phase)
                phases << phase;
            if (phase == Phase::Write && done == total)
                written = done;
        });
        connect(&runner, &JobRunner::logLine, this, [&](const QString& line) {
            threads << QThread::currentThread();
            log << line;
        });

        const JobReport report = run(runner, spec(JobSpec::Kind::Flash, dir.path(), layout, image));
        QVERIFY2(report.ok(), report.error ? report.error->toString().c_str() : "");
        QVERIFY(!runner.isRunning());
        QCOMPARE(threads, QSet<QThread*>{QThread::currentThread()});
        QCOMPARE(phases,
                 (QList<Phase>{Phase::Connect, Phase::Compare, Phase::Erase, Phase::Write, Phase::Verify}));
        QCOMPARE(written, quint64(0x2800));
        QVERIFY2(log.join('\n').contains("done:"), qPrintable(log.join('\n')));
        QCOMPARE(report.sectors.size(), std::size_t(3));
        for (const SectorReport& s : report.sectors)
            QCOMPARE(s.outcome, SectorOutcome::Verified);

        const auto flash = deviceFile(dir.path(), layout);
        QCOMPARE(flash.size(), std::size_t(0x100000));
        QVERIFY(std::equal(image.begin(), image.end(), flash.begin() + kSlot1));
        // The rest of the last sector is left erased, and so is everything outside the image.
        QCOMPARE(flash[kSlot1 + 0x2800], std::uint8_t(0xff));
        QCOMPARE(flash[kSlot1 - 1], std::uint8_t(0xff));
    }

    void readEraseVerifyAndProbe() {
        QTemporaryDir dir;
        const Layout layout = exampleLayout();
        const auto image = pattern(0x1800, 3);
        JobRunner runner;
        QVERIFY(run(runner, spec(JobSpec::Kind::Flash, dir.path(), layout, image)).ok());

        const JobReport verified = run(runner, spec(JobSpec::Kind::Verify, dir.path(), layout, image));
        QVERIFY(verified.ok());
        QCOMPARE(verified.sectors.size(), std::size_t(2));
        QVERIFY(verified.mismatches().empty());

        const JobReport read = run(runner, spec(JobSpec::Kind::Read, dir.path(), layout));
        QVERIFY(read.ok());
        QCOMPARE(read.data.size(), std::size_t(0x60000));
        QVERIFY(std::equal(image.begin(), image.end(), read.data.begin()));

        const JobReport erased = run(runner, spec(JobSpec::Kind::Erase, dir.path(), layout));
        QVERIFY(erased.ok());
        QCOMPARE(erased.bytesErased, quint64(0x60000));
        QCOMPARE(deviceFile(dir.path(), layout)[kSlot1], std::uint8_t(0xff));

        // After the erase the slot no longer holds the image: the verify finds both sectors erased.
        const JobReport differs = run(runner, spec(JobSpec::Kind::Verify, dir.path(), layout, image));
        QVERIFY(differs.ok());
        QCOMPARE(differs.mismatches().size(), std::size_t(2));
        QCOMPARE(differs.sectors[0].state, SectorState::Erased);

        QSignalSpy lines(&runner, &JobRunner::logLine);
        const JobReport probe = run(runner, spec(JobSpec::Kind::Probe, dir.path(), layout));
        QVERIFY(probe.ok());
        QCOMPARE(probe.backend, std::string("sim"));
        QStringList text;
        for (const auto& l : lines)
            text << l.at(0).toString();
        QVERIFY2(text.join('\n').contains("the target reports flash0: 1 MiB"), qPrintable(text.join('\n')));
    }

    void oneJobAtATime() {
        QTemporaryDir dir;
        const Layout layout = exampleLayout();
        auto gate = std::make_shared<testsupport::Gate>();
        JobSpec s = spec(JobSpec::Kind::Flash, dir.path(), layout, pattern(0x1000, 1));
        s.makeBackend = [folder = dir.path().toStdString(), gate] {
            return std::make_unique<testsupport::GatedBackend>(folder, gate);
        };
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::finished);
        QVERIFY(runner.start(s));
        QVERIFY(runner.isRunning());
        QVERIFY(!runner.start(spec(JobSpec::Kind::Erase, dir.path(), layout)));
        QTRY_VERIFY(gate->entered);
        gate->open = true;
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.at(0).at(0).value<JobReport>().ok());
        QVERIFY(gate->destroyed); // the backend dies on the worker, before the job is reported
        JobSpec noBackend = spec(JobSpec::Kind::Erase, dir.path(), layout);
        noBackend.makeBackend = nullptr;
        QVERIFY(!runner.start(noBackend));
    }

    void cancelDuringAWriteEndsCancelledWithTheSectorThatMayBePartial() {
        QTemporaryDir dir;
        const Layout layout = exampleLayout();
        JobRunner runner;
        // Another image first, so that every sector has to be erased before it is written.
        QVERIFY(run(runner, spec(JobSpec::Kind::Flash, dir.path(), layout, pattern(0x3000, 4))).ok());
        auto gate = std::make_shared<testsupport::Gate>();
        JobSpec s = spec(JobSpec::Kind::Flash, dir.path(), layout, pattern(0x3000, 9));
        s.makeBackend = [folder = dir.path().toStdString(), gate] {
            return std::make_unique<testsupport::GatedBackend>(folder, gate);
        };
        QSignalSpy finished(&runner, &JobRunner::finished);
        QVERIFY(runner.start(std::move(s)));
        QTRY_VERIFY(gate->entered); // the first sector's write is under way
        QVERIFY(!runner.isCancelling());
        runner.cancel();
        QVERIFY(runner.isCancelling());
        QVERIFY(finished.wait(20000));
        const JobReport report = finished.at(0).at(0).value<JobReport>();
        QVERIFY(report.cancelled());
        QCOMPARE(report.sectors.size(), std::size_t(3));
        QCOMPARE(report.sectors[0].outcome, SectorOutcome::MaybePartial);
        QCOMPARE(report.sectors[1].outcome, SectorOutcome::Erased);
        QCOMPARE(report.sectors[2].outcome, SectorOutcome::Erased);
        QCOMPARE(report.bytesErased, quint64(0x3000));
        QCOMPARE(report.maybePartial().size(), std::size_t(1));
        QCOMPARE(report.maybePartial().front().offset, kSlot1);
        QCOMPARE(report.bytesWritten, quint64(0));
        QVERIFY(!runner.isRunning());
        QVERIFY(!runner.isCancelling());
    }

    void destroyingARunnerCancelsAndWaits() {
        QTemporaryDir dir;
        const Layout layout = exampleLayout();
        auto gate = std::make_shared<testsupport::Gate>();
        JobSpec s = spec(JobSpec::Kind::Flash, dir.path(), layout, pattern(0x1000, 2));
        s.makeBackend = [folder = dir.path().toStdString(), gate] {
            return std::make_unique<testsupport::GatedBackend>(folder, gate);
        };
        auto runner = std::make_unique<JobRunner>();
        QVERIFY(runner->start(std::move(s)));
        QTRY_VERIFY(gate->entered);
        runner.reset();
        QVERIFY(gate->destroyed);
        QCoreApplication::processEvents(); // what the worker posted goes nowhere
    }
};

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
