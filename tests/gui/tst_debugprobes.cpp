// SPDX-License-Identifier: Apache-2.0
// The programming panel offers the debug probes on the bus for the OpenOCD backend, as it offers DFU
// devices: two emulated CMSIS-DAP v2 probes on a umockdev bus appear with their serial numbers, choosing
// one fills Probe serial (OpenOCD's adapter serial), and a probe that leaves the bus leaves the list.
#include "GuiTestSupport.h"
#include "UmockdevUsbBus.h"

#include "CmsisDapProbe.h"
#include "backends/openocd/DebugProbe.h"
#include "programming/BackendForm.h"
#include "usb/UsbContext.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QtTest>

using namespace flashplan;
using namespace flashplan::emu;
using flashplan::gui::BackendForm;

class TestDebugProbes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { guitest::isolateSettings(); }

    // What listDebugProbes() finds: the probes by their CMSIS-DAP interface string, with serial and the
    // stock config; nothing else on the bus.
    void findsCmsisDapProbesByTheirInterfaceString() {
        UmockdevUsbBus bus;
        auto context = usb::UsbContext::create();
        QVERIFY(context);
        QCOMPARE(programmer::openocd::listDebugProbes(**context, std::chrono::milliseconds(500))->size(),
                 std::size_t(0));
        bus.plug(std::make_unique<CmsisDapProbe>("FPSWD-A"));
        bus.plug(std::make_unique<CmsisDapProbe>("FPSWD-B"));
        auto probes = programmer::openocd::listDebugProbes(**context, std::chrono::milliseconds(500));
        QVERIFY(probes);
        QCOMPARE(probes->size(), std::size_t(2));
        QCOMPARE((*probes)[0].serial, std::string("FPSWD-A"));
        QCOMPARE((*probes)[1].serial, std::string("FPSWD-B"));
        QCOMPARE((*probes)[0].kind, programmer::openocd::DebugProbe::Kind::CmsisDap);
        QCOMPARE((*probes)[0].interfaceConfig(), std::string_view("interface/cmsis-dap.cfg"));
        const std::string d = (*probes)[1].description();
        QVERIFY2(d.starts_with("CMSIS-DAP probe ") && d.find("(1209:0002), serial FPSWD-B, on 1-2") != d.npos,
                 d.c_str());
    }

    void thePanelOffersTheProbesAndFillsTheSerial() {
        UmockdevUsbBus bus;
        BackendForm form;
        QVERIFY(form.setBackend(QStringLiteral("openocd")));
        QComboBox* box = form.deviceBox();
        QVERIFY(box);
        QVERIFY(form.deviceLister(QStringLiteral("openocd"))->watching());
        QTRY_COMPARE(box->itemText(0), QStringLiteral("no debug probe found (watching)"));

        bus.plug(std::make_unique<CmsisDapProbe>("FPSWD-A"));
        QTRY_COMPARE_WITH_TIMEOUT(box->count(), 1, 20000);
        bus.plug(std::make_unique<CmsisDapProbe>("FPSWD-B"));
        QTRY_COMPARE_WITH_TIMEOUT(box->count(), 2, 20000);
        QVERIFY2(box->itemText(1).contains(QStringLiteral("serial FPSWD-B")), qPrintable(box->itemText(1)));

        box->setCurrentIndex(1);
        emit box->activated(1);
        QCOMPARE(form.field("serial")->text(), QStringLiteral("FPSWD-B"));
        QCOMPARE(form.options().get("serial"), std::string("FPSWD-B"));

        // Another backend stops the watch.
        QVERIFY(form.setBackend(QStringLiteral("sim")));
        QVERIFY(!form.deviceLister(QStringLiteral("openocd"))->watching());
    }
};

int main(int argc, char** argv) {
    flashplan::emu::ensureUmockdevPreload(argv);
    QApplication app(argc, argv);
    TestDebugProbes tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_debugprobes.moc"
