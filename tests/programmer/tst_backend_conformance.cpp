// SPDX-License-Identifier: Apache-2.0
// One suite for every registered backend: the same cases, run identically on the simulator, on real
// openocd against the emulated STM32F407 over JTAG (row openocd) and over SWD through the emulated
// CMSIS-DAP probe with the stock configs (row openocd-swd, whose faults include the probe's), and on the DFU
// backend against the emulated DfuSe STM32F4 bootloader (BackendRigs.h). The targets' own counters and flash
// are the judge: smart flashing skips what matches and erases only what changed, an erased sector is written
// without an erase, a cancel mid-write names the sector that may be partial and one between operations names
// none, ranges outside the partition never reach the backend, and each target's faults end in their errors.
// Rows whose tool is missing (openocd) are skipped. A backend added to the registry without a row here fails
// declarationsAreCompleteAndEveryBackendHasARow.
#include "BackendRigs.h"
#include "F407Layout.h"
#include "Jobs.h"

#include <QScopeGuard>
#include <QtTest>

#include <set>
#include <thread>

using namespace flashplan;
using namespace flashplan::conformance;
using namespace flashplan::programmer;
using flashplan::testing::LoggedContext;

namespace {

// tests/support/F407Layout.h: boot (sector 0, read-only), app (sectors 1-3), slot (sectors 4-5), data (6).
enum Part : std::size_t { Boot, App, Slot, Data };
constexpr int kAppStart = 0x4000, kAppEnd = 0x10000;

QByteArray imageBytes(int size, quint32 seed) {
    return testing::randomBytes(size, seed);
}

/// `before` with `image` at `offset`.
QByteArray with(QByteArray before, int offset, const QByteArray& image) {
    return before.replace(offset, image.size(), image);
}

/// Where two flash contents first differ, for a failure message.
QByteArray firstDifference(const QByteArray& a, const QByteArray& b) {
    if (a.size() != b.size())
        return QStringLiteral("sizes %1 and %2").arg(a.size()).arg(b.size()).toUtf8();
    qsizetype i = 0;
    while (i < a.size() && a[i] == b[i])
        ++i;
    return i == a.size() ? QByteArray("equal")
                         : QStringLiteral("first difference at 0x%1").arg(i, 0, 16).toUtf8();
}

} // namespace

class TestBackendConformance : public QObject {
    Q_OBJECT

    Layout layout_ = testsupport::f407Layout();
    std::unique_ptr<Rig> rig_;

    JobReport flash(Backend& backend, const QByteArray& image, std::size_t partition, LoggedContext& ctx,
                    bool full = false, std::optional<std::uint64_t> offset = std::nullopt) {
        FlashRequest r;
        r.layout = &layout_;
        r.partition = partition;
        r.offset = offset.value_or(layout_.partitions[partition].offset);
        r.data = testing::bytes(image);
        r.full = full;
        return flashPartition(backend, r, ctx);
    }
    JobReport flash(const QByteArray& image, std::size_t partition, LoggedContext& ctx, bool full = false) {
        return flash(rig_->backend(), image, partition, ctx, full);
    }

    /// How many of app's 16 KiB sectors one erase or write call takes: neighbours join up to the
    /// backend's batchBytes() (at least one sector a call).
    std::size_t appSectorsPerCall() const {
        return std::max<std::size_t>(1, std::size_t(rig_->backend().batchBytes() / 0x4000));
    }

    static void addRigRows() {
        QTest::addColumn<QString>("rig");
        for (const QString& name : rigNames())
            QTest::newRow(qPrintable(name)) << name;
    }

private slots:
    // Every data-driven case gets its row's rig; a row whose tool is missing is skipped here.
    void init() {
        if (!QTest::currentDataTag())
            return;
        QFETCH(QString, rig);
        rig_ = makeRig(rig);
        QVERIFY(rig_);
        if (const QString why = rig_->missing(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }
    void cleanup() {
        rig_.reset();
        QCOMPARE(testing::childProcesses(QStringLiteral("openocd")), 0);
    }

    void declarationsAreCompleteAndEveryBackendHasARow() {
        std::set<std::string_view> names, cliNames;
        std::string_view last;
        for (const BackendKind& kind : allBackends()) {
            QVERIFY2(kind.name > last, "the registry's table is sorted by name, each name once");
            last = kind.name;
            QVERIFY(!kind.title.empty());
            QVERIFY(kind.make);
            QCOMPARE(findBackend(kind.name), &kind);
            names.insert(kind.name);
            std::set<std::string_view> keys;
            for (const OptionSpec& o : kind.options) {
                QVERIFY(!o.key.empty() && !o.label.empty() && !o.help.empty() && !o.placeholder.empty());
                QVERIFY(!o.cliName.empty() && !o.valueName.empty());
                QVERIFY2(keys.insert(o.key).second, "an option key is declared once per backend");
                QVERIFY2(cliNames.insert(o.cliName).second, "a CLI option belongs to one backend");
                QCOMPARE(kind.option(o.key), &o);
            }
            if (kind.devices) {
                QVERIFY2(kind.option(kind.devices->option), "the device chooser fills a declared option");
                QVERIFY(kind.devices->makeLister && !kind.devices->label.empty() &&
                        !kind.devices->none.empty());
            }
        }
        QVERIFY(!findBackend("no-such-backend"));
        QVERIFY(findBackend(kDefaultBackend));
        QCOMPARE(allBackendOptions().size(), cliNames.size());
        std::set<std::string_view> rows;
        for (const QString& name : rigNames())
            rows.insert(makeRig(name)->backendName());
        QVERIFY2(rows == names, "every registered backend runs in this suite, and only those");
    }

    void smartReflashSkipsEverySector_data() { addRigRows(); }
    void smartReflashSkipsEverySector() {
        QVERIFY2(rig_->start({}), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        QCOMPARE(before.size(), kFlashSize);
        const QByteArray image = imageBytes(kAppEnd - kAppStart, 1);
        const QByteArray expected = with(before, kAppStart, image);

        const Wear w0 = rig_->wear();
        LoggedContext first;
        const JobReport r1 = flash(image, App, first);
        QVERIFY2(r1.ok(), testing::explain(r1, first));
        QCOMPARE(r1.sectors.size(), std::size_t(3));
        for (const SectorReport& s : r1.sectors) {
            QCOMPARE(s.state, SectorState::Differs);
            QCOMPARE(s.outcome, SectorOutcome::Verified);
        }
        QVERIFY2(rig_->flash() == expected, firstDifference(rig_->flash(), expected));
        const Wear w1 = rig_->wear();
        QCOMPARE((w1 - w0).toString(), wearOf({1, 2, 3}, 48 * 1024).toString());
        if (const QString note = rig_->compareNote(); !note.isEmpty())
            QVERIFY2(first.text().contains(note), qPrintable(first.text()));

        // The same image again: every sector holds it, nothing is erased or written.
        LoggedContext second;
        const JobReport r2 = flash(image, App, second);
        QVERIFY2(r2.ok(), testing::explain(r2, second));
        QCOMPARE(r2.sectorsSkipped, std::size_t(3));
        for (const SectorReport& s : r2.sectors) {
            QCOMPARE(s.state, SectorState::Matches);
            QCOMPARE(s.outcome, SectorOutcome::Skipped);
        }
        QCOMPARE(r2.bytesErased + r2.bytesWritten, std::uint64_t(0));
        const Wear w2 = rig_->wear();
        QCOMPARE((w2 - w1).toString(), Wear{}.toString());

        // Full mode erases and writes every sector the image touches, whatever it holds.
        LoggedContext third;
        const JobReport r3 = flash(image, App, third, true);
        QVERIFY2(r3.ok(), testing::explain(r3, third));
        QCOMPARE(r3.sectorsSkipped, std::size_t(0));
        QCOMPARE((rig_->wear() - w2).toString(), wearOf({1, 2, 3}, 48 * 1024).toString());
        QVERIFY2(rig_->flash() == expected, firstDifference(rig_->flash(), expected));
    }

    void oneChangedSectorIsErasedAndWrittenAlone_data() { addRigRows(); }
    void oneChangedSectorIsErasedAndWrittenAlone() {
        QVERIFY2(rig_->start({}), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        QByteArray image = imageBytes(kAppEnd - kAppStart, 2);
        LoggedContext first;
        const JobReport r1 = flash(image, App, first);
        QVERIFY2(r1.ok(), testing::explain(r1, first));

        image[0x5000] = char(image[0x5000] ^ 0x01); // device offset 0x9000: sector 2, the second of app
        const Wear w1 = rig_->wear();
        LoggedContext second;
        const JobReport r2 = flash(image, App, second);
        QVERIFY2(r2.ok(), testing::explain(r2, second));
        QCOMPARE(r2.sectorsSkipped, std::size_t(2));
        QCOMPARE(r2.sectors[0].outcome, SectorOutcome::Skipped);
        QCOMPARE(r2.sectors[1].sector.index, std::uint64_t(2));
        QCOMPARE(r2.sectors[1].state, SectorState::Differs);
        QCOMPARE(r2.sectors[1].outcome, SectorOutcome::Verified);
        QCOMPARE(r2.sectors[2].outcome, SectorOutcome::Skipped);
        QCOMPARE((rig_->wear() - w1).toString(), wearOf({2}, 16 * 1024).toString());
        const QByteArray expected = with(before, kAppStart, image);
        QVERIFY2(rig_->flash() == expected, firstDifference(rig_->flash(), expected));
    }

    void anErasedSectorIsWrittenWithoutAnEraseAndReadsBack_data() { addRigRows(); }
    void anErasedSectorIsWrittenWithoutAnEraseAndReadsBack() {
        QVERIFY2(rig_->start({}), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        const Wear w0 = rig_->wear();
        LoggedContext ctx;
        const JobReport erased = erasePartition(rig_->backend(), layout_, Slot, ctx);
        QVERIFY2(erased.ok(), testing::explain(erased, ctx));
        QCOMPARE(erased.bytesErased, std::uint64_t(0x30000));
        const Wear w1 = rig_->wear();
        QCOMPARE((w1 - w0).toString(), wearOf({4, 5}, 0).toString());
        const QByteArray blank = with(before, 0x10000, QByteArray(0x30000, char(0xff)));
        QVERIFY2(rig_->flash() == blank, firstDifference(rig_->flash(), blank));

        // Less than the first sector: it is still erased, so it is written without an erase.
        const QByteArray image = imageBytes(0x6000, 3);
        const JobReport written = flash(image, Slot, ctx);
        QVERIFY2(written.ok(), testing::explain(written, ctx));
        QCOMPARE(written.sectors.size(), std::size_t(1));
        QCOMPARE(written.sectors[0].state, SectorState::Erased);
        QCOMPARE(written.bytesErased, std::uint64_t(0));
        QCOMPARE((rig_->wear() - w1).toString(), wearOf({}, 0x6000).toString());

        const JobReport read = readPartition(rig_->backend(), layout_, Slot, ctx);
        QVERIFY2(read.ok(), testing::explain(read, ctx));
        const QByteArray back(reinterpret_cast<const char*>(read.data.data()), qsizetype(read.data.size()));
        QVERIFY(back == with(QByteArray(0x30000, char(0xff)), 0, image));
    }

    void cancelMidWriteNamesThePartialSector_data() { addRigRows(); }
    void cancelMidWriteNamesThePartialSector() {
        // The target holds 2 KiB into sector 2, the second sector of app: the cancel comes mid-write on
        // any machine, however fast or loaded.
        Setup setup;
        setup.holdAt = 0x8800;
        QVERIFY2(rig_->start(setup), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        const QByteArray image = imageBytes(kAppEnd - kAppStart, 4);
        LoggedContext job;
        JobReport report;
        std::thread worker([&] { report = flash(image, App, job, true); });
        // Released and joined on every way out, so a failed check does not end the test program.
        const auto joiner = qScopeGuard([&] {
            job.cancel();
            rig_->release();
            if (worker.joinable())
                worker.join();
        });
        QVERIFY2(rig_->waitForHold(), "the write never reached 0x8800");
        job.cancel();
        if (rig_->cancelEndsWhileHeld()) {
            worker.join();
            rig_->release();
        } else {
            rig_->release();
            worker.join();
        }

        QVERIFY2(report.cancelled(), testing::explain(report, job));
        // Every sector of the call under way (the one with app's second sector) may be partial; those
        // of earlier calls were written, those of later ones only erased.
        const std::size_t perCall = appSectorsPerCall();
        const std::size_t heldCall = 1 / perCall;
        std::vector<std::uint64_t> partial, expectedPartial;
        for (const Sector& s : report.maybePartial())
            partial.push_back(s.index);
        for (std::size_t i = 0; i < 3; ++i) {
            const std::size_t call = i / perCall;
            const SectorOutcome expected = call < heldCall    ? SectorOutcome::Written
                                           : call == heldCall ? SectorOutcome::MaybePartial
                                                              : SectorOutcome::Erased;
            QCOMPARE(report.sectors[i].outcome, expected);
            if (expected == SectorOutcome::MaybePartial)
                expectedPartial.push_back(1 + i);
        }
        QCOMPARE(partial, expectedPartial);
        // The target holds what the report says, and nothing outside the partition changed.
        const QByteArray after = rig_->flash();
        QCOMPARE(after.size(), kFlashSize);
        QVERIFY(after.left(kAppStart) == before.left(kAppStart));
        QVERIFY(after.mid(kAppEnd) == before.mid(kAppEnd));
        for (std::size_t i = 0; i < 3; ++i) {
            const int at = int(i) * 0x4000;
            if (report.sectors[i].outcome == SectorOutcome::Written)
                QVERIFY(after.mid(kAppStart + at, 0x4000) == image.mid(at, 0x4000));
            if (report.sectors[i].outcome == SectorOutcome::Erased)
                QVERIFY(after.mid(kAppStart + at, 0x4000) == QByteArray(0x4000, char(0xff)));
        }
    }

    void aCancelBetweenOperationsStopsBeforeTheNextOne_data() { addRigRows(); }
    void aCancelBetweenOperationsStopsBeforeTheNextOne() {
        // Cancelled as an operation ends (from the job's progress), the job stops before the next one:
        // nothing is under way, so no sector's content is unknown.
        QVERIFY2(rig_->start({}), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        const QByteArray image = imageBytes(kAppEnd - kAppStart, 5);
        Phase cancelAfter = Phase::Erase;
        LoggedContext* self = nullptr;
        const auto cancelAfterTheFirst = [&](Phase phase, std::uint64_t done, std::uint64_t) {
            if (phase == cancelAfter && done > 0)
                self->cancel();
        };
        // The first call takes the first `first` sectors of app (one, or more where the backend joins
        // neighbours).
        const std::size_t first = std::min<std::size_t>(3, appSectorsPerCall());
        std::vector<std::size_t> firstSectors, otherSectors;
        for (std::size_t i = 0; i < 3; ++i)
            (i < first ? firstSectors : otherSectors).push_back(1 + i);

        // After the first erase.
        const Wear w0 = rig_->wear();
        LoggedContext erasing(cancelAfterTheFirst);
        self = &erasing;
        const JobReport r1 = flash(image, App, erasing);
        QVERIFY2(r1.cancelled(), testing::explain(r1, erasing));
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(r1.sectors[i].outcome, i < first ? SectorOutcome::Erased : SectorOutcome::Untouched);
        QVERIFY(r1.maybePartial().empty());
        QCOMPARE((rig_->wear() - w0).toString(), wearOf(firstSectors, 0).toString());
        const int firstBytes = int(first) * 0x4000;
        QByteArray expected = with(before, kAppStart, QByteArray(firstBytes, char(0xff)));
        QVERIFY2(rig_->flash() == expected, firstDifference(rig_->flash(), expected));

        // After the first write: the sectors erased above still are, so only the others are erased first.
        cancelAfter = Phase::Write;
        const Wear w1 = rig_->wear();
        LoggedContext writing(cancelAfterTheFirst);
        self = &writing;
        const JobReport r2 = flash(image, App, writing);
        QVERIFY2(r2.cancelled(), testing::explain(r2, writing));
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(r2.sectors[i].outcome, i < first ? SectorOutcome::Written : SectorOutcome::Erased);
        QVERIFY(r2.maybePartial().empty());
        QCOMPARE((rig_->wear() - w1).toString(), wearOf(otherSectors, std::uint64_t(firstBytes)).toString());
        expected =
            with(with(before, kAppStart, QByteArray(0xc000, char(0xff))), kAppStart, image.left(firstBytes));
        QVERIFY2(rig_->flash() == expected, firstDifference(rig_->flash(), expected));
    }

    void rangesOutsideThePartitionNeverReachTheBackend_data() { addRigRows(); }
    void rangesOutsideThePartitionNeverReachTheBackend() {
        QVERIFY2(rig_->start({}), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        const Wear w0 = rig_->wear();
        WatchedBackend watched(rig_->backend());
        LoggedContext ctx;

        const JobReport tooLarge = flash(watched, imageBytes(kAppEnd - kAppStart + 1, 6), App, ctx);
        QVERIFY(tooLarge.error);
        QCOMPARE(tooLarge.error->code, Errc::OutOfRange);
        QVERIFY2(tooLarge.error->message.find("reaches outside app") != std::string::npos,
                 tooLarge.error->message.c_str());
        QVERIFY2(tooLarge.error->message.find("refused before any byte moved") != std::string::npos,
                 tooLarge.error->message.c_str());
        const JobReport below = flash(watched, imageBytes(0x20, 7), App, ctx, false, kAppStart - 0x10);
        QVERIFY(below.error);
        QCOMPARE(below.error->code, Errc::OutOfRange);
        const JobReport intoTheNext = flash(watched, imageBytes(0x200, 8), App, ctx, false, kAppEnd - 0x100);
        QVERIFY(intoTheNext.error);
        QCOMPARE(intoTheNext.error->code, Errc::OutOfRange);
        const JobReport readOnly = flash(watched, imageBytes(0x100, 9), Boot, ctx);
        QVERIFY(readOnly.error);
        QVERIFY2(readOnly.error->message.find("read-only") != std::string::npos,
                 readOnly.error->message.c_str());
        const JobReport eraseReadOnly = erasePartition(watched, layout_, Boot, ctx);
        QVERIFY(eraseReadOnly.error);
        QVERIFY2(eraseReadOnly.error->message.find("read-only") != std::string::npos,
                 eraseReadOnly.error->message.c_str());

        // The backend was only ever told to disconnect (which every job ends with), and the target
        // neither counted nor holds anything new.
        const QStringList calls = watched.calls();
        QVERIFY2(calls.count(QStringLiteral("disconnect")) == calls.size(), qPrintable(calls.join(' ')));
        QCOMPARE((rig_->wear() - w0).toString(), Wear{}.toString());
        QVERIFY2(rig_->flash() == before, firstDifference(rig_->flash(), before));
    }

    void failuresMapToTheirErrors_data() {
        QTest::addColumn<QString>("rig");
        QTest::addColumn<QString>("fault");
        for (const QString& name : rigNames())
            for (const Fault& f : makeRig(name)->faults())
                QTest::newRow(qPrintable(name + QLatin1Char('/') + f.name)) << name << f.name;
    }
    void failuresMapToTheirErrors() {
        QFETCH(QString, fault);
        const std::vector<Fault> faults = rig_->faults();
        const auto f =
            std::find_if(faults.begin(), faults.end(), [&](const Fault& x) { return x.name == fault; });
        QVERIFY(f != faults.end());
        Setup setup;
        setup.fault = fault;
        QVERIFY2(rig_->start(setup), qPrintable(rig_->error()));
        const QByteArray before = rig_->flash();
        QByteArray image = imageBytes(kAppEnd - kAppStart, 10);
        if (!before.isEmpty())
            image[0] = char(~before[kAppStart]); // the first byte differs for sure
        LoggedContext ctx;
        const JobReport r = flash(image, App, ctx);
        QVERIFY2(r.error, testing::explain(r, ctx));
        QCOMPARE(r.error->code, f->code);
        QVERIFY2(r.error->message.find(f->says) != std::string::npos, testing::explain(r, ctx));
        QCOMPARE(!r.maybePartial().empty(), f->duringWrites);
        for (const SectorReport& s : r.sectors)
            QVERIFY(s.outcome != SectorOutcome::Verified); // a failed job never vouches for a sector
        const QByteArray after = rig_->flash();
        if (!before.isEmpty()) {
            QVERIFY(after.left(kAppStart) == before.left(kAppStart));
            QVERIFY(after.mid(kAppEnd) == before.mid(kAppEnd));
        }
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestBackendConformance)
#include "tst_backend_conformance.moc"
