// SPDX-License-Identifier: Apache-2.0
// The main window's files and looks: every example shows its map, imports and exports in every format,
// save and the unsaved-changes prompt, recent files, errors that name file, line and reason, New from
// board, and the help that lists every command.
#include "GuiTestSupport.h"

#include "commands/LayoutEdits.h"
#include "db/ExampleLayouts.h"
#include "design/AutoLayout.h"
#include "desktop/AppSettings.h"
#include "dialogs/KeysDialog.h"
#include "dialogs/NewLayoutDialog.h"
#include "io/Format.h"
#include "io/LayoutFile.h"
#include "views/flashmap/LaneHeader.h"
#include "window/RecentFiles.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProcess>
#include <QUndoStack>

using namespace guitest;

class TestMainWindow : public QObject {
    Q_OBJECT

    QString settingsDir_;
    QTemporaryDir tmp_;

    QString path(const QString& name) const { return tmp_.filePath(name); }

    static void moveSlot1(Window& w) {
        edits::movePartition(*w.doc(), w.index("slot1_partition"), "mx25r64", 0);
    }

private slots:
    void initTestCase() {
        settingsDir_ = isolateSettings();
        QVERIFY(tmp_.isValid());
    }

    void settingsLiveInTheThrowawayFolder() {
        const QSettings settings(kSettingsOrganization, kSettingsApplication);
        QVERIFY2(settings.fileName().startsWith(settingsDir_), qPrintable(settings.fileName()));
    }

    void everyExampleShowsItsMap() {
        for (const std::string& name : ExampleLayouts::names()) {
            Window w(QString::fromStdString(name));
            const Layout& l = w.layout();
            QCOMPARE(w.window->windowTitle(),
                     QString::fromStdString(name) + QStringLiteral(".flashplan[*] — Flashplan"));
            QCOMPARE(w.scene()->lanes().size(), l.board.devices.size());
            for (std::size_t i = 0; i < l.partitions.size(); ++i) {
                PartitionItem* item = w.scene()->partitionItem(i);
                QVERIFY(item && item->isVisible());
                const LaneGeometry* lane = w.scene()->lane(l.partitions[i].device);
                QVERIFY(lane->containsX(item->sceneBoundingRect().center().x()));
                QVERIFY(w.view()
                            ->mapFromScene(item->sceneBoundingRect())
                            .boundingRect()
                            .intersects(w.viewport()->rect()));
            }
            // Fitted: every device whole in the window.
            QVERIFY(w.view()->isFitted());
            QCOMPARE(w.view()->verticalScrollBar()->maximum(), w.view()->verticalScrollBar()->minimum());
            const QImage frame = w.view()->grab().toImage();
            QVERIFY(!frame.isNull());
        }
    }

    void importsAJsonLayout() {
        Window w("nrf52840-mcuboot-external");
        const Layout original = w.layout();
        QVERIFY(w.window->exportTo(QStringLiteral("json"), path(QStringLiteral("external.json"))));
        QVERIFY(w.window->openExample(QStringLiteral("zephyr-flash-map")));
        QVERIFY(w.window->openFile(path(QStringLiteral("external.json"))));
        QCOMPARE(w.layout().partitions, original.partitions);
        QCOMPARE(w.layout().board.devices, original.board.devices);
        QCOMPARE(w.doc()->displayName(), QStringLiteral("external.flashplan"));
        QVERIFY(w.doc()->filePath().isEmpty()); // saved as a new .flashplan file, never over the JSON
        QCOMPARE(w.scene()->lanes().size(), std::size_t(2));
        QVERIFY(w.item("slot1_partition")->isVisible());
        QVERIFY(w.answers.errors.isEmpty());
    }

    void importMenuForcesTheFormat() {
        Window w("zephyr-flash-map");
        QVERIFY(w.window->exportTo(QStringLiteral("json"), path(QStringLiteral("forced.txt"))));
        w.answers.openPath = path(QStringLiteral("forced.txt"));
        QAction* json = nullptr;
        for (QAction* a : w.window->importMenu()->actions())
            if (a->text().startsWith(QStringLiteral("JSON")))
                json = a;
        QVERIFY(json);
        json->trigger();
        QVERIFY(w.answers.errors.isEmpty());
        QCOMPARE(w.doc()->displayName(), QStringLiteral("forced.flashplan"));
    }

    void importAndExportMenusListEveryFormat() {
        Window w("zephyr-flash-map");
        int importers = 0, exporters = 0;
        for (const Format& f : allFormats()) {
            importers += f.importer != nullptr;
            exporters += f.exporter != nullptr;
        }
        QCOMPARE(w.window->importMenu()->actions().size(), importers);
        QCOMPARE(w.window->exportMenu()->actions().size(), exporters);
    }

    void exportWritesEveryFileTheExporterReturns() {
        Window w("nrf52840-mcuboot-external");
        QVERIFY(w.window->exportTo(QStringLiteral("c-flash-map"), path(QStringLiteral("map.c"))));
        QVERIFY(QFileInfo::exists(path(QStringLiteral("map.c"))));
        QVERIFY(QFileInfo::exists(path(QStringLiteral("map.h"))));
        QVERIFY(w.answers.errors.isEmpty());
    }

    void saveWritesTheFileAndClearsTheDirtyMark() {
        const QString file = path(QStringLiteral("saved.flashplan"));
        Window w("zephyr-flash-map");
        QVERIFY(w.window->saveTo(file));
        QVERIFY(w.window->openFile(file));
        QCOMPARE(w.doc()->filePath(), QFileInfo(file).absoluteFilePath());
        QCOMPARE(w.window->windowTitle(), QStringLiteral("saved.flashplan[*] — Flashplan"));
        QVERIFY(!w.window->isWindowModified());
        moveSlot1(w);
        QVERIFY(w.window->isWindowModified());
        QVERIFY(w.window->save());
        QVERIFY(!w.window->isWindowModified());
        auto reread = LayoutFile::load(file.toStdString(), w.window->database());
        QVERIFY(reread);
        QVERIFY(*reread == w.layout());
        QCOMPARE(RecentFiles().list().value(0), QFileInfo(file).absoluteFilePath());
    }

    void saveOfAnExampleAsksWhere() {
        Window w("zephyr-flash-map");
        moveSlot1(w);
        w.answers.savePath = path(QStringLiteral("chosen")); // no suffix: .flashplan is added
        QVERIFY(w.window->save());
        QVERIFY(QFileInfo::exists(path(QStringLiteral("chosen.flashplan"))));
        QCOMPARE(w.doc()->displayName(), QStringLiteral("chosen.flashplan"));
    }

    void closingWithChangesAsksSaveDiscardOrCancel() {
        Window w("zephyr-flash-map");
        moveSlot1(w);
        w.answers.saveChanges = QMessageBox::Cancel;
        QVERIFY(!w.window->close());
        QCOMPARE(w.answers.saveChangesAsked, 1);
        QVERIFY(w.window->isVisible());
        // Opening another layout asks too, and Cancel keeps the edit.
        QVERIFY(!w.window->openExample(QStringLiteral("spark-core")));
        QCOMPARE(w.layout().partitions[w.index("slot1_partition")].device, std::string("mx25r64"));

        w.answers.saveChanges = QMessageBox::Save;
        w.answers.savePath = path(QStringLiteral("on-close.flashplan"));
        QVERIFY(w.window->close());
        QVERIFY(QFileInfo::exists(path(QStringLiteral("on-close.flashplan"))));
        // The window's state was kept for next time.
        const QSettings settings(kSettingsOrganization, kSettingsApplication);
        QVERIFY(settings.contains(QStringLiteral("window/geometry")));
        QVERIFY(settings.contains(QStringLiteral("window/state")));
    }

    void aBadFileIsReportedWithFileLineAndReasonAndLosesNothing() {
        const QString file = path(QStringLiteral("broken.flashplan"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("<?xml version=\"1.0\"?>\n"
                "<flashplan-layout schema=\"1\" name=\"broken\">\n"
                "  <board ref=\"nrf52840dk_nrf52840\"/>\n"
                "  <partition label=\"boot\" device=\"flash0\" offset=\"0xq\" size=\"0x1000\"/>\n"
                "</flashplan-layout>\n");
        f.close();
        Window w("zephyr-flash-map");
        moveSlot1(w);
        const Layout edited = w.layout();
        w.answers.saveChanges = QMessageBox::Discard;
        QVERIFY(!w.window->openFile(file));
        QCOMPARE(w.answers.errors.size(), 1);
        const QString error = w.answers.errors.front();
        QVERIFY2(error.contains(QStringLiteral("broken.flashplan:4")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("offset")), qPrintable(error));
        QVERIFY(w.layout() == edited); // the open layout, edits and all, is still there
        QCOMPARE(w.doc()->undoStack()->count(), 1);

        QVERIFY(!w.window->openFile(path(QStringLiteral("missing.flashplan"))));
        QVERIFY(w.answers.errors.back().contains(QStringLiteral("missing.flashplan")));
        QVERIFY(!w.window->openArgument(QStringLiteral("no-such-example")));
        QVERIFY(w.layout() == edited);
    }

    void recentFilesAreRememberedAndOffered() {
        RecentFiles().clear();
        Window w("zephyr-flash-map");
        for (int i = 0; i < RecentFiles::kMaximum + 2; ++i)
            QVERIFY(w.window->saveTo(path(QStringLiteral("recent%1.flashplan").arg(i))));
        const QStringList list = RecentFiles().list();
        QCOMPARE(list.size(), RecentFiles::kMaximum);
        QCOMPARE(list.front(),
                 QFileInfo(path(QStringLiteral("recent%1.flashplan").arg(RecentFiles::kMaximum + 1)))
                     .absoluteFilePath());
        emit w.window->recentMenu()->aboutToShow();
        QAction* first = w.window->recentMenu()->actions().value(0);
        QVERIFY(first);
        QCOMPARE(first->text(), list.front());
        QVERIFY(w.window->openExample(QStringLiteral("spark-core")));
        first->trigger();
        QCOMPARE(w.doc()->filePath(), list.front());
    }

    void newFromBoardDesignsWithTheCore() {
        auto db = DeviceDatabase::builtin();
        NewLayoutDialog dialog(*db);
        dialog.boardBox()->setCurrentIndex(
            dialog.boardBox()->findData(QStringLiteral("nrf52840dk_nrf52840")));
        dialog.profileBox()->setCurrentIndex(
            dialog.profileBox()->findData(QStringLiteral("mcuboot-swap-move")));
        QVERIFY(dialog.externalBox()->isEnabled());
        dialog.externalBox()->setChecked(true);
        dialog.storageSizeEdit()->setText(QStringLiteral("32K"));
        auto designed = dialog.design();
        QVERIFY2(designed, designed ? "" : designed.error().message.c_str());
        LayoutWishes wishes;
        wishes.profile = "mcuboot-swap-move";
        wishes.storageSize = 0x8000;
        wishes.secondaryOnExternal = true;
        QVERIFY(*designed == *designLayout(*db->find("nrf52840dk_nrf52840"), wishes));

        Window w("zephyr-flash-map");
        QVERIFY(w.window->adoptNewLayout(*designed));
        QCOMPARE(w.window->windowTitle(), QStringLiteral("nrf52840dk_nrf52840.flashplan[*] — Flashplan"));
        QVERIFY(w.layout() == *designed);
        QCOMPARE(w.doc()->undoStack()->count(), 0);

        // A wish that leaves no room keeps the dialog open and says why.
        dialog.storageSizeEdit()->setText(QStringLiteral("2M"));
        dialog.accept();
        QVERIFY(!dialog.errorLabel()->text().isEmpty());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        dialog.storageSizeEdit()->setText(QStringLiteral("many"));
        dialog.accept();
        QVERIFY(dialog.errorLabel()->text().contains(QStringLiteral("many")));
    }

    void keysHelpListsEveryCommandAndGesture() {
        Window w("zephyr-flash-map");
        const QString html = KeysDialog::helpHtml(w.window->commands());
        int withKeys = 0;
        for (QAction* a : w.window->commands()) {
            QString name = a->text();
            name.remove('&');
            QVERIFY2(html.contains(name.toHtmlEscaped()), qPrintable(name));
            for (const QKeySequence& k : a->shortcuts()) {
                QVERIFY2(html.contains(k.toString(QKeySequence::NativeText).toHtmlEscaped()),
                         qPrintable(k.toString()));
                ++withKeys;
            }
        }
        QVERIFY(withKeys >= 10);
        for (const char* gesture :
             {"Wheel", "Space+drag", "Drag over free space", "top or bottom edge", "Shift"})
            QVERIFY2(html.contains(QLatin1String(gesture)), gesture);
    }

    void laneTitlesNameTheDevices() {
        Window w("nrf52840-mcuboot-external");
        QCOMPARE(w.scene()->lanes()[1].device.id, std::string("mx25r64"));
        // The header sits above the viewport and is painted (smoke test for both lanes).
        LaneHeader* header = w.view()->header();
        QVERIFY(header->isVisible());
        QVERIFY(header->geometry().bottom() <= w.viewport()->geometry().top());
        QVERIFY(!header->grab().isNull());
    }

    void theAppMeasuresItsStartup() {
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), settingsDir_);
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(FLASHPLAN_APP), {QStringLiteral("--measure-startup")});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitCode(), 0);
        QVERIFY2(app.readAllStandardOutput().startsWith("first frame: "), "no startup figure printed");
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
