// SPDX-License-Identifier: Apache-2.0
// The programming panel driving the real openocd against the emulated STM32F407: a flash through the
// panel lands in the emulator's flash, and a Cancel clicked mid-write (the emulator holds there) ends the
// job as cancelled, names the sector that may be partial, and leaves no openocd process behind two seconds
// later.
#include "GuiTestSupport.h"
#include "OpenOcdRig.h"

#include "programming/BackendForm.h"
#include "programming/ProgrammingPanel.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>

using namespace guitest;
using namespace flashplan::testing;
using programmer::JobReport;

Q_DECLARE_METATYPE(flashplan::programmer::JobReport)

namespace {

// wolfboot-stm32f407: boot is sector 5 (0x20000, 128 KiB), update sector 6 (0x40000).
constexpr int kBoot = 0x20000;

/// Points the panel at openocd and the emulator.
void useEmulator(ProgrammingPanel* panel, const EmulatedF407& emu) {
    QVERIFY(panel->backendForm()->setBackend(QStringLiteral("openocd")));
    QLineEdit* interface = panel->backendForm()->field("interface");
    QLineEdit* target = panel->backendForm()->field("target");
    QVERIFY(interface && target);
    interface->setText(emu.interfaceConfig());
    target->setText(openOcdEmulatorConfig());
}

} // namespace

class TestProgrammingOpenOcd : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH: these tests need it (Debian: apt-get install openocd)");
        isolateSettings();
        qRegisterMetaType<JobReport>();
    }
    void cleanup() { QCOMPARE(childProcesses(QStringLiteral("openocd")), 0); }

    void flashesThroughOpenOcd() {
        EmulatedF407 emu;
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        Window w("wolfboot-stm32f407");
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        useEmulator(panel, emu);
        const QByteArray image = randomBytes(20 * 1024, 11);
        const QString file = dir_.filePath(QStringLiteral("app.bin"));
        QVERIFY(writeFile(file, image));
        const std::size_t boot = w.index("boot");
        QVERIFY(panel->assignImage(boot, file));

        QSignalSpy finished(panel, &ProgrammingPanel::jobFinished);
        QTest::mouseClick(panel->flashButton(boot), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        const JobReport report = finished.at(0).at(0).value<JobReport>();
        QVERIFY2(report.ok(), qPrintable(panel->resultLabel()->text()));
        QCOMPARE(report.backend, std::string("openocd"));
        const QByteArray flash = emu.flash();
        QCOMPARE(flash.mid(kBoot, image.size()), image);
        QCOMPARE(flash.left(kBoot), emu.background().left(kBoot));
        QCOMPARE(flash.mid(0x40000), emu.background().mid(0x40000));
    }

    void cancelMidWriteEndsOpenOcdWithinTwoSeconds() {
        EmulatedF407 emu;
        // The emulator stops answering 2 KiB into the slot: the click comes mid-write on any machine.
        emu.holdAt(kBoot + 0x800);
        QVERIFY2(emu.start(QStringLiteral("0")), qPrintable(emu.error()));
        Window w("wolfboot-stm32f407");
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        useEmulator(panel, emu);
        const QString file = dir_.filePath(QStringLiteral("big.bin"));
        QVERIFY(writeFile(file, randomBytes(128 * 1024, 12)));
        const std::size_t boot = w.index("boot");
        QVERIFY(panel->assignImage(boot, file));

        QSignalSpy finished(panel, &ProgrammingPanel::jobFinished);
        QTest::mouseClick(panel->flashButton(boot), Qt::LeftButton);
        // The job starts from the event loop, so the wait keeps it running.
        QTRY_VERIFY_WITH_TIMEOUT(emu.process().waitForHold(0), 120000);
        QVERIFY(panel->isBusy());
        QCOMPARE(childProcesses(QStringLiteral("openocd")), 1);

        // The promise to users: Cancel ends OpenOCD within two seconds, whatever it is doing.
        QElapsedTimer sinceCancel;
        sinceCancel.start();
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(childProcesses(QStringLiteral("openocd")), 0, 2000);
        QVERIFY2(sinceCancel.elapsed() < 2000, qPrintable(QString::number(sinceCancel.elapsed())));

        const JobReport report = finished.at(0).at(0).value<JobReport>();
        QVERIFY2(report.cancelled(), qPrintable(panel->resultLabel()->text()));
        const auto partial = report.maybePartial();
        QCOMPARE(partial.size(), std::size_t(1));
        QCOMPARE(partial.front().offset, std::uint64_t(kBoot));
        const QString text = panel->resultLabel()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Cancelled")) && text.contains(QStringLiteral("0x20000")),
                 qPrintable(text));
        // Nothing outside the slot changed.
        const QByteArray flash = emu.flash();
        QCOMPARE(flash.left(kBoot), emu.background().left(kBoot));
        QCOMPARE(flash.mid(0x40000), emu.background().mid(0x40000));
    }
};

QTEST_MAIN(TestProgrammingOpenOcd)
#include "tst_programming_openocd.moc"
