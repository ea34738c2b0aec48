// SPDX-License-Identifier: Apache-2.0
// Speed of the OpenOCD backend over SWD: real openocd with the stock interface/cmsis-dap.cfg,
// `transport select swd` and target/stm32f4x.cfg, through the emulated CMSIS-DAP probe on a umockdev bus
// (tests/emulators/cmsis-dap; its flash loader and CRC routine run "on" the target). Figures, not
// assertions about time: run `build/tests/bench/bench_swd` and read them (FLASHPLAN_BENCH_RUNS=N for
// N runs, 5 by default; ctest runs one, to check the benchmark still works). Each figure includes starting
// and ending openocd. The emulated flash erases and programs in the STM32F407 datasheet's typical times
// (tests/emulators/stm32f4-jtag/FlashTiming.h: a 128 KiB sector erase takes 1-2 s, as on the chip, which
// is what smart flashing saves); FLASHPLAN_BENCH_TIMING=instant measures with instant flash instead,
// which leaves only the debug-port transfers and OpenOCD's fixed costs.
//  - plain `openocd ... -c "program <file> 0x08000000 verify exit"` against Flashplan's full write
//    (flashPartition with `full`, what `flashplan-cli flash --full` runs) of the same 128 KiB, side by side
//    in one run (goal: at most 1.0 times as long);
//  - a smart re-flash of a 512 KiB slot (4 x 128 KiB sectors) with one changed sector against a full
//    write of that slot (goal: at most 0.3 times as long; exactly one sector erased and written, which is
//    checked).
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

const bool kDatasheetTiming = qgetenv("FLASHPLAN_BENCH_TIMING") != "instant";
const char* const kTimingName = kDatasheetTiming ? "datasheet flash timing" : "instant flash";

/// The emulated F407 over SWD with the benchmark's flash timing.
EmulatedF407* startTarget(std::unique_ptr<EmulatedF407>& emu) {
    emu = std::make_unique<EmulatedF407>(Transport::Swd);
    if (kDatasheetTiming)
        emu->useDatasheetTiming();
    if (!emu->start(QStringLiteral("0x8000"))) {
        qWarning("%s", qPrintable(emu->error()));
        return nullptr;
    }
    return emu.get();
}

/// The F407 with the two areas measured: `image` (sectors 0-4, the 128 KiB `program` writes at
/// 0x08000000) and `slot` (sectors 8-11, 512 KiB).
Layout benchLayout() {
    Layout l = f407Layout();
    l.partitions.clear();
    const auto add = [&](const char* label, std::uint64_t offset, std::uint64_t size) {
        Partition p;
        p.label = label;
        p.device = "flash0";
        p.offset = offset;
        p.size = size;
        l.partitions.push_back(p);
    };
    add("image", 0, 0x20000);
    add("slot", 0x80000, 0x80000);
    return l;
}
enum Area : std::size_t { ImageArea, SlotArea };

} // namespace

class BenchSwd : public QObject {
    Q_OBJECT

    Layout layout_ = benchLayout();
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
    }

    void plainProgramAgainstAFullWrite() {
        const QByteArray image = randomBytes(128 * 1024, 31);
        const QString file = dir_.filePath(QStringLiteral("image.bin"));
        QVERIFY(writeFile(file, image));
        std::vector<double> plain, ours;
        const auto runPlain = [&]() {
            std::unique_ptr<EmulatedF407> owner;
            EmulatedF407* emu = startTarget(owner);
            QVERIFY(emu);
            const OpenOcdResult r =
                emu->runOpenOcd({QStringLiteral("program {%1} 0x08000000 verify exit").arg(file)});
            QVERIFY2(r.exitCode == 0 && r.output().contains(QStringLiteral("** Verified OK **")),
                     qPrintable(r.output()));
            QVERIFY(emu->flash().left(image.size()) == image);
            plain.push_back(double(r.elapsedMs) / 1000);
        };
        const auto runOurs = [&]() {
            std::unique_ptr<EmulatedF407> owner;
            EmulatedF407* emu = startTarget(owner);
            QVERIFY(emu);
            OpenOcdBackend backend(emu->settings());
            const double s = timedFlash(backend, layout_, image, ImageArea, true);
            QVERIFY(s > 0);
            QVERIFY(emu->flash().left(image.size()) == image);
            ours.push_back(s);
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
        qInfo("SWD, %s, 128 KiB at 0x08000000, program+verify: openocd `program` %.2f s, Flashplan full "
              "write %.2f s: %.3fx (goal <= 1.0x); fastest runs %.2f s and %.2f s: %.3fx (%d runs)",
              kTimingName, p, o, o / p, fastest(plain), fastest(ours), fastest(ours) / fastest(plain), kRuns);
    }

    void smartReflashOfOneSectorInA512KiBSlot() {
        std::unique_ptr<EmulatedF407> owner;
        EmulatedF407* target = startTarget(owner);
        QVERIFY(target);
        EmulatedF407& emu = *target;
        OpenOcdBackend backend(emu.settings());
        QByteArray image = randomBytes(512 * 1024, 32);
        std::vector<double> full, smart;
        for (int run = 0; run < kRuns; ++run) {
            const double f = timedFlash(backend, layout_, image, SlotArea, true);
            QVERIFY(f > 0);
            full.push_back(f);
            const auto before = emu.stats();
            QVERIFY(before);
            const int at = 0x40000 + 0x100 * run; // in the slot's third sector (sector 10)
            image[at] = char(image[at] ^ 0xa5);
            const double s = timedFlash(backend, layout_, image, SlotArea, false);
            QVERIFY(s > 0);
            smart.push_back(s);
            const auto after = emu.stats();
            QVERIFY(after);
            QVector<quint32> erased(12, 0), expected(12, 0);
            for (int i = 0; i < 12; ++i)
                erased[i] = after->erasesPerSector[i] - before->erasesPerSector[i];
            expected[10] = 1;
            QCOMPARE(erased, expected);
            QCOMPARE(after->bytesProgrammed - before->bytesProgrammed, quint64(128 * 1024));
        }
        QVERIFY(emu.flash().mid(0x80000) == image);
        const double f = median(full), s = median(smart);
        qInfo(
            "SWD, %s, 512 KiB slot, one sector changed: full write %.2f s, smart re-flash %.2f s: %.3fx "
            "(goal <= 0.3x); fastest runs %.2f s and %.2f s: %.3fx (%d runs); one sector erased and written",
            kTimingName, f, s, s / f, fastest(full), fastest(smart), fastest(smart) / fastest(full), kRuns);
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(BenchSwd)
#include "bench_swd.moc"
