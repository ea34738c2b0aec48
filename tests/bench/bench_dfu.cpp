// SPDX-License-Identifier: Apache-2.0
// DFU speed on the emulated STM32F4 system bootloader, in one run: dfu-util -D of a 256 KiB image
// against Flashplan's download of the same file, and a re-flash with one changed 16 KiB page against a
// full download. Once with the F4's datasheet erase and program times (what a real chip makes you wait
// for) and once with instant flash (what the USB transfers alone cost). Figures on stdout; no timed
// assertion (HACKING.md: speed goals live here).
#include "DfuTestSupport.h"
#include "Jobs.h"
#include "UmockdevDfuBus.h"
#include "backends/dfu/DfuBackend.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>

using namespace flashplan;
using namespace flashplan::emu;
using namespace flashplan::programmer;
using namespace flashplan::testing;

namespace {

constexpr std::size_t kImageSize = 256 * 1024; // sectors 0-5 of the F407: 4x16K, 64K, 128K

Layout benchLayout() {
    Layout l = f4Layout();
    l.partitions = {partition("slot0_partition", "flash0", 0, kImageSize)};
    return l;
}

double flashplanSeconds(const Layout& layout, const std::vector<std::uint8_t>& image, bool full, bool verify,
                        EmulatedDfuDevice& device, DfuCounters* counters) {
    DfuBackend backend;
    JobContext ctx;
    FlashRequest r;
    r.layout = &layout;
    r.partition = 0;
    r.data = image;
    r.full = full;
    r.verify = verify;
    device.resetCounters();
    QElapsedTimer clock;
    clock.start();
    const JobReport report = flashPartition(backend, r, ctx);
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (!report.ok())
        qFatal("flashplan: %s", report.error->toString().c_str());
    *counters = device.counters();
    return seconds;
}

} // namespace

class BenchDfu : public QObject {
    Q_OBJECT
private slots:
    void downloadAgainstDfuUtil_data() {
        QTest::addColumn<double>("timeScale");
        QTest::newRow("F4 datasheet timing") << 1.0;
        QTest::newRow("instant flash") << 0.0;
    }
    void downloadAgainstDfuUtil() {
        QFETCH(double, timeScale);
        if (QStandardPaths::findExecutable(QStringLiteral("dfu-util")).isEmpty())
            QSKIP("dfu-util is not installed");
        UmockdevDfuBus bus;
        EmulatedDfuDevice& device = bus.plug(stm32f4Bootloader(), {.runtime = false, .timeScale = timeScale});
        const auto before = background(1024 * 1024);
        const Layout layout = benchLayout();
        auto image = randomBytes(kImageSize, 42);
        QTemporaryDir dir;
        const QString file = dir.filePath("image.bin");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(reinterpret_cast<const char*>(image.data()), qsizetype(image.size()));
        }

        // dfu-util: erases the six pages, then sets the address before every 2 KiB block.
        device.loadMemory(0, before);
        device.resetCounters();
        QProcess p;
        QElapsedTimer clock;
        clock.start();
        p.start(QStringLiteral("dfu-util"), {"-d", "0483:df11", "-a", "0", "-s", "0x08000000", "-D", file});
        QVERIFY(p.waitForFinished(120000));
        const double dfuUtil = clock.nsecsElapsed() / 1e9;
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const DfuCounters du = device.counters();
        QVERIFY(std::equal(image.begin(), image.end(), device.memory(0).begin()));

        DfuCounters full, fullVerify, smart;
        device.loadMemory(0, before);
        const double fp = flashplanSeconds(layout, image, true, false, device, &full);
        device.loadMemory(0, before);
        const double fpVerify = flashplanSeconds(layout, image, true, true, device, &fullVerify);
        image[0x4000 + 100] ^= 0x5a; // one byte in sector 1 (16 KiB)
        const double fpSmart = flashplanSeconds(layout, image, false, true, device, &smart);
        QVERIFY(std::equal(image.begin(), image.end(), device.memory(0).begin()));
        QCOMPARE(smart.pageErases, 1u);

        std::printf("\n== DFU download of 256 KiB to the emulated STM32F4 bootloader (%s) ==\n",
                    timeScale > 0 ? "F4 datasheet erase/program times" : "instant flash");
        std::printf("%-44s %8s %9s %7s %6s\n", "", "seconds", "requests", "erases", "ratio");
        auto row = [&](const char* what, double s, const DfuCounters& c, double ratio) {
            std::printf("%-44s %8.3f %9u %7u %6.2f\n", what, s, c.requests, c.pageErases, ratio);
        };
        row("dfu-util -D", dfuUtil, du, 1.0);
        row("flashplan --full, no verify", fp, full, fp / dfuUtil);
        row("flashplan --full, verify", fpVerify, fullVerify, fpVerify / dfuUtil);
        row("flashplan re-flash, one 16 KiB page changed", fpSmart, smart, fpSmart / dfuUtil);
        std::printf("re-flash / full download (both verified):    %.3f\n", fpSmart / fpVerify);
        std::printf("re-flash / full download (no verify):        %.3f\n", fpSmart / fp);
        std::fflush(stdout);
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(BenchDfu)
#include "bench_dfu.moc"
