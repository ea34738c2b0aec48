// SPDX-License-Identifier: Apache-2.0
// Screenshots of the main window, one per example layout, plus the default in a dark palette, zoomed
// until single sectors show, and the Keys and New layout dialogs. Run by screenshots.sh under Xvfb at 100 %
// and 200 % scale; the PNGs go to $FLASHPLAN_SCREENSHOT_DIR (default: ./screenshots) named
// <layout>[-variant]@<scale>x.png.
#include "GuiTestSupport.h"
#include "ImageFixtures.h"

#include "db/ExampleLayouts.h"
#include "dialogs/KeysDialog.h"
#include "dialogs/NewLayoutDialog.h"
#include "programming/ProgrammingPanel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPalette>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>

#include <fstream>

using namespace guitest;

class TestScreenshots : public QObject {
    Q_OBJECT

    QString dir_;

    QString fileName(const QString& name) const {
        const qreal scale = qApp->devicePixelRatio();
        return QDir(dir_).filePath(QStringLiteral("%1@%2x.png").arg(name).arg(scale));
    }

    void shoot(Window& w, const QString& name) {
        QCoreApplication::processEvents();
        const QPixmap shot = w.window->grab();
        QVERIFY(!shot.isNull());
        QVERIFY2(shot.save(fileName(name)), qPrintable(fileName(name)));
        qInfo("wrote %s (%dx%d)", qPrintable(fileName(name)), shot.width(), shot.height());
    }

private slots:
    void initTestCase() {
        isolateSettings();
        dir_ = qEnvironmentVariable("FLASHPLAN_SCREENSHOT_DIR", QStringLiteral("screenshots"));
        QVERIFY(QDir().mkpath(dir_));
    }

    void everyExample() {
        for (const std::string& name : ExampleLayouts::names()) {
            Window w(QString::fromStdString(name), {1280, 800});
            shoot(w, QString::fromStdString(name));
        }
    }

    void zoomedToSectors() {
        Window w("nrf52840-mcuboot-external", {1280, 800});
        w.zoomSectors("flash0", 0x1000, 14);
        w.centreOn("flash0", 0xf0000);
        w.doc()->setSelection({w.index("storage_partition")});
        w.view()->setFocus();
        QTest::mouseMove(w.viewport(), w.at("flash0", 0xf8000));
        shoot(w, QStringLiteral("nrf52840-mcuboot-external-zoomed"));
    }

    void dragOntoANeighbour() {
        // Mid-drag: slot1 pulled up over slot0 is drawn red, and the tooltip says why it would be refused.
        Window w("zephyr-flash-map", {1280, 800});
        w.zoomSectors("flash0", 0x1000, 6);
        w.centreOn("flash0", 0x80000);
        const QPoint from = w.at("flash0", 0x90000);
        QTest::mousePress(w.viewport(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= 6; ++i)
            QTest::mouseMove(w.viewport(), from - QPoint(0, 10 * i));
        QVERIFY(w.item("slot1_partition")->conflict().has_value());
        shoot(w, QStringLiteral("zephyr-flash-map-drag-refused"));
        for (QWidget* top : QApplication::topLevelWidgets())
            if (top->inherits("QTipLabel") && top->isVisible())
                QVERIFY(top->grab().save(fileName(QStringLiteral("zephyr-flash-map-drag-tooltip"))));
        QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, from - QPoint(0, 60));
    }

    void programmingPanel() {
        // After a flash of a signed image into slot1 on the simulator, with an image too large for slot0.
        QTemporaryDir sim;
        qputenv("FLASHPLAN_SIM_DIR", sim.path().toUtf8());
        const auto write = [&](const QString& name, const fixtures::Bytes& bytes) {
            const QString path = sim.filePath(name);
            std::ofstream(path.toStdString(), std::ios::binary)
                .write(reinterpret_cast<const char*>(bytes.data()),
                       static_cast<std::streamsize>(bytes.size()));
            return path;
        };
        fixtures::McubootSpec signedImage;
        signedImage.payload = fixtures::pattern(0x9c00, 3);
        Window w("zephyr-flash-map", {1280, 800});
        ProgrammingPanel* panel = w.window->programmingPanel();
        w.window->showProgrammingPanel();
        QVERIFY(panel->assignImage(w.index("slot0_partition"),
                                   write(QStringLiteral("zephyr-big.bin"), fixtures::pattern(0x61000, 1))));
        const std::size_t slot1 = w.index("slot1_partition");
        QVERIFY(panel->assignImage(
            slot1, write(QStringLiteral("zephyr.signed.bin"), fixtures::makeMcubootImage(signedImage))));
        QSignalSpy finished(panel, &ProgrammingPanel::jobFinished);
        QTest::mouseClick(panel->flashButton(slot1), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        shoot(w, QStringLiteral("zephyr-flash-map-programming"));
        // The refusal of an image that reaches past its slot, in red, with the core's reason.
        QTest::mouseClick(panel->flashButton(w.index("slot0_partition")), Qt::LeftButton);
        QTRY_VERIFY(panel->resultLabel()->text().startsWith(QStringLiteral("Refused")));
        shoot(w, QStringLiteral("zephyr-flash-map-programming-refused"));
        qunsetenv("FLASHPLAN_SIM_DIR");
    }

    void dialogs() {
        Window w("zephyr-flash-map", {1280, 800});
        KeysDialog keys(w.window->commands(), w.window.get());
        keys.show();
        QVERIFY(QTest::qWaitForWindowExposed(&keys));
        QVERIFY(keys.grab().save(fileName(QStringLiteral("dialog-keys"))));
        NewLayoutDialog fresh(w.window->database(), w.window.get());
        fresh.boardBox()->setCurrentIndex(fresh.boardBox()->findData(QStringLiteral("nrf52840dk_nrf52840")));
        fresh.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fresh));
        QVERIFY(fresh.grab().save(fileName(QStringLiteral("dialog-new-layout"))));
    }

    void darkPalette() {
        const QPalette light = qApp->palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::Mid, QColor(0x44, 0x44, 0x44));
        qApp->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        qApp->setPalette(dark);
        {
            Window w("zephyr-flash-map", {1280, 800});
            w.doc()->setSelection({w.index("slot0_partition")});
            shoot(w, QStringLiteral("zephyr-flash-map-dark"));
        }
        qApp->setPalette(light);
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
