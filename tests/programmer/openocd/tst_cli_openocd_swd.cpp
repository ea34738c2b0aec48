// SPDX-License-Identifier: Apache-2.0
// flashplan-cli flash --backend openocd over SWD, as a user runs it with a CMSIS-DAP probe: the stock
// interface/cmsis-dap.cfg (the backend adds `transport select swd`) and target/stm32f4x.cfg, the probe
// emulated on this process's umockdev bus (the CLI and its openocd inherit the testbed). The probe's flash
// and erase counters say what happened: the image lands in its sector, a second run skips it, one changed
// byte costs that sector's erase again.
#include "CmsisDapProbe.h"
#include "OpenOcdRig.h"
#include "UmockdevDfuBus.h" // FLASHPLAN_UMOCKDEV_TEST_MAIN
#include "UmockdevUsbBus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

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

const char* const kLayout = R"(<?xml version="1.0" encoding="UTF-8"?>
<flashplan-layout schema="1" name="F407 over SWD">
  <board ref="stm32f4_disco"/>
  <partition label="boot" device="flash0" offset="0x0" size="0x20000" role="boot"/>
  <partition label="slot" device="flash0" offset="0x20000" size="0x20000" role="custom"/>
</flashplan-layout>
)";

QByteArray flashOf(const CmsisDapProbe& probe) {
    const auto f = probe.flash();
    return QByteArray(reinterpret_cast<const char*>(f.data()), qsizetype(f.size()));
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
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: these tests need it (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
    }
    void cleanup() { QCOMPARE(childProcesses(QStringLiteral("openocd")), 0); }

    void flashesASectorOverSwdThenSkipsIt() {
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(std::make_unique<CmsisDapProbe>("FPSWD0001"));
        const QByteArray background = randomBytes(kFlashSize, 11);
        probe.loadFlash(bytes(background));
        const QString layout = dir_.filePath(QStringLiteral("f407.flashplan"));
        QVERIFY(writeFile(layout, kLayout));
        QByteArray image = randomBytes(100 * 1024, 12);
        const QString file = dir_.filePath(QStringLiteral("my image.bin"));
        QVERIFY(writeFile(file, image));

        Run r = cli({"flash", "--json", layout, "slot", file});
        QVERIFY2(r.exitCode == 0, r.explain());
        QByteArray expected = background;
        expected.replace(0x20000, 0x20000, QByteArray(0x20000, char(0xff)));
        expected.replace(0x20000, image.size(), image);
        QVERIFY2(flashOf(probe) == expected, "the probe's flash differs from the image on the background");
        for (int s = 0; s < 12; ++s)
            QCOMPARE(probe.eraseCount(std::uint64_t(s)), s == 5 ? 1u : 0u);
        const quint64 programmed = probe.bytesProgrammed();

        r = cli({"flash", "--json", layout, "slot", file});
        QVERIFY2(r.exitCode == 0, r.explain());
        QCOMPARE(r.result().value("sectors_skipped").toInt(), 1);
        QCOMPARE(r.result().value("bytes_written").toInt(), 0);
        QCOMPARE(probe.eraseCount(5), 1u);
        QCOMPARE(probe.bytesProgrammed(), programmed);

        image[5000] = char(image[5000] ^ 0x5a);
        QVERIFY(writeFile(file, image));
        r = cli({"flash", "--json", layout, "slot", file});
        QVERIFY2(r.exitCode == 0, r.explain());
        QCOMPARE(probe.eraseCount(5), 2u);
        QCOMPARE(flashOf(probe).mid(0x20000, image.size()), image);
        QCOMPARE(flashOf(probe).left(0x20000), background.left(0x20000));
        QVERIFY(probe.record().dap.transfers > 0);
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestCliOpenOcdSwd)
#include "tst_cli_openocd_swd.moc"
