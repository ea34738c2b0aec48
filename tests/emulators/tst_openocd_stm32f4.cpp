// SPDX-License-Identifier: Apache-2.0
// Real openocd (target/stm32f4x.cfg over remote_bitbang) against flashplan-emu-stm32f4: probe, program,
// verify, read back, and the error paths. Skipped when openocd is not on PATH.
#include "EmulatorProcess.h"
#include "EmulatorTestFiles.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan::testing;

namespace {
constexpr int kFlashSize = 1024 * 1024;
constexpr quint32 kFlashBase = 0x08000000;

QString hex(quint32 v) {
    return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0'));
}

/// A Tcl word for a path: braces keep blanks and brackets literal.
QString tclWord(const QString& s) {
    return QLatin1Char('{') + s + QLatin1Char('}');
}

} // namespace

class TestOpenOcdStm32f4 : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    /// Programs `image` at `address` with `program ... verify exit` and checks OpenOCD's verdict, the
    /// emulator's flash (the image there, erased elsewhere) and its counters.
    void programAndCheck(const QString& workArea, quint32 address, const QByteArray& image, int sector) {
        const QString file = dir_.filePath(QStringLiteral("image-%1.bin").arg(sector));
        QVERIFY(writeFile(file, image));
        EmulatorProcess emu;
        QVERIFY2(emu.start(), qPrintable(emu.errorString()));
        OpenOcdOptions o;
        o.workAreaSize = workArea;
        o.commands = {QStringLiteral("program %1 %2 verify exit").arg(tclWord(file), hex(address))};
        o.timeoutMs = 180000; // the debug-port path makes one round trip per DAP transaction: ~12 s here
        const OpenOcdResult r = runOpenOcd(emu.port(), o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("** Verified OK **")), openOcdLog(r));
        qInfo("program+verify of %lld KiB (WORKAREASIZE %s): %lld ms", qlonglong(image.size() / 1024),
              qPrintable(workArea), qlonglong(r.elapsedMs));

        QVERIFY(emu.waitForExit(10000)); // OpenOCD's 'Q' ends the session
        QCOMPARE(emu.stop(), 0);
        QByteArray expected(kFlashSize, char(0xff));
        expected.replace(int(address - kFlashBase), image.size(), image);
        const QByteArray flash = emu.flash();
        QCOMPARE(flash.size(), kFlashSize);
        QVERIFY(flash == expected);
        const auto stats = emu.stats();
        QVERIFY(stats);
        QVector<quint32> erases(12, 0);
        erases[sector] = 1;
        QCOMPARE(stats->erasesPerSector, erases);
        QCOMPARE(stats->totalErases, quint64(1));
        QCOMPARE(stats->bytesProgrammed, quint64(image.size()));
    }

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: the OpenOCD tests need it (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
    }

    void probeSeesAnStm32f407() {
        EmulatorProcess emu;
        QVERIFY2(emu.start(), qPrintable(emu.errorString()));
        OpenOcdOptions o;
        o.commands = {QStringLiteral("init"), QStringLiteral("flash probe 0"), QStringLiteral("flash info 0"),
                      QStringLiteral("stm32f4x.dap info 0"), QStringLiteral("shutdown")};
        const OpenOcdResult r = runOpenOcd(emu.port(), o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        const QString out = r.output();
        QVERIFY2(out.contains(QStringLiteral("JTAG tap: stm32f4x.cpu tap/device found: 0x4ba00477")),
                 openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("JTAG tap: stm32f4x.bs tap/device found: 0x06413041")),
                 openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("Cortex-M4 r0p1 processor detected")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("device id = 0x10076413")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("flash size = 1024 KiB")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("# 11: 0x000e0000 (0x20000 128kB) not protected")),
                 openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("Cortex-M4 SCS")), openOcdLog(r));
        QVERIFY2(!out.contains(QStringLiteral("Error")), openOcdLog(r));
    }

    void program16KiBWithoutWorkArea() {
        programAndCheck(QStringLiteral("0"), kFlashBase, randomBytes(16 * 1024, 1), 0);
    }

    void program128KiBWithFlashLoader() {
        programAndCheck(QStringLiteral("0x8000"), 0x08020000, randomBytes(128 * 1024, 2), 5);
    }

    void readBankReadsWhatTheEmulatorHolds() {
        const QByteArray image = randomBytes(kFlashSize, 3);
        const QString in = dir_.filePath(QStringLiteral("read-in.bin"));
        const QString out = dir_.filePath(QStringLiteral("read-out.bin"));
        QVERIFY(writeFile(in, image));
        EmulatorProcess emu;
        QVERIFY2(emu.start(EmulatorOptions::withFlashIn(in)), qPrintable(emu.errorString()));
        // 6 KiB across the end of sector 0 and several 1 KiB and 4 KiB boundaries.
        OpenOcdOptions o;
        o.commands = {QStringLiteral("init"),
                      QStringLiteral("flash read_bank 0 %1 0x3b00 0x1800").arg(tclWord(out)),
                      QStringLiteral("shutdown")};
        const OpenOcdResult r = runOpenOcd(emu.port(), o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        QVERIFY(readFile(out) == image.mid(0x3b00, 0x1800));
    }

    void verifyImageReportsADifference() {
        QByteArray held = randomBytes(kFlashSize, 4);
        QByteArray image = held.left(16 * 1024);
        image[0x1234] = char(~image[0x1234]);
        const QString in = dir_.filePath(QStringLiteral("held.bin"));
        const QString file = dir_.filePath(QStringLiteral("other.bin"));
        QVERIFY(writeFile(in, held));
        QVERIFY(writeFile(file, image));
        EmulatorProcess emu;
        QVERIFY2(emu.start(EmulatorOptions::withFlashIn(in)), qPrintable(emu.errorString()));
        OpenOcdOptions o;
        o.commands = {QStringLiteral("init"), QStringLiteral("reset halt"),
                      QStringLiteral("verify_image %1 0x08000000").arg(tclWord(file)),
                      QStringLiteral("shutdown")};
        const OpenOcdResult r = runOpenOcd(emu.port(), o);
        QVERIFY2(r.exitCode == 1, openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("checksum mismatch - attempting binary compare")),
                 openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("diff 0 address 0x08001234")), openOcdLog(r));
    }

    void programIntoStuckSectorFailsVerify() {
        // The emulator starts from other content, and sector 0 no longer changes: erase and program
        // report success, so only the verify can tell.
        const QByteArray held = randomBytes(kFlashSize, 5);
        const QByteArray image = randomBytes(16 * 1024, 6);
        const QString in = dir_.filePath(QStringLiteral("stuck-in.bin"));
        const QString file = dir_.filePath(QStringLiteral("stuck-image.bin"));
        QVERIFY(writeFile(in, held));
        QVERIFY(writeFile(file, image));
        EmulatorOptions eo;
        eo.flashIn = in;
        eo.stuckSectors = {0};
        EmulatorProcess emu;
        QVERIFY2(emu.start(eo), qPrintable(emu.errorString()));
        OpenOcdOptions o;
        o.workAreaSize = QStringLiteral("0x8000");
        o.commands = {QStringLiteral("program %1 0x08000000 verify exit").arg(tclWord(file))};
        const OpenOcdResult r = runOpenOcd(emu.port(), o);
        QVERIFY2(r.exitCode == 1, openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("** Programming Finished **")), openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("** Verify Failed **")), openOcdLog(r));
        QVERIFY(emu.waitForExit(10000));
        QCOMPARE(emu.stop(), 0);
        QVERIFY(emu.flash().left(16 * 1024) == held.left(16 * 1024));
    }

    void eraseCheckRunsOnTheTarget() {
        QByteArray held(kFlashSize, char(0xff));
        held.replace(0x8010, 16, randomBytes(16, 8));  // sector 2
        held.replace(0x60000, 1, QByteArray(1, '\0')); // sector 7
        const QString in = dir_.filePath(QStringLiteral("blank-in.bin"));
        QVERIFY(writeFile(in, held));
        EmulatorProcess emu;
        QVERIFY2(emu.start(EmulatorOptions::withFlashIn(in)), qPrintable(emu.errorString()));
        OpenOcdOptions o;
        o.commands = {QStringLiteral("init"), QStringLiteral("reset halt"),
                      QStringLiteral("flash erase_check 0"), QStringLiteral("shutdown")};
        const OpenOcdResult r = runOpenOcd(emu.port(), o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        const QString out = r.output();
        QVERIFY2(out.contains(QStringLiteral("#  2: 0x00008000 (0x4000 16kB) not erased")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("#  7: 0x00060000 (0x20000 128kB) not erased")), openOcdLog(r));
        QVERIFY2(!out.contains(QStringLiteral("#  0:")) && !out.contains(QStringLiteral("# 11:")),
                 openOcdLog(r));
        QVERIFY2(!out.contains(QStringLiteral("slow fallback")),
                 openOcdLog(r)); // the routine ran on the target
    }

    void nothingListening() {
        const quint16 port = unusedLocalPort();
        QVERIFY(port != 0);
        OpenOcdOptions o;
        o.commands = {QStringLiteral("init"), QStringLiteral("shutdown")};
        o.timeoutMs = 20000;
        const OpenOcdResult r = runOpenOcd(port, o);
        QVERIFY2(r.exitCode == 1, openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("Failed to connect")), openOcdLog(r));
    }
};

QTEST_GUILESS_MAIN(TestOpenOcdStm32f4)
#include "tst_openocd_stm32f4.moc"
