// SPDX-License-Identifier: Apache-2.0
// Speed of the OpenOCD backend on the emulated STM32F407 (real openocd, the flash loader and CRC routine
// in the work area). Figures, not assertions about time: run `build/tests/bench/bench_openocd` and read
// them. Each figure is the median of a few runs and includes starting and ending openocd.
//  - plain `openocd ... -c "program <file> 0x08020000 verify exit"` against flashPartition(full) of the
//    same 128 KiB image (goal: at most 1.10 times as long);
//  - re-flash of a 512 KiB slot (4 x 128 KiB sectors) with one changed sector against a full write of it
//    (goal: at most 0.5 times as long; exactly one sector erased and written, which is checked);
//  - how compare learns what 512 KiB of flash holds: CRC-32 on the target (with a work area) against
//    reading it back (without one), from the start of the compare phase to the job's end.
#include "BenchFigures.h"
#include "OpenOcdRig.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>

using namespace flashplan;
using namespace flashplan::programmer;
using namespace flashplan::testing;

using namespace flashplan::bench;

namespace {
const int kRuns = benchRuns();
} // namespace

class BenchOpenOcd : public QObject {
    Q_OBJECT

    Layout layout_ = f407Layout();
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
    }

    void plainProgramAgainstAFullFlash() {
        const QByteArray image = randomBytes(128 * 1024, 11);
        const QString file = dir_.filePath(QStringLiteral("image.bin"));
        QVERIFY(writeFile(file, image));
        std::vector<double> plain, ours;
        const auto runPlain = [&]() {
            EmulatedF407 emu;
            QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
            OpenOcdOptions o;
            o.workAreaSize = QStringLiteral("0x8000");
            o.commands = {QStringLiteral("program {%1} 0x08020000 verify exit").arg(file)};
            const OpenOcdResult r = runOpenOcd(emu.port(), o);
            QVERIFY2(r.exitCode == 0 && r.output().contains(QStringLiteral("** Verified OK **")),
                     qPrintable(r.output()));
            plain.push_back(double(r.elapsedMs) / 1000);
        };
        const auto runOurs = [&]() {
            EmulatedF407 emu;
            QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
            OpenOcdBackend backend(emu.settings());
            const double s = timedFlash(backend, layout_, image, Slot, true);
            QVERIFY(s > 0);
            ours.push_back(s);
            QVERIFY(emu.flash().mid(0x20000, image.size()) == image);
        };
        // Alternating which goes first, so that neither always runs on a warmer (or busier) machine.
        for (int run = 0; run < kRuns; ++run) {
            if (run % 2 == 0) {
                runPlain();
                runOurs();
            } else {
                runOurs();
                runPlain();
            }
            if (QTest::currentTestFailed())
                return;
        }
        const double p = median(plain), o = median(ours);
        qInfo(
            "128 KiB program+verify: openocd `program` %.2f s, flashPartition --full %.2f s: %.2fx (goal <= "
            "1.10x); fastest runs %.2f s and %.2f s: %.2fx",
            p, o, o / p, fastest(plain), fastest(ours), fastest(ours) / fastest(plain));
    }

    void reflashOfOneSectorInA512KiBSlot() {
        EmulatedF407 emu;
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        OpenOcdBackend backend(emu.settings());
        QByteArray image = randomBytes(512 * 1024, 12);
        std::vector<double> full, smart;
        for (int run = 0; run < kRuns; ++run) {
            const double f = timedFlash(backend, layout_, image, Big, true);
            QVERIFY(f > 0);
            full.push_back(f);
            const auto before = emu.stats();
            QVERIFY(before);
            const int at = 0x40000 + 0x100 * run; // in the slot's third sector (sector 10)
            image[at] = char(image[at] ^ 0xa5);
            const double s = timedFlash(backend, layout_, image, Big, false);
            QVERIFY(s > 0);
            smart.push_back(s);
            const auto after = emu.stats();
            QVERIFY(after);
            QVector<quint32> erased(12, 0);
            for (int i = 0; i < 12; ++i)
                erased[i] = after->erasesPerSector[i] - before->erasesPerSector[i];
            QVector<quint32> expected(12, 0);
            expected[10] = 1;
            QCOMPARE(erased, expected);
            QCOMPARE(after->bytesProgrammed - before->bytesProgrammed, quint64(128 * 1024));
        }
        QVERIFY(emu.flash().mid(0x80000) == image);
        const double f = median(full), s = median(smart);
        qInfo("512 KiB slot, one sector changed: full %.2f s, smart %.2f s: %.2fx (goal <= 0.50x); fastest "
              "runs "
              "%.2f s and %.2f s: %.2fx; one sector erased and written",
              f, s, s / f, fastest(full), fastest(smart), fastest(smart) / fastest(full));
    }

    void compareByChecksumAgainstReadBack() {
        double seconds[2] = {0, 0};
        for (const bool workArea : {true, false}) {
            EmulatedF407 emu;
            QVERIFY2(emu.start(workArea ? QStringLiteral("0x8000") : QStringLiteral("0")),
                     qPrintable(emu.error()));
            OpenOcdBackend backend(emu.settings());
            // The slot holds the image but for one byte of its last sector.
            QByteArray image = emu.background().mid(0x80000, 0x80000);
            image[0x70000] = char(image[0x70000] ^ 0x01);
            QElapsedTimer clock;
            LoggedContext ctx([&](Phase phase, std::uint64_t done, std::uint64_t) {
                if (phase == Phase::Compare && done == 0)
                    clock.start();
            });
            FlashRequest r;
            r.layout = &layout_;
            r.partition = Big;
            r.offset = layout_.partitions[Big].offset;
            r.data = bytes(image);
            const JobReport report = verifyPartition(backend, r, ctx);
            QVERIFY2(report.ok(), explain(report, ctx));
            seconds[workArea ? 0 : 1] = double(clock.nsecsElapsed()) / 1e9;
            QCOMPARE(report.mismatches().size(), std::size_t(1));
        }
        qInfo("compare of 512 KiB (4 sectors, one differs): CRC on the target %.2f s, read-back %.2f s",
              seconds[0], seconds[1]);
    }
};

QTEST_GUILESS_MAIN(BenchOpenOcd)
#include "bench_openocd.moc"
