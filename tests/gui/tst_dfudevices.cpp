// SPDX-License-Identifier: Apache-2.0
// The programming panel's DFU device list on a umockdev bus: devices plugged while the panel watches
// appear (hotplug, or the bus compared every second), choosing one fills the Device option, and the watch
// runs only while the DFU backend is chosen.
#include "GuiTestSupport.h"
#include "UmockdevDfuBus.h"

#include "programming/BackendForm.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>

using namespace flashplan;
using namespace flashplan::emu;
using flashplan::gui::BackendForm;

class TestDfuDevices : public QObject {
    Q_OBJECT
private slots:
    // The backend chosen last is remembered; these tests start from a fresh user's settings.
    void initTestCase() { guitest::isolateSettings(); }

    void listsDevicesAsTheyComeAndGo() {
        UmockdevDfuBus bus;
        BackendForm form;
        QVERIFY(!form.deviceBox());
        QVERIFY(!form.deviceLister(QStringLiteral("dfu"))); // made when the DFU backend is first chosen
        QVERIFY(form.setBackend(QStringLiteral("dfu")));
        QComboBox* box = form.deviceBox();
        QVERIFY(box);
        QVERIFY(form.deviceLister(QStringLiteral("dfu"))->watching());
        QTRY_COMPARE(box->itemText(0), QStringLiteral("no DFU device found (watching)"));

        bus.plug(stm32f4Bootloader());
        QTRY_COMPARE_WITH_TIMEOUT(box->count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(box->itemText(0).startsWith(QStringLiteral("0483:df11 STM32  BOOTLOADER")),
                                 5000);
        QVERIFY(box->itemText(0).endsWith(QStringLiteral("DFU mode")));
        bus.plug(sparkCore());
        QTRY_COMPARE_WITH_TIMEOUT(box->count(), 2, 20000);

        box->setCurrentIndex(1);
        emit box->activated(1);
        QCOMPARE(form.field("device")->text(), QStringLiteral("1d50:607f"));
        QCOMPARE(form.options().get("device"), std::string("1d50:607f"));

        // Another backend stops the watch; coming back starts it again.
        QVERIFY(form.setBackend(QStringLiteral("sim")));
        QVERIFY(!form.deviceBox());
        QVERIFY(!form.deviceLister(QStringLiteral("dfu"))->watching());
        QVERIFY(form.setBackend(QStringLiteral("dfu")));
        QTRY_COMPARE_WITH_TIMEOUT(form.deviceBox()->count(), 2, 20000);
    }
};

int main(int argc, char** argv) {
    flashplan::emu::ensureUmockdevPreload(argv);
    QApplication app(argc, argv);
    TestDfuDevices tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_dfudevices.moc"
