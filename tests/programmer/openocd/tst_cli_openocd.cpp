// SPDX-License-Identifier: Apache-2.0
// flashplan-cli flash --backend openocd as a user runs it: the CLI process starts the real openocd, which
// talks to the emulated STM32F407. The emulator's flash dump and wear counters say what really happened:
// the image lands in its partition and nowhere else, a second run skips every sector, and one changed byte
// costs exactly one sector's erase and write. Once over the 16 KiB sectors through the debug port, once
// on a 128 KiB sector with OpenOCD's flash loader and CRC routine in the work area.
#include "OpenOcdRig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace flashplan;
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

// The F407 map: 4x16K, 1x64K, 7x128K.
constexpr int kSectorStart[] = {0,       0x4000,  0x8000,  0xc000,  0x10000, 0x20000,
                                0x40000, 0x60000, 0x80000, 0xa0000, 0xc0000, 0xe0000};

const char* const kLayout = R"(<?xml version="1.0" encoding="UTF-8"?>
<flashplan-layout schema="1" name="F407 for the OpenOCD CLI test">
  <board ref="stm32f4_disco"/>
  <partition label="boot" device="flash0" offset="0x0" size="0x4000" role="boot" read-only="true"/>
  <partition label="app" device="flash0" offset="0x4000" size="0xc000" role="slot0"/>
  <partition label="storage" device="flash0" offset="0x10000" size="0x10000" role="storage"/>
  <partition label="slot" device="flash0" offset="0x20000" size="0x20000" role="custom"/>
</flashplan-layout>
)";

} // namespace

class TestCliOpenOcd : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    Run cli(const EmulatedF407& emu, QStringList args) const {
        args << QStringLiteral("--backend") << QStringLiteral("openocd") << QStringLiteral("--interface")
             << emu.interfaceConfig() << QStringLiteral("--target") << openOcdEmulatorConfig();
        QProcess p;
        p.start(QStringLiteral(FLASHPLAN_CLI), args);
        if (!p.waitForFinished(90000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    /// Flashes `size` bytes into `partition` three times (new, unchanged, one byte changed) and checks the
    /// dump and the counters after each.
    void threeRuns(const QString& workArea, const char* partition, int offset, int size) {
        EmulatedF407 emu;
        QVERIFY2(emu.start(workArea), qPrintable(emu.error()));
        const QString layout = dir_.filePath(QStringLiteral("f407.flashplan"));
        QVERIFY(writeFile(layout, kLayout));
        QByteArray image = randomBytes(size, 7);
        const QString file = dir_.filePath(QStringLiteral("my image.bin"));
        QVERIFY(writeFile(file, image));

        Run r = cli(emu, {"flash", "--json", layout, partition, file});
        QVERIFY2(r.exitCode == 0, r.explain());
        QByteArray expected = emu.background();
        expected.replace(offset, size, image);
        // The image's sectors were erased first: what the image does not cover there reads erased.
        const int firstSector = int(std::find(std::begin(kSectorStart), std::end(kSectorStart), offset) -
                                    std::begin(kSectorStart));
        int end = offset;
        int lastSector = firstSector;
        while (end < offset + size)
            end = (++lastSector < 12) ? kSectorStart[lastSector] : kFlashSize;
        expected.replace(offset + size, end - offset - size, QByteArray(end - offset - size, char(0xff)));
        const QByteArray after = emu.flash();
        QCOMPARE(after.size(), kFlashSize);
        QVERIFY2(after == expected, "the dump differs from the image placed on the background");
        const auto first = emu.stats();
        QVERIFY(first);
        QCOMPARE(first->totalErases, quint64(lastSector - firstSector));

        r = cli(emu, {"flash", "--json", layout, partition, file});
        QVERIFY2(r.exitCode == 0, r.explain());
        QCOMPARE(r.result().value("sectors_skipped").toInt(), lastSector - firstSector);
        QCOMPARE(r.result().value("bytes_written").toInt(), 0);
        QCOMPARE(emu.stats()->totalErases, first->totalErases);
        QCOMPARE(emu.stats()->bytesProgrammed, first->bytesProgrammed);

        const int changed = size - 100; // in the image's last sector
        image[changed] = char(image[changed] ^ 0x5a);
        QVERIFY(writeFile(file, image));
        r = cli(emu, {"flash", "--json", layout, partition, file});
        QVERIFY2(r.exitCode == 0, r.explain());
        const auto third = emu.stats();
        QCOMPARE(third->totalErases, first->totalErases + 1);
        for (int s = 0; s < 12; ++s)
            QCOMPARE(third->erasesPerSector[s] - first->erasesPerSector[s],
                     quint32(s == lastSector - 1 ? 1 : 0));
        const int lastStart = kSectorStart[lastSector - 1];
        QCOMPARE(third->bytesProgrammed - first->bytesProgrammed, quint64(offset + size - lastStart));
        QCOMPARE(emu.flash().mid(offset, size), image);
    }

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: these tests need it (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
    }
    void cleanup() { QCOMPARE(childProcesses(QStringLiteral("openocd")), 0); }

    void flashes48KiBOverThe16KiBSectors() { threeRuns(QStringLiteral("0"), "app", 0x4000, 48 * 1024); }

    void flashesA128KiBSectorThroughTheWorkArea() {
        threeRuns(QStringLiteral("0x8000"), "slot", 0x20000, 100 * 1024);
    }

    void aMissingOpenOcdIsAClearError() {
        EmulatedF407 emu;
        QVERIFY2(emu.start(QStringLiteral("0")), qPrintable(emu.error()));
        const QString layout = dir_.filePath(QStringLiteral("f407.flashplan"));
        QVERIFY(writeFile(layout, kLayout));
        const QString file = dir_.filePath(QStringLiteral("small.bin"));
        QVERIFY(writeFile(file, randomBytes(256, 3)));
        const Run r = cli(emu, {"flash", layout, "app", file, "--openocd", "/nonexistent/openocd"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("/nonexistent/openocd"), r.explain());
        QCOMPARE(emu.flash(), emu.background());
    }
};

QTEST_GUILESS_MAIN(TestCliOpenOcd)
#include "tst_cli_openocd.moc"
