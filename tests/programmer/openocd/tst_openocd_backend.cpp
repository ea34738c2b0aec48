// SPDX-License-Identifier: Apache-2.0
// What is the OpenOCD backend's own, end to end: real openocd, started and driven by the backend over
// TCL-RPC against the emulated STM32F407 (tests/emulators): learning the sector map, the debug port and
// read-back compare without a work area, the CRC on the target over a 128 KiB sector, the 2 s promise of
// a cancel, hostile file names; each over JTAG and over SWD (the data column `transport`: one body, the
// rig chooses how OpenOCD reaches the target). Over SWD also the probe's faults: each ends the job in its
// error, OpenOCD gone and nothing written outside the partition. What every backend does alike (smart
// flashing, one changed sector, cancel, refused ranges, faults) is in tst_backend_conformance. Skipped
// when openocd is not installed.
#include "OpenOcdRig.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTest>

#include <atomic>
#include <thread>

using namespace flashplan;
using namespace flashplan::emu;
using namespace flashplan::programmer;
using namespace flashplan::testing;

class TestOpenOcdBackend : public QObject {
    Q_OBJECT

    Layout layout_ = f407Layout();

    JobReport flash(OpenOcdBackend& backend, const QByteArray& image, std::size_t partition,
                    LoggedContext& ctx, bool full = false, bool reset = false) {
        FlashRequest r;
        r.layout = &layout_;
        r.partition = partition;
        r.offset = layout_.partitions[partition].offset;
        r.data = bytes(image);
        r.full = full;
        r.reset = reset;
        return flashPartition(backend, r, ctx);
    }

    /// The emulator's flash is `before` with `image` at `offset`, and nothing else changed.
    static void checkFlash(const QByteArray& flash, QByteArray before, const QByteArray& image, int offset) {
        QCOMPARE(flash.size(), kFlashSize);
        before.replace(offset, image.size(), image);
        if (flash == before)
            return;
        int i = 0;
        while (flash[i] == before[i])
            ++i;
        QFAIL(qPrintable(QStringLiteral("first difference at 0x%1").arg(i, 0, 16)));
    }

    /// Erases per sector between two stats, and bytes programmed.
    static QVector<quint32> erasesBetween(const EmulatorStats& a, const EmulatorStats& b) {
        QVector<quint32> d(b.erasesPerSector.size());
        for (int i = 0; i < d.size(); ++i)
            d[i] = b.erasesPerSector[i] - a.erasesPerSector.value(i);
        return d;
    }
    static QVector<quint32> erasesOf(std::initializer_list<int> sectors) {
        QVector<quint32> d(12, 0);
        for (int s : sectors)
            d[s] = 1;
        return d;
    }

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: these tests need it (Debian: apt-get install openocd)");
    }
    void cleanup() {
        QCOMPARE(childProcesses(QStringLiteral("openocd")), 0);
        // The emulators are ended by their EmulatorProcess.
    }

    void connectLearnsTheSectorMapAndEndsCleanly_data() { addTransportRows(); }
    void connectLearnsTheSectorMapAndEndsCleanly() {
        QFETCH(Transport, transport);
        EmulatedF407 emu(transport);
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        OpenOcdBackend backend(emu.settings());
        LoggedContext ctx;
        auto connected = backend.connect(layout_.board, ctx);
        QVERIFY2(connected.ok(),
                 qPrintable(QString::fromStdString(
                     connected.ok() ? "" : connected.error().message + "\n" + ctx.text().toStdString())));
        const std::int64_t pid = backend.processId();
        QVERIFY(pid > 0);
        auto seen = backend.describe(ctx);
        QVERIFY(seen);
        // The main flash as the database has it, and the OTP area the board does not use.
        QCOMPARE(seen->size(), std::size_t(2));
        QCOMPARE(QString::fromStdString((*seen)[0].id), QStringLiteral("stm32f4x.flash"));
        QCOMPARE((*seen)[0].cpuBase, std::optional<std::uint64_t>(0x08000000));
        QCOMPARE((*seen)[0].sectors, layout_.board.devices[0].sectors);
        QCOMPARE(QString::fromStdString((*seen)[1].id), QStringLiteral("stm32f4x.otp"));
        QCOMPARE((*seen)[1].cpuBase, std::optional<std::uint64_t>(0x1fff7800));
        QCOMPARE((*seen)[1].sectors.toString(), std::string("16x32"));
        // A read crossing a 1 KiB and a 4 KiB boundary comes back as the emulator holds it.
        auto read = backend.read(layout_.board.devices[0], 0x3b00, 0x1800, ctx);
        QVERIFY(read);
        QVERIFY(QByteArray(reinterpret_cast<const char*>(read->data()), qsizetype(read->size())) ==
                emu.background().mid(0x3b00, 0x1800));
        QVERIFY2(ctx.text().contains(QStringLiteral("openocd: Info : [stm32f4x.cpu] Cortex-M4 r0p1 processor "
                                                    "detected")),
                 qPrintable(ctx.text()));
        QElapsedTimer clock;
        clock.start();
        backend.disconnect();
        QCOMPARE(backend.processId(), std::int64_t(0));
        QVERIFY(processGone(pid));
        qInfo("disconnect (shutdown over TCL-RPC): %lld ms", qlonglong(clock.elapsed()));
        // The promise to users: closing a session ends OpenOCD within two seconds.
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    }

    void withoutAWorkAreaSectorsAreComparedByReadingBack_data() { addTransportRows(); }
    void withoutAWorkAreaSectorsAreComparedByReadingBack() {
        QFETCH(Transport, transport);
        // No work area: OpenOCD programs through the debug port and the backend compares by reading back
        // (the conformance suite's OpenOCD row has a work area, as target/stm32f4x.cfg sets up). One 16 KiB
        // sector keeps it short: the debug port is slow over remote_bitbang.
        EmulatedF407 emu(transport);
        QVERIFY2(emu.start(QStringLiteral("0")), qPrintable(emu.error()));
        OpenOcdBackend backend(emu.settings());
        const QByteArray image = randomBytes(16 * 1024, 2);
        LoggedContext first;
        const JobReport r1 = flash(backend, image, App, first);
        QVERIFY2(r1.ok(), explain(r1, first));
        QVERIFY2(first.text().contains(QStringLiteral("no work area")), qPrintable(first.text()));
        QCOMPARE(r1.sectors.size(), std::size_t(1));
        QCOMPARE(r1.sectors[0].outcome, SectorOutcome::Verified);
        checkFlash(emu.flash(), emu.background(), image, int(layout_.partitions[App].offset));
        const auto s1 = emu.stats();
        QVERIFY(s1);
        QCOMPARE(s1->erasesPerSector, erasesOf({1}));
        QCOMPARE(s1->bytesProgrammed, quint64(16 * 1024));

        LoggedContext second;
        const JobReport r2 = flash(backend, image, App, second);
        QVERIFY2(r2.ok(), explain(r2, second));
        QCOMPARE(r2.sectorsSkipped, std::size_t(1));
        const auto s2 = emu.stats();
        QVERIFY(s2);
        QCOMPARE(erasesBetween(*s1, *s2), erasesOf({}));
        QCOMPARE(s2->bytesProgrammed, s1->bytesProgrammed);
    }

    void theCrcOnTheTargetTellsA128KiBSectorByItsLastByte_data() { addTransportRows(); }
    void theCrcOnTheTargetTellsA128KiBSectorByItsLastByte() {
        QFETCH(Transport, transport);
        // OpenOCD's own compare: the CRC-32 routine in the target's work area over a whole 128 KiB sector
        // (the conformance suite's sectors are 16 KiB), so a change in its last byte must still show.
        EmulatedF407 emu(transport);
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        OpenOcdBackend backend(emu.settings());
        QByteArray image = randomBytes(128 * 1024, 3);
        const int at = int(layout_.partitions[Slot].offset);

        LoggedContext first;
        QElapsedTimer clock;
        clock.start();
        const JobReport r1 = flash(backend, image, Slot, first);
        QVERIFY2(r1.ok(), explain(r1, first));
        qInfo("128 KiB into sector 5 with the flash loader: %lld ms", qlonglong(clock.elapsed()));
        QVERIFY2(first.text().contains(QStringLiteral("CRC routine run on the target")),
                 qPrintable(first.text()));
        const auto s1 = emu.stats();
        QVERIFY(s1);

        image[0x1ffff] = char(image[0x1ffff] ^ 0x01); // the last byte of the sector
        LoggedContext second;
        clock.restart();
        const JobReport r2 = flash(backend, image, Slot, second, false, true);
        QVERIFY2(r2.ok(), explain(r2, second));
        qInfo("one byte changed, found by checksum and rewritten: %lld ms", qlonglong(clock.elapsed()));
        QCOMPARE(r2.sectors[0].state, SectorState::Differs);
        QCOMPARE(r2.sectors[0].outcome, SectorOutcome::Verified);
        const auto s2 = emu.stats();
        QVERIFY(s2);
        QCOMPARE(erasesBetween(*s1, *s2), erasesOf({5}));
        QCOMPARE(s2->bytesProgrammed - s1->bytesProgrammed, quint64(128 * 1024));
        checkFlash(emu.flash(), emu.background(), image, at);
    }

    void cancelDuringAWriteEndsOpenOcdWithinTwoSeconds_data() { addTransportRows(); }
    void cancelDuringAWriteEndsOpenOcdWithinTwoSeconds() {
        QFETCH(Transport, transport);
        EmulatedF407 emu(transport);
        // The emulator stops answering 2 KiB into sector 1: the cancel comes mid-write on any machine.
        emu.holdAt(0x4800);
        QVERIFY2(emu.start(QStringLiteral("0")), qPrintable(emu.error()));
        OpenOcdBackend backend(emu.settings());
        const QByteArray image = randomBytes(48 * 1024, 5);
        LoggedContext job;
        JobReport report;
        std::thread worker([&] {
            FlashRequest r;
            r.layout = &layout_;
            r.partition = App;
            r.offset = layout_.partitions[App].offset;
            r.data = bytes(image);
            r.full = true;
            report = flashPartition(backend, r, job);
        });
        // Joined on every way out, so a failed check does not end the test program.
        const auto joiner = qScopeGuard([&] {
            job.cancel();
            emu.release();
            if (worker.joinable())
                worker.join();
        });
        QVERIFY2(emu.waitForHold(), "the write never reached 0x4800");
        const std::int64_t pid = backend.processId();
        QVERIFY(pid > 0);
        // The promise to users: Cancel ends OpenOCD within two seconds, whatever it is doing.
        QElapsedTimer clock;
        clock.start();
        job.cancel();
        worker.join();
        const qint64 ms = clock.elapsed();
        emu.release(); // a held probe answers again (the JTAG emulator resumed when its OpenOCD went)
        qInfo("from cancel to the job's end, openocd gone: %lld ms", qlonglong(ms));
        QVERIFY2(processGone(pid), "openocd is still there");
        QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
        QVERIFY2(report.cancelled(), explain(report, job));
        // What the report names and what the flash holds after a cancel mid-write is the same on every
        // backend: tst_backend_conformance checks it.
    }

    void probeFaultsEndTheJobWithOpenOcdGone_data() {
        QTest::addColumn<ProbeFault::Kind>("kind");
        QTest::addColumn<Errc>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("vanishes") << ProbeFault::Kind::Vanish << Errc::NoDevice
                                  << QStringLiteral("the debug probe was disconnected during the session");
        QTest::newRow("sticky-fault")
            << ProbeFault::Kind::Fault << Errc::Io << QStringLiteral("the target does not respond");
        QTest::newRow("wait-forever")
            << ProbeFault::Kind::Wait << Errc::Io << QStringLiteral("the target does not respond");
    }
    void probeFaultsEndTheJobWithOpenOcdGone() {
        // Over SWD the probe fails 8 KiB into a 128 KiB write (as fine as a drain of the flash loader's
        // FIFO allows): the job ends in an error that says what happened, before any timeout of its own,
        // openocd is gone, and nothing outside the partition changed.
        QFETCH(ProbeFault::Kind, kind);
        QFETCH(Errc, code);
        QFETCH(QString, says);
        EmulatedF407 emu(Transport::Swd);
        emu.setFault({kind, {}, 0x2000});
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        OpenOcdBackend backend(emu.settings());
        std::int64_t pid = 0;
        LoggedContext ctx([&](Phase, std::uint64_t, std::uint64_t) {
            if (const std::int64_t now = backend.processId(); now > 0)
                pid = now;
        });
        const QByteArray image = randomBytes(128 * 1024, 9);
        const JobReport r = flash(backend, image, Slot, ctx, true);
        QVERIFY2(r.error, explain(r, ctx));
        qInfo("%s", r.error->message.c_str());
        QCOMPARE(r.error->code, code);
        QVERIFY2(r.error->message.find(says.toStdString()) != std::string::npos, explain(r, ctx));
        QVERIFY2(pid > 0, "no openocd was seen during the job");
        QVERIFY2(processGone(pid), "openocd is still there");
        // The write was under way: the report names the slot's sector as maybe partial.
        const std::vector<Sector> partial = r.maybePartial();
        QCOMPARE(partial.size(), std::size_t(1));
        QCOMPARE(partial[0].index, std::uint64_t(5));
        const ProbeRecord rec = emu.probe()->record();
        QVERIFY(rec.faultBegan);
        QCOMPARE(emu.probe()->bytesProgrammed(), rec.bytesAtFault); // nothing programmed after the fault
        QVERIFY(rec.bytesAtFault < quint64(image.size()));
        if (kind == ProbeFault::Kind::Vanish) {
            QVERIFY(emu.probeGone());
            QCOMPARE(rec.commandsAfterFault, 0u);
        } else {
            QVERIFY(kind == ProbeFault::Kind::Wait ? rec.dap.waitAcks > 0 : rec.dap.faultAcks > 0);
        }
        const QByteArray after = emu.flash();
        const int at = int(layout_.partitions[Slot].offset);
        QVERIFY(after.left(at) == emu.background().left(at));
        QVERIFY(after.mid(at + image.size()) == emu.background().mid(at + image.size()));
        QVERIFY(after.mid(at, int(rec.bytesAtFault)) == image.left(int(rec.bytesAtFault)));
    }

    void hostileFileNamesReachOpenOcdAsData_data() { addTransportRows(); }
    void hostileFileNamesReachOpenOcdAsData() {
        QFETCH(Transport, transport);
        // Both the config file and every file OpenOCD reads and writes live in this folder.
        QTemporaryDir parent;
        QVERIFY(parent.isValid());
        const QString folder = parent.filePath(QStringLiteral("a b 'c' \"d\" {e} [f] $g;h\\i\tj\nk\x1al"));
        QVERIFY(QDir().mkpath(folder));
        EmulatedF407 emu(transport);
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        const QString config = emu.writeWholeConfig(folder);
        QVERIFY(!config.isEmpty());
        openocd::OpenOcdSettings s;
        s.config = config.toStdString();
        s.scratchFolder = folder.toStdString();
        OpenOcdBackend backend(s);
        const QByteArray image = randomBytes(48 * 1024, 6);
        LoggedContext ctx;
        const JobReport r = flash(backend, image, App, ctx);
        QVERIFY2(r.ok(), explain(r, ctx));
        QCOMPARE(r.sectors.size(), std::size_t(3));
        const JobReport read = readPartition(backend, layout_, App, ctx);
        QVERIFY2(read.ok(), explain(read, ctx));
        QVERIFY(QByteArray(reinterpret_cast<const char*>(read.data.data()), qsizetype(read.data.size())) ==
                image);
        checkFlash(emu.flash(), emu.background(), image, int(layout_.partitions[App].offset));
        // The scratch folder of each session is gone with it.
        QCOMPARE(QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList());
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestOpenOcdBackend)
#include "tst_openocd_backend.moc"
