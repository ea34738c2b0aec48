// SPDX-License-Identifier: Apache-2.0
// flashplan-cli flash --backend openocd over SWD, as a user runs it with a CMSIS-DAP probe: the built-in
// example layout by name (wolfboot-stm32f407, its `boot` partition in sector 5), the stock
// interface/cmsis-dap.cfg (the backend adds `transport select swd`) and target/stm32f4x.cfg, the probe
// emulated on this process's umockdev bus (the CLI and its openocd inherit the testbed). The probe's flash
// and erase counters say what happened: the image lands exactly, a second run skips its sector, one
// changed byte costs that sector's erase again; and each of the probe's faults ends the CLI with an error
// that says what happened, nothing written outside the partition and no openocd left.
#include "OpenOcdRig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <sys/prctl.h>

using namespace flashplan;
using namespace flashplan::emu;
using namespace flashplan::testing;

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
    QJsonObject result() const {
        const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.last().toUtf8()).object();
    }
    QByteArray explain() const { return ("exit " + QString::number(exitCode) + "\n" + err + out).toUtf8(); }
};

// wolfboot-stm32f407's `boot` partition: sector 5 of the F407 (0x08020000, 128 KiB).
constexpr int kBootAt = 0x20000, kBootSize = 0x20000;
constexpr std::uint64_t kBootSector = 5;

QByteArray flashOf(const CmsisDapProbe& probe) {
    const auto f = probe.flash();
    return QByteArray(reinterpret_cast<const char*>(f.data()), qsizetype(f.size()));
}

std::vector<std::uint32_t> erasesOf(const CmsisDapProbe& probe) {
    std::vector<std::uint32_t> e;
    for (std::uint64_t s = 0; s < 12; ++s)
        e.push_back(probe.eraseCount(s));
    return e;
}

} // namespace

class TestCliOpenOcdSwd : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    Run cli(QStringList args) const {
        args << QStringLiteral("--backend") << QStringLiteral("openocd") << QStringLiteral("--interface")
             << QStringLiteral("interface/cmsis-dap.cfg") << QStringLiteral("--target")
             << QStringLiteral("target/stm32f4x.cfg");
        QProcess p;
        p.start(QStringLiteral(FLASHPLAN_CLI), args);
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    QString imageFile(const QByteArray& image) const {
        const QString file = dir_.filePath(QStringLiteral("my image.bin"));
        return writeFile(file, image) ? file : QString();
    }

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: these tests need it (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
        // An openocd the CLI leaves behind is re-parented to this process rather than to init, so
        // cleanup() sees it.
        QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
    }
    void cleanup() { QCOMPARE(childProcesses(QStringLiteral("openocd")), 0); }

    void flashesTheWolfbootBootPartitionThenSkipsIt() {
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(std::make_unique<CmsisDapProbe>("FPSWD0001"));
        const QByteArray background = randomBytes(kFlashSize, 11);
        probe.loadFlash(bytes(background));
        QByteArray image = randomBytes(100 * 1024, 12);
        const QString file = imageFile(image);
        QVERIFY(!file.isEmpty());

        Run r = cli({"flash", "--json", "wolfboot-stm32f407", "boot", file});
        QVERIFY2(r.exitCode == 0, r.explain());
        // The image on the background, the rest of its (erased) sector 0xff, nothing else touched.
        QByteArray expected = background;
        expected.replace(kBootAt, kBootSize, QByteArray(kBootSize, char(0xff)));
        expected.replace(kBootAt, image.size(), image);
        QVERIFY2(flashOf(probe) == expected, "the probe's flash differs from the image on the background");
        std::vector<std::uint32_t> erases(12, 0);
        erases[kBootSector] = 1;
        QCOMPARE(erasesOf(probe), erases);
        QCOMPARE(probe.bytesProgrammed(), quint64(image.size()));

        // The same image again: its sector is skipped, nothing erased or programmed.
        r = cli({"flash", "--json", "wolfboot-stm32f407", "boot", file});
        QVERIFY2(r.exitCode == 0, r.explain());
        QCOMPARE(r.result().value("sectors_skipped").toInt(), 1);
        QCOMPARE(r.result().value("bytes_written").toInt(), 0);
        QCOMPARE(erasesOf(probe), erases);
        QCOMPARE(probe.bytesProgrammed(), quint64(image.size()));

        // One changed byte: that sector once more, erased and written, and nothing else.
        image[5000] = char(image[5000] ^ 0x5a);
        QVERIFY(!imageFile(image).isEmpty());
        r = cli({"flash", "--json", "wolfboot-stm32f407", "boot", file});
        QVERIFY2(r.exitCode == 0, r.explain());
        erases[kBootSector] = 2;
        QCOMPARE(erasesOf(probe), erases);
        QCOMPARE(probe.bytesProgrammed(), quint64(2 * image.size()));
        expected.replace(kBootAt, image.size(), image);
        QVERIFY2(flashOf(probe) == expected, "the probe's flash differs after the one-byte change");
        QVERIFY(probe.record().dap.transfers > 0);
    }

    // Two probes on the bench: --probe-serial picks one (OpenOCD's adapter serial); the other is not
    // spoken to. A serial no probe has ends in an error and writes nothing.
    void probeSerialPicksOneOfTwoProbes() {
        UmockdevUsbBus bus;
        CmsisDapProbe& a = bus.plug(std::make_unique<CmsisDapProbe>("FPSWD-A"));
        CmsisDapProbe& b = bus.plug(std::make_unique<CmsisDapProbe>("FPSWD-B"));
        const QByteArray image = randomBytes(8 * 1024, 13);
        const QString file = imageFile(image);
        Run r = cli({"flash", "--json", "wolfboot-stm32f407", "boot", file, "--probe-serial", "FPSWD-B"});
        QVERIFY2(r.exitCode == 0, r.explain());
        QVERIFY(flashOf(b).mid(kBootAt, image.size()) == image);
        QCOMPARE(a.record().commands, 0u);
        QCOMPARE(a.bytesProgrammed(), quint64(0));

        r = cli({"flash", "--json", "wolfboot-stm32f407", "boot", file, "--probe-serial", "NO-SUCH-PROBE"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(a.bytesProgrammed(), quint64(0));
        QCOMPARE(b.bytesProgrammed(), quint64(image.size()));
    }

    void eachProbeFaultEndsTheCliWithItsError_data() {
        QTest::addColumn<ProbeFault::Kind>("kind");
        QTest::addColumn<QString>("says");
        QTest::newRow("vanishes") << ProbeFault::Kind::Vanish
                                  << QStringLiteral("the debug probe was disconnected during the session");
        QTest::newRow("sticky-fault")
            << ProbeFault::Kind::Fault << QStringLiteral("the target does not respond");
        QTest::newRow("wait-forever")
            << ProbeFault::Kind::Wait << QStringLiteral("the target does not respond");
    }
    void eachProbeFaultEndsTheCliWithItsError() {
        // The probe fails 8 KiB into the write (as fine as a drain of OpenOCD's flash loader FIFO allows).
        QFETCH(ProbeFault::Kind, kind);
        QFETCH(QString, says);
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(std::make_unique<CmsisDapProbe>("FPSWD0001"));
        const QByteArray background = randomBytes(kFlashSize, 21);
        probe.loadFlash(bytes(background));
        probe.setFault({kind, {}, 0x2000});
        const QByteArray image = randomBytes(kBootSize - 0x1000, 22);
        const QString file = imageFile(image);
        QVERIFY(!file.isEmpty());

        const Run r = cli({"flash", "wolfboot-stm32f407", "boot", file});
        QVERIFY2(r.exitCode != 0 && r.exitCode != -1, r.explain()); // an error, not a hang killed
        QVERIFY2(r.err.contains(says), r.explain());
        for (const QString& line : r.err.split(QLatin1Char('\n')))
            if (line.contains(says))
                qInfo("exit %d: %s", r.exitCode, qPrintable(line));
        const ProbeRecord rec = probe.record();
        QVERIFY(rec.faultBegan);
        QCOMPARE(probe.bytesProgrammed(), rec.bytesAtFault);
        if (kind == ProbeFault::Kind::Vanish)
            QVERIFY(bus.gone(1));
        // Nothing outside the partition changed.
        const QByteArray after = flashOf(probe);
        QVERIFY(after.left(kBootAt) == background.left(kBootAt));
        QVERIFY(after.mid(kBootAt + kBootSize) == background.mid(kBootAt + kBootSize));
        // cleanup(): no openocd left, not even one the CLI orphaned.
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestCliOpenOcdSwd)
#include "tst_cli_openocd_swd.moc"
