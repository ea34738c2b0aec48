// SPDX-License-Identifier: Apache-2.0
// The side panels: the partition table edited in place, the properties of the selection and the layout,
// and the diagnostics with their one-click fixes; every edit round-trips through undo.
#include "GuiTestSupport.h"

#include "widgets/DiagnosticsPanel.h"
#include "widgets/LayoutForm.h"
#include "widgets/MessageBar.h"
#include "widgets/PartitionForm.h"
#include "widgets/PartitionTable.h"
#include "widgets/PartitionTableModel.h"
#include "widgets/PropertiesPanel.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>
#include <QUndoStack>

using namespace guitest;

class TestPanels : public QObject {
    Q_OBJECT

    static QModelIndex cell(Window& w, const char* label, PartitionTableModel::Column column) {
        return w.window->partitionTable()->model()->index(static_cast<int>(w.index(label)), column);
    }

    /// The row of the first finding of `rule` in the diagnostics panel, or -1.
    static int rowOf(DiagnosticsPanel* panel, const char* rule) {
        for (int r = 0; r < panel->tree()->topLevelItemCount(); ++r)
            if (panel->diagnosticAt(r)->rule == rule)
                return r;
        return -1;
    }

private slots:
    void initTestCase() { isolateSettings(); }

    void tableEditRoundTripsThroughUndo() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        PartitionTableModel* model = w.window->partitionTable()->model();
        QVERIFY(model->setData(cell(w, "storage_partition", PartitionTableModel::Offset), "0x1c000",
                               Qt::EditRole));
        QCOMPARE(w.layout().partitions[w.index("storage_partition")].offset, quint64(0x1c000));
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Move storage_partition to 0x1c000"));
        QCOMPARE(cell(w, "storage_partition", PartitionTableModel::Offset).data().toString(),
                 QStringLiteral("0x1c000"));
        const Layout after = w.layout();

        // Sizes take K and M suffixes; the map follows the document.
        QVERIFY(model->setData(cell(w, "storage_partition", PartitionTableModel::Size), "16K", Qt::EditRole));
        QCOMPARE(w.layout().partitions[w.index("storage_partition")].size, quint64(0x4000));
        QCOMPARE(w.item("storage_partition")->placement().size, quint64(0x4000));

        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == after);
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
        w.doc()->undoStack()->redo();
        QVERIFY(w.layout() == after);
    }

    void typingInTheTableEditsTheLayout() {
        Window w("zephyr-flash-map");
        QTableView* view = w.window->partitionTable()->view();
        const QModelIndex size = cell(w, "scratch_partition", PartitionTableModel::Size);
        view->setFocus();
        view->setCurrentIndex(size);
        view->edit(size);
        auto* editor = view->findChild<QLineEdit*>();
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, "0x10000");
        QTest::keyClick(editor, Qt::Key_Return);
        // The delegate commits on the next turn of the event loop.
        QTRY_COMPARE(w.layout().partitions[w.index("scratch_partition")].size, quint64(0x10000));
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Resize scratch_partition to 64 KiB"));
    }

    void badInputIsRefusedWithAMessage() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        PartitionTable* table = w.window->partitionTable();
        PartitionTableModel* model = table->model();
        QVERIFY(
            !model->setData(cell(w, "slot1_partition", PartitionTableModel::Offset), "0xzz", Qt::EditRole));
        QVERIFY(table->messageBar()->isVisible());
        QVERIFY2(table->messageBar()->text().contains(QStringLiteral("0xzz")),
                 qPrintable(table->messageBar()->text()));
        QVERIFY(!model->setData(cell(w, "slot1_partition", PartitionTableModel::Label), "1st_slot",
                                Qt::EditRole));
        QVERIFY(table->messageBar()->text().contains(QStringLiteral("C identifier")));
        QVERIFY(!model->setData(cell(w, "slot1_partition", PartitionTableModel::Label), "slot0_partition",
                                Qt::EditRole));
        QVERIFY(table->messageBar()->text().contains(QStringLiteral("already used")));
        QVERIFY(!model->setData(cell(w, "slot1_partition", PartitionTableModel::Size), "0", Qt::EditRole));
        QVERIFY(
            !model->setData(cell(w, "slot1_partition", PartitionTableModel::End), "0x80000", Qt::EditRole));
        QVERIFY(
            !model->setData(cell(w, "slot1_partition", PartitionTableModel::Device), "flash9", Qt::EditRole));
        QVERIFY(
            !model->setData(cell(w, "slot1_partition", PartitionTableModel::Role), "firmware", Qt::EditRole));
        QVERIFY(w.layout() == before);
        QCOMPARE(w.doc()->undoStack()->count(), 0);

        // The next accepted edit clears the message.
        QVERIFY(
            model->setData(cell(w, "slot1_partition", PartitionTableModel::Role), "storage", Qt::EditRole));
        QVERIFY(!table->messageBar()->isVisible());
    }

    void readOnlyRoleAndDeviceCells() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        PartitionTableModel* model = w.window->partitionTable()->model();
        QVERIFY(model->setData(cell(w, "slot1_partition", PartitionTableModel::ReadOnly), Qt::Checked,
                               Qt::CheckStateRole));
        QVERIFY(w.layout().partitions[w.index("slot1_partition")].readOnly);
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Make slot1_partition read-only"));
        QVERIFY(
            model->setData(cell(w, "slot1_partition", PartitionTableModel::Device), "mx25r64", Qt::EditRole));
        QCOMPARE(w.layout().partitions[w.index("slot1_partition")].device, std::string("mx25r64"));
        QCOMPARE(w.doc()->undoStack()->undoText(),
                 QStringLiteral("Move slot1_partition to mx25r64 at 0x80000"));
        w.doc()->undoStack()->undo();
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
    }

    void renamingAParentRenamesItsChildrensParent() {
        Window w("zephyr-flash-map");
        Layout nested = w.layout();
        Partition child;
        child.label = "image_header";
        child.device = "flash0";
        child.offset = 0x20000;
        child.size = 0x200;
        child.parent = "slot0_partition";
        nested.partitions.push_back(child);
        w.doc()->reset(nested, QString(), QStringLiteral("nested.flashplan"));
        QVERIFY(w.window->partitionTable()->model()->setData(
            cell(w, "slot0_partition", PartitionTableModel::Label), "primary", Qt::EditRole));
        QCOMPARE(w.layout().partitions.back().parent, std::string("primary"));
        QCOMPARE(w.doc()->undoStack()->count(), 1);
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == nested);
    }

    void selectionIsSharedByMapTableAndProperties() {
        Window w("zephyr-flash-map");
        QTableView* view = w.window->partitionTable()->view();
        view->selectRow(static_cast<int>(w.index("scratch_partition")));
        QCOMPARE(w.doc()->selection(), std::vector<std::size_t>{w.index("scratch_partition")});
        QVERIFY(w.item("scratch_partition")->isSelected());
        PropertiesPanel* props = w.window->propertiesPanel();
        QCOMPARE(props->currentPage(), static_cast<QWidget*>(props->partitionForm()));
        QCOMPARE(props->partitionForm()->labelEdit()->text(), QStringLiteral("scratch_partition"));

        QTest::mouseClick(w.viewport(), Qt::LeftButton, {}, w.at("flash0", 0x40000));
        QCOMPARE(w.doc()->selection(), std::vector<std::size_t>{w.index("slot0_partition")});
        QCOMPARE(view->selectionModel()->selectedRows().value(0).row(),
                 static_cast<int>(w.index("slot0_partition")));
        QCOMPARE(props->partitionForm()->labelEdit()->text(), QStringLiteral("slot0_partition"));

        w.doc()->setSelection({});
        QCOMPARE(props->currentPage(), static_cast<QWidget*>(props->layoutForm()));

        // A row picked in the table scrolls the map to its partition.
        w.zoomSectors("flash0", 0x1000, 20);
        w.centreOn("flash0", 0x10000);
        view->selectRow(static_cast<int>(w.index("scratch_partition")));
        const QRect shown =
            w.view()->mapFromScene(w.item("scratch_partition")->sceneBoundingRect()).boundingRect();
        QVERIFY(shown.intersects(w.viewport()->rect()));
    }

    void propertiesEditThePartitionAndTheLayout() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        w.doc()->setSelection({w.index("slot1_partition")});
        PartitionForm* form = w.window->propertiesPanel()->partitionForm();
        QLineEdit* size = form->sizeEdit();
        size->setFocus();
        size->selectAll();
        QTest::keyClicks(size, "0x40000");
        QTest::keyClick(size, Qt::Key_Return);
        QCOMPARE(w.layout().partitions[w.index("slot1_partition")].size, quint64(0x40000));
        // Refused input leaves the value and says why.
        size->selectAll();
        QTest::keyClicks(size, "lots");
        QTest::keyClick(size, Qt::Key_Return);
        QCOMPARE(size->text(), QStringLiteral("0x40000"));
        QVERIFY(w.window->propertiesPanel()->messageBar()->text().contains(QStringLiteral("lots")));

        w.doc()->setSelection({});
        LayoutForm* layoutForm = w.window->propertiesPanel()->layoutForm();
        QComboBox* profile = layoutForm->profileBox();
        const int move = profile->findData(QStringLiteral("mcuboot-swap-move"));
        QVERIFY(move >= 0);
        profile->setCurrentIndex(move);
        emit profile->activated(move);
        QCOMPARE(w.layout().bootloader.mode, std::string("swap-using-move"));
        QCOMPARE(w.doc()->undoStack()->undoText(),
                 QStringLiteral("Set bootloader to MCUboot, swap using move"));

        layoutForm->newSettingEdit()->setText(QStringLiteral("BOOT_MAX_IMG_SECTORS=256"));
        emit layoutForm->newSettingEdit()->returnPressed();
        QVERIFY(w.layout().bootloader.setting("BOOT_MAX_IMG_SECTORS"));
        QCOMPARE(*w.layout().bootloader.setting("BOOT_MAX_IMG_SECTORS"), std::string("256"));
        QCOMPARE(layoutForm->settingsTable()->rowCount(), 1);

        while (w.doc()->undoStack()->canUndo())
            w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
    }

    void aDiagnosticFixRoundTripsThroughUndo() {
        Window w("wolfboot-stm32f407");
        const Layout before = w.layout();
        QVERIFY(w.window->partitionTable()->model()->setData(cell(w, "update", PartitionTableModel::Offset),
                                                             "0x41000", Qt::EditRole));
        const Layout broken = w.layout();
        DiagnosticsPanel* panel = w.window->diagnosticsPanel();
        const int row = rowOf(panel, "generic.sector-alignment");
        QVERIFY(row >= 0);
        QAbstractButton* fix = panel->fixButton(row);
        QVERIFY(fix);
        QTest::mouseClick(fix, Qt::LeftButton);
        QTRY_VERIFY(w.layout() != broken);
        QCOMPARE(w.layout().partitions[w.index("update")].offset, quint64(0x40000));
        QVERIFY(w.doc()->undoStack()->undoText().startsWith(QStringLiteral("Fix: ")));
        QVERIFY(w.layout() == before);

        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == broken);
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
    }

    void fixAllIsOneUndoStep() {
        Window w("wolfboot-stm32f407");
        const Layout before = w.layout();
        PartitionTableModel* model = w.window->partitionTable()->model();
        QVERIFY(model->setData(cell(w, "update", PartitionTableModel::Offset), "0x41000", Qt::EditRole));
        QVERIFY(model->setData(cell(w, "swap", PartitionTableModel::Size), "0x1f000", Qt::EditRole));
        const Layout broken = w.layout();
        QVERIFY(w.window->diagnosticsPanel()->fixAllButton()->isEnabled());
        QTest::mouseClick(w.window->diagnosticsPanel()->fixAllButton(), Qt::LeftButton);
        QVERIFY(w.layout() == before);
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Apply 2 fixes"));
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == broken);
    }

    void clickingADiagnosticSelectsItsPartitions() {
        Window w("zephyr-flash-map");
        QVERIFY(w.window->partitionTable()->model()->setData(
            cell(w, "slot1_partition", PartitionTableModel::Offset), "0x70000", Qt::EditRole));
        DiagnosticsPanel* panel = w.window->diagnosticsPanel();
        const int row = rowOf(panel, "generic.overlap");
        QVERIFY(row >= 0);
        QTreeWidget* tree = panel->tree();
        const QRect rect = tree->visualItemRect(tree->topLevelItem(row));
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
        std::vector<std::size_t> expected = panel->diagnosticAt(row)->partitions;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(w.doc()->selection(), expected);
        QVERIFY(w.item("slot0_partition")->isSelected());
        QVERIFY(w.item("slot1_partition")->isSelected());
    }
};

QTEST_MAIN(TestPanels)
#include "tst_panels.moc"
