// SPDX-License-Identifier: Apache-2.0
// The flash map driven as a user drives it: QTest mouse presses, moves and releases on the viewport.
#include "GuiTestSupport.h"

#include "util/Numbers.h"
#include "widgets/PartitionTable.h"

#include <QLabel>
#include <QStatusBar>
#include <QTableView>
#include <QUndoStack>

using namespace guitest;

class TestFlashMapDrag : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { isolateSettings(); }

    void moveSnapsToASectorBoundary() {
        Window w("nrf52840-mcuboot-external");
        const Layout before = w.layout();
        w.zoomSectors("mx25r64", 0x1000, 20);
        w.centreOn("mx25r64", 0x10000);
        const QPoint from = w.at("mx25r64", 0x10000);
        QVERIFY(w.viewport()->rect().contains(from));
        // 1.3 sectors of 20 pixels: the block lands one sector further, on a boundary.
        w.drag(from, from + QPoint(0, 26));
        const Partition& slot1 = w.layout().partitions[w.index("slot1_partition")];
        QCOMPARE(slot1.device, std::string("mx25r64"));
        QCOMPARE(slot1.offset, quint64(0x1000));
        QVERIFY(w.layout().board.device("mx25r64")->sectors.isBoundary(slot1.offset));
        QCOMPARE(slot1.size, before.partitions[w.index("slot1_partition")].size);
        QCOMPARE(w.doc()->undoStack()->count(), 1);
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Move slot1_partition to 0x1000"));
        // The block itself follows the document.
        QCOMPARE(w.item("slot1_partition")->placement().offset, quint64(0x1000));

        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
    }

    void aSmallDragIsAClickAndChangesNothing() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        const QPoint p = w.at("flash0", 0xa0000);
        w.drag(p, p + QPoint(0, 2), 2);
        QVERIFY(w.layout() == before);
        QCOMPARE(w.doc()->undoStack()->count(), 0);
        QCOMPARE(w.doc()->selection(), std::vector<std::size_t>{w.index("slot1_partition")});
    }

    void resizeScratchFromItsEdges() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        w.zoomSectors("flash0", 0x1000, 20);
        w.centreOn("flash0", 0xe4000);

        // The cursor says "resize" at the edge.
        const QPoint top = w.at("flash0", 0xe0000) + QPoint(0, 2);
        QTest::mouseMove(w.viewport(), top);
        QCOMPARE(w.item("scratch_partition")->cursor().shape(), Qt::SizeVerCursor);
        QTest::mouseMove(w.viewport(), w.at("flash0", 0xe8000));
        QCOMPARE(w.item("scratch_partition")->cursor().shape(), Qt::OpenHandCursor);

        // Top edge down by 8.2 sectors: starts 8 sectors later, 96 KiB.
        w.drag(top, top + QPoint(0, 164));
        const Layout afterTop = w.layout();
        const Partition& s1 = afterTop.partitions[w.index("scratch_partition")];
        QCOMPARE(s1.offset, quint64(0xe8000));
        QCOMPARE(s1.size, quint64(0x18000));
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Resize scratch_partition to 96 KiB"));

        // Bottom edge up by 3.7 sectors: ends 4 sectors sooner.
        w.centreOn("flash0", 0xfa000);
        const QPoint bottom = w.at("flash0", 0x100000) - QPoint(0, 2);
        w.drag(bottom, bottom - QPoint(0, 74));
        const Partition& s2 = w.layout().partitions[w.index("scratch_partition")];
        QCOMPARE(s2.offset, quint64(0xe8000));
        QCOMPARE(s2.end(), quint64(0xfc000));
        QCOMPARE(w.doc()->undoStack()->count(), 2);

        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == afterTop);
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
        w.doc()->undoStack()->redo();
        QVERIFY(w.layout() == afterTop);
    }

    void anOverlapIsFlaggedWhileDraggingAndRefusedOnDrop() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        w.zoomSectors("flash0", 0x1000, 20);
        w.centreOn("flash0", 0x80000);
        const QPoint from = w.at("flash0", 0x84000);
        const QPoint to = from - QPoint(0, 200); // ten sectors up, onto slot0
        QTest::mousePress(w.viewport(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(w.viewport(), from + (to - from) * i / 10);
        PartitionItem* slot1 = w.item("slot1_partition");
        QVERIFY(slot1->isDragging());
        QVERIFY(slot1->conflict().has_value());
        QVERIFY2(slot1->conflict()->find("overlap") != std::string::npos, slot1->conflict()->c_str());
        QVERIFY(w.scene()->dragText().contains(QStringLiteral("Refused")));
        QVERIFY(w.scene()->dragText().contains(QStringLiteral("0x76000"))); // the live offset, in hex
        QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, to);

        QVERIFY(w.layout() == before);
        QCOMPARE(w.doc()->undoStack()->count(), 0);
        QVERIFY(w.window->statusBar()->currentMessage().contains(QStringLiteral("overlap")));
        // The block sprang back.
        QCOMPARE(slot1->placement().offset, quint64(0x80000));
        QVERIFY(!slot1->conflict());
    }

    void pressingOnTheMapNeverScrollsIt() {
        // Even when another widget has the focus: the block must stay under the cursor of a starting drag.
        Window w("zephyr-flash-map");
        w.zoomSectors("flash0", 0x1000, 6);
        w.centreOn("flash0", 0x90000);
        // As in a window that is not active (no window manager): the press gives the view no focus.
        w.view()->setFocusPolicy(Qt::NoFocus);
        w.window->partitionTable()->view()->setFocus();
        const int before = w.view()->verticalScrollBar()->value();
        QTest::mousePress(w.viewport(), Qt::LeftButton, {}, w.at("flash0", 0x90000));
        QCOMPARE(w.doc()->selection(), std::vector<std::size_t>{w.index("slot1_partition")});
        QCOMPARE(w.view()->verticalScrollBar()->value(), before);
        QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, w.at("flash0", 0x90000));
    }

    void escapeCancelsADrag() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        const QPoint from = w.at("flash0", 0xa0000);
        QTest::mousePress(w.viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(w.viewport(), from + QPoint(0, 10));
        QTest::mouseMove(w.viewport(), from + QPoint(0, 20));
        QVERIFY(w.item("slot1_partition")->isDragging());
        QTest::keyClick(w.view(), Qt::Key_Escape);
        QVERIFY(!w.item("slot1_partition")->isDragging());
        QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, from + QPoint(0, 20));
        QVERIFY(w.layout() == before);
        QCOMPARE(w.doc()->undoStack()->count(), 0);
    }

    void moveSlot1ToTheExternalLane() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        const std::size_t slot1 = w.index("slot1_partition");
        const QPoint from = w.at("flash0", 0xb0000);
        const QPoint to = w.at("mx25r64", 0x200000);
        w.drag(from, to, 12);
        const Partition& p = w.layout().partitions[slot1];
        QCOMPARE(p.device, std::string("mx25r64"));
        QCOMPARE(p.size, quint64(0x60000));
        QVERIFY(w.layout().board.device("mx25r64")->sectors.isBoundary(p.offset));
        QVERIFY(p.offset > 0x100000 && p.offset < 0x300000);
        QVERIFY(w.doc()->undoStack()->undoText().startsWith(
            QStringLiteral("Move slot1_partition to mx25r64 at 0x")));
        // Drawn on its new lane, at that lane's scale.
        const LaneGeometry* lane = w.scene()->lane("mx25r64");
        QVERIFY(lane->containsX(w.item("slot1_partition")->sceneBoundingRect().center().x()));

        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
        QVERIFY(w.scene()->lane("flash0")->containsX(
            w.item("slot1_partition")->sceneBoundingRect().center().x()));
    }

    void createAPartitionByDraggingOverFreeSpace() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        w.zoomSectors("flash0", 0x1000, 20);
        w.centreOn("flash0", 0x16000);
        // 0x10000..0x1e000 is free; draw 0x11000..0x18000 (snapped to sectors).
        w.drag(w.at("flash0", 0x11000) + QPoint(0, 3), w.at("flash0", 0x18000) - QPoint(0, 4));
        QCOMPARE(w.layout().partitions.size(), before.partitions.size() + 1);
        const Partition& p = w.layout().partitions.back();
        QCOMPARE(p.label, std::string("new_partition"));
        QCOMPARE(p.role, PartitionRole::Custom);
        QCOMPARE(p.device, std::string("flash0"));
        QCOMPARE(p.offset, quint64(0x11000));
        QCOMPARE(p.size, quint64(0x7000));
        QCOMPARE(w.doc()->selection(), std::vector<std::size_t>{before.partitions.size()});

        // A second one gets a label of its own; one over slot0 is refused.
        w.drag(w.at("flash0", 0x19000) + QPoint(0, 3), w.at("flash0", 0x1b000));
        QCOMPARE(w.layout().partitions.back().label, std::string("new_partition_2"));
        const std::size_t count = w.layout().partitions.size();
        w.drag(w.at("flash0", 0x1b000) + QPoint(0, 3), w.at("flash0", 0x1f000), 8);
        QCOMPARE(w.layout().partitions.size(), count); // ends inside storage_partition: refused

        w.doc()->undoStack()->undo();
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
    }

    void deleteKeyDeletesTheSelection() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        QTest::mouseClick(w.viewport(), Qt::LeftButton, {}, w.at("flash0", 0xa0000));
        QCOMPARE(w.doc()->selection(), std::vector<std::size_t>{w.index("slot1_partition")});
        QTest::keyClick(w.view(), Qt::Key_Delete);
        QCOMPARE(w.layout().partitions.size(), before.partitions.size() - 1);
        QCOMPARE(w.layout().indexOf("slot1_partition"), -1);
        QCOMPARE(w.doc()->undoStack()->undoText(), QStringLiteral("Delete slot1_partition"));
        QTest::keyClick(w.window.get(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(w.layout() == before);
        QTest::keyClick(w.window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(w.layout().indexOf("slot1_partition"), -1);
    }

    void arrowKeysNudgeByASectorInOneUndoStep() {
        Window w("nrf52840-mcuboot-external");
        const Layout before = w.layout();
        w.doc()->setSelection({w.index("slot1_partition")});
        w.view()->setFocus();
        for (int i = 0; i < 3; ++i)
            QTest::keyClick(w.view(), Qt::Key_Down);
        QCOMPARE(w.layout().partitions[w.index("slot1_partition")].offset, quint64(0x3000));
        QCOMPARE(w.doc()->undoStack()->count(), 1);
        QTest::keyClick(w.view(), Qt::Key_Up);
        QCOMPARE(w.layout().partitions[w.index("slot1_partition")].offset, quint64(0x2000));
        w.doc()->undoStack()->undo();
        QVERIFY(w.layout() == before);
    }

    void wheelZoomsAroundTheCursor() {
        Window w("zephyr-flash-map");
        QVERIFY(w.view()->isFitted());
        const LaneGeometry* lane = w.scene()->lane("flash0");
        const QPoint at = w.at("flash0", 0xc0000);
        const double lengthBefore = w.scene()->laneLength();
        for (int i = 0; i < 6; ++i) {
            QWheelEvent wheel(at, w.viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QCoreApplication::sendEvent(w.viewport(), &wheel);
        }
        QVERIFY(w.scene()->laneLength() > lengthBefore * 3);
        QVERIFY(!w.view()->isFitted());
        // The address under the cursor stayed under it, to within two pixels.
        const std::uint64_t under = lane->offsetAt(w.view()->mapToScene(at).y());
        const double slack = 2 * lane->bytesPerPixel();
        QVERIFY2(std::abs(static_cast<double>(under) - 0xc0000) <= slack, formatHex(under).c_str());
        w.view()->fitToView();
        QCOMPARE(w.scene()->laneLength(), w.scene()->fitLength());
    }

    void middleButtonAndSpaceDragPan() {
        Window w("zephyr-flash-map");
        const Layout before = w.layout();
        w.zoomSectors("flash0", 0x1000, 20);
        w.centreOn("flash0", 0x80000);
        QScrollBar* bar = w.view()->verticalScrollBar();
        const int start = bar->value();
        const QPoint p = w.at("flash0", 0x80000);
        QTest::mousePress(w.viewport(), Qt::MiddleButton, {}, p);
        QTest::mouseMove(w.viewport(), p - QPoint(0, 50));
        QTest::mouseRelease(w.viewport(), Qt::MiddleButton, {}, p - QPoint(0, 50));
        QCOMPARE(bar->value(), start + 50);

        w.view()->setFocus();
        QTest::keyPress(w.view(), Qt::Key_Space);
        w.drag(p, p + QPoint(0, 80), 4);
        QTest::keyRelease(w.view(), Qt::Key_Space);
        QCOMPARE(bar->value(), start - 30);
        QVERIFY(w.layout() == before); // panning over a partition does not move it
    }

    void statusBarShowsTheAddressUnderTheCursor() {
        Window w("wolfboot-stm32f407");
        auto* hover = w.window->findChild<QLabel*>(QStringLiteral("hoverLabel"));
        QVERIFY(hover);
        w.zoomSectors("flash0", 0x4000, 30);
        w.centreOn("flash0", 0x6000);
        QTest::mouseMove(w.viewport(), w.at("flash0", 0x6000) + QPoint(0, 1));
        QVERIFY2(hover->text().contains(QStringLiteral("CPU 0x0800")), qPrintable(hover->text()));
        QVERIFY2(hover->text().contains(QStringLiteral("sector 1: 0x4000, 16 KiB")),
                 qPrintable(hover->text()));
        QVERIFY(hover->text().contains(QStringLiteral("wolfboot")));
    }
};

QTEST_MAIN(TestFlashMapDrag)
#include "tst_flashmapdrag.moc"
