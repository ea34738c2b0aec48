// SPDX-License-Identifier: Apache-2.0
// Real openocd over SWD: its stock interface/cmsis-dap.cfg (usb_bulk backend, real libusb) and
// target/stm32f4x.cfg with `transport select swd`, against the emulated CMSIS-DAP v2 probe on this
// process's umockdev bus. Examine, program and verify, erase, each fault mode, two probes told apart by
// serial. Checks what the probe recorded, not the clock. Skipped when openocd is not on PATH.
#include "CmsisDapProbe.h"
#include "EmulatorProcess.h"
#include "EmulatorTestFiles.h"
#include "UmockdevUsbBus.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace flashplan::emu;
using namespace flashplan::testing;

namespace {
constexpr int kFlashSize = 1024 * 1024;

QByteArray flashOf(const CmsisDapProbe& probe) {
    const auto f = probe.flash();
    return QByteArray(reinterpret_cast<const char*>(f.data()), qsizetype(f.size()));
}

std::unique_ptr<CmsisDapProbe> probeWithSerial(const char* serial) {
    return std::make_unique<CmsisDapProbe>(serial);
}
} // namespace

class TestOpenOcdSwd : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString imageFile(const QByteArray& image, const QString& name) {
        const QString file = dir_.filePath(name);
        return writeFile(file, image) ? file : QString();
    }

    /// `program` of a 128 KiB image at 0x08000000 with the probe showing `fault` (sectors 0-4 hold it).
    /// OpenOCD must fail on its own, saying `says`, before the (generous) run timeout; the probe must have
    /// seen the fault begin and answered as the fault says, and nothing may have been programmed after
    /// it: the flash holds the image up to the bytes programmed when the fault began, erased after them.
    void programFailsWith(const ProbeFault& fault, const QString& name, const QString& says) {
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(probeWithSerial("FPSWD0001"));
        probe.setFault(fault);
        const QByteArray image = randomBytes(128 * 1024, 7);
        const QString file = imageFile(image, name);
        SwdOpenOcdOptions o;
        o.commands = {QStringLiteral("program {%1} 0x08000000 verify exit").arg(file)};
        o.timeoutMs = 180000;
        const OpenOcdResult r = runOpenOcdSwd(o);
        QVERIFY2(!r.timedOut, openOcdLog(r));
        QVERIFY2(r.exitCode != 0, openOcdLog(r));
        QVERIFY2(!r.output().contains(QStringLiteral("** Verified OK **")), openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("** Programming Failed **")), openOcdLog(r));
        QVERIFY2(r.output().contains(says), openOcdLog(r));
        const ProbeRecord rec = probe.record();
        QVERIFY2(rec.faultBegan, openOcdLog(r));
        switch (fault.kind) {
        case ProbeFault::Kind::Vanish:
            QVERIFY(bus.gone(1));
            QCOMPARE(rec.commandsAfterFault, 0u); // nothing reached it once it had gone
            break;
        case ProbeFault::Kind::Fault:
            QVERIFY(rec.dap.faultAcks > 0);
            QCOMPARE(rec.dap.waitAcks, 0u);
            break;
        case ProbeFault::Kind::Wait:
            QVERIFY(rec.dap.waitAcks > 0);
            QCOMPARE(rec.dap.faultAcks, 0u);
            break;
        case ProbeFault::Kind::None:
            break;
        }
        QCOMPARE(probe.bytesProgrammed(), rec.bytesAtFault);
        QVERIFY(rec.bytesAtFault < quint64(image.size()));
        const QByteArray flash = flashOf(probe);
        const int landed = int(rec.bytesAtFault);
        QVERIFY(flash.left(landed) == image.left(landed));
        QVERIFY(flash.mid(landed, image.size() - landed) == QByteArray(image.size() - landed, char(0xff)));
        qInfo("%s: fault after %d bytes, %u DAP commands after it (%u WAIT, %u FAULT acks); openocd %lld ms",
              qPrintable(name), landed, rec.commandsAfterFault, rec.dap.waitAcks, rec.dap.faultAcks,
              qlonglong(r.elapsedMs));
    }

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: the OpenOCD tests need it (Debian: apt-get install openocd)");
        QVERIFY(dir_.isValid());
    }

    void examineSeesAnStm32f407OverSwd() {
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(probeWithSerial("FPSWD0001"));
        SwdOpenOcdOptions o;
        o.commands = {QStringLiteral("init"), QStringLiteral("flash probe 0"), QStringLiteral("flash info 0"),
                      QStringLiteral("shutdown")};
        const OpenOcdResult r = runOpenOcdSwd(o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        const QString out = r.output();
        QVERIFY2(out.contains(QStringLiteral("serial=FPSWD0001")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("SWD DPIDR 0x2ba01477")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("Cortex-M4 r0p1 processor detected")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("device id = 0x10076413")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("flash size = 1024 KiB")), openOcdLog(r));
        QVERIFY2(out.contains(QStringLiteral("# 11: 0x000e0000 (0x20000 128kB) not protected")),
                 openOcdLog(r));
        const ProbeRecord rec = probe.record();
        QVERIFY(rec.dap.lineResets >= 1);
        QVERIFY(rec.dap.transfers > 0);
        QCOMPARE(rec.dap.faultAcks, 0u);
        QCOMPARE(rec.dap.noAcks, 0u);
        QCOMPARE(rec.dap.unknownCommands, 0u);
    }

    void program128KiBLandsExactly() {
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(probeWithSerial("FPSWD0001"));
        const QByteArray image = randomBytes(128 * 1024, 1);
        const QString file = imageFile(image, QStringLiteral("image128.bin"));
        SwdOpenOcdOptions o;
        o.commands = {QStringLiteral("program {%1} 0x08000000 verify exit").arg(file)};
        o.timeoutMs = 180000;
        const OpenOcdResult r = runOpenOcdSwd(o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("** Verified OK **")), openOcdLog(r));
        qInfo("program+verify of 128 KiB over SWD: %lld ms", qlonglong(r.elapsedMs));
        QByteArray expected(kFlashSize, char(0xff));
        expected.replace(0, image.size(), image);
        QVERIFY(flashOf(probe) == expected);
        for (int s = 0; s < 12; ++s)
            QCOMPARE(probe.eraseCount(std::uint64_t(s)), s <= 4 ? 1u : 0u); // 4x16K + 64K
        QCOMPARE(probe.bytesProgrammed(), quint64(image.size()));
    }

    void eraseSectorErasesOnlyIt() {
        UmockdevUsbBus bus;
        CmsisDapProbe& probe = bus.plug(probeWithSerial("FPSWD0001"));
        const QByteArray held = randomBytes(kFlashSize, 2);
        probe.loadFlash(std::span(reinterpret_cast<const std::uint8_t*>(held.constData()), held.size()));
        SwdOpenOcdOptions o;
        o.commands = {QStringLiteral("init"), QStringLiteral("reset halt"),
                      QStringLiteral("flash erase_sector 0 5 5"), QStringLiteral("shutdown")};
        const OpenOcdResult r = runOpenOcdSwd(o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        QByteArray expected = held;
        expected.replace(0x20000, 0x20000, QByteArray(0x20000, char(0xff)));
        QVERIFY(flashOf(probe) == expected);
        for (int s = 0; s < 12; ++s)
            QCOMPARE(probe.eraseCount(std::uint64_t(s)), s == 5 ? 1u : 0u);
    }

    void probeVanishingMidWriteFailsTheProgram() {
        programFailsWith({ProbeFault::Kind::Vanish, 0x10000, {}}, QStringLiteral("vanish.bin"),
                         QStringLiteral("No such device (it may have been disconnected)"));
    }

    void probeVanishingAfterBytesFailsTheProgram() {
        programFailsWith({ProbeFault::Kind::Vanish, {}, 40000}, QStringLiteral("vanish-bytes.bin"),
                         QStringLiteral("No such device (it may have been disconnected)"));
    }

    void stickyFaultFailsTheProgram() {
        programFailsWith({ProbeFault::Kind::Fault, 0x8000, {}}, QStringLiteral("fault.bin"),
                         QStringLiteral("error waiting for target flash write algorithm"));
    }

    void waitForeverFailsTheProgram() {
        programFailsWith({ProbeFault::Kind::Wait, 0x8000, {}}, QStringLiteral("wait.bin"),
                         QStringLiteral("error waiting for target flash write algorithm"));
    }

    void adapterSerialChoosesTheProbe() {
        UmockdevUsbBus bus;
        CmsisDapProbe& first = bus.plug(probeWithSerial("FPSWD-A"));
        CmsisDapProbe& second = bus.plug(probeWithSerial("FPSWD-B"));
        const QByteArray image = randomBytes(16 * 1024, 3);
        const QString file = imageFile(image, QStringLiteral("image16.bin"));
        SwdOpenOcdOptions o;
        o.serial = QStringLiteral("FPSWD-B");
        o.commands = {QStringLiteral("program {%1} 0x08000000 verify exit").arg(file)};
        o.timeoutMs = 120000;
        const OpenOcdResult r = runOpenOcdSwd(o);
        QVERIFY2(r.exitCode == 0, openOcdLog(r));
        QVERIFY2(r.output().contains(QStringLiteral("serial=FPSWD-B")), openOcdLog(r));
        QVERIFY(flashOf(second).left(image.size()) == image);
        QCOMPARE(second.eraseCount(0), 1u);
        // The other probe was enumerated (its strings read) but never sent a DAP command.
        QCOMPARE(first.record().commands, 0u);
        QVERIFY(flashOf(first) == QByteArray(kFlashSize, char(0xff)));
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestOpenOcdSwd)
#include "tst_openocd_swd.moc"
