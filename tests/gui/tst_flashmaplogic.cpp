// SPDX-License-Identifier: Apache-2.0
// The map's arithmetic without a window: lane geometry, snapping, the drop check, ruler ticks, the status
// bar's address text, and the edits' command names and merging.
#include "commands/LayoutEdits.h"
#include "db/ExampleLayouts.h"
#include "document/LayoutDocument.h"
#include "views/flashmap/AddressInfo.h"
#include "views/flashmap/LaneGeometry.h"
#include "views/flashmap/PlacementCheck.h"
#include "views/flashmap/RulerTicks.h"
#include "views/flashmap/Snapping.h"

#include <QUndoStack>
#include <QtTest>

using namespace flashplan;
using namespace flashplan::gui;

class TestFlashMapLogic : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();

    static SectorMap stm32f407() { return *SectorMap::parse("4x16K, 1x64K, 7x128K"); }

private slots:
    void laneMapsOffsetsToHeightsBothWays() {
        LaneGeometry g;
        g.device.sectors = *SectorMap::uniform(256, 0x1000);
        g.top = 10;
        g.length = 512; // 2 KiB a pixel
        QCOMPARE(g.yOf(0), 10.0);
        QCOMPARE(g.yOf(0x100000), 522.0);
        QCOMPARE(g.offsetAt(10 + 8), quint64(0x4000));
        QCOMPARE(g.offsetAt(-100), quint64(0));
        QCOMPARE(g.offsetAt(1e9), quint64(0x100000));
        // A partition is never thinner than a pixel.
        QCOMPARE(g.partitionRect(0, 16, 0).height(), 1.0);
    }

    void edgesSnapToSectorsOrToANeighbourWithinReach() {
        const SectorMap map = stm32f407();
        SnapTargets t;
        t.sectors = &map;
        t.bytesPerPixel = 1024;
        t.reachPixels = 8;
        QCOMPARE(snapEdge(t, 0x5000), quint64(0x4000));
        QCOMPARE(snapEdge(t, 0x7000), quint64(0x8000));
        QCOMPARE(snapEdge(t, 0x21000), quint64(0x20000)); // in a 128 KiB sector
        QCOMPARE(snapEdge(t, 0x2000000), quint64(0x100000));
        t.edges = {0x5800};
        QCOMPARE(snapEdge(t, 0x5000), quint64(0x5800)); // 2 KiB = 2 px away: the neighbour wins
        t.edges = {0x9000};
        QCOMPARE(snapEdge(t, 0x5000), quint64(0x4000)); // 16 px away: out of reach
        t.fine = true;
        t.writeBlock = 4;
        t.edges.clear();
        QCOMPARE(snapEdge(t, 0x5003), quint64(0x5004));
    }

    void blocksKeepBothEdgesOnBoundariesWhereTheyCan() {
        const SectorMap map = stm32f407();
        SnapTargets t;
        t.sectors = &map;
        t.bytesPerPixel = 1024;
        // 64 KiB dropped at 0x3000: starting at 0 it would end mid-sector (0x10000 is a boundary, fine);
        // starting at 0x4000 it would end at 0x14000, inside the 64 KiB sector.
        QCOMPARE(snapBlock(t, 0x3000, 0x10000), quint64(0x0));
        QVERIFY(map.isBoundary(snapBlock(t, 0x9000, 0x10000) + 0x10000));
        // 128 KiB near 0x30000 goes to 0x20000 (the 128 KiB sectors start there).
        QCOMPARE(snapBlock(t, 0x30000, 0x20000), quint64(0x20000));
        // Never past the end of the device.
        QCOMPARE(snapBlock(t, 0x200000, 0x20000), quint64(0xe0000));
        // The end edge snaps to a neighbour's start.
        t.edges = {0x80000};
        QCOMPARE(snapBlock(t, 0x5f000 + 0x800, 0x20000), quint64(0x60000));
    }

    void aDropIsRefusedOnlyForWhatItWouldAdd() {
        const Layout l = *ExampleLayouts::load("zephyr-flash-map", db_);
        const std::size_t slot1 = static_cast<std::size_t>(l.indexOf("slot1_partition"));
        Partition p = l.partitions[slot1];
        p.offset = 0x70000;
        const auto conflict = placementConflict(l, slot1, p);
        QVERIFY(conflict);
        QVERIFY(conflict->find("overlap") != std::string::npos);
        p.offset = 0xf0000; // past the end of flash0
        QVERIFY(placementConflict(l, slot1, p));
        p.device = "mx25r64";
        p.offset = 0x10000;
        QVERIFY(!placementConflict(l, slot1, p));
        // A new partition over free space is fine, over slot0 it is not.
        Partition fresh;
        fresh.label = "x";
        fresh.device = "flash0";
        fresh.offset = 0x10000;
        fresh.size = 0x4000;
        QVERIFY(!placementConflict(l, l.partitions.size(), fresh));
        fresh.offset = 0x30000;
        QVERIFY(placementConflict(l, l.partitions.size(), fresh));
        // An overlap that was there before the drag does not block moving the partition.
        Layout broken = l;
        broken.partitions[slot1].offset = 0x70000;
        p = broken.partitions[slot1];
        p.offset = 0x71000;
        QVERIFY(!placementConflict(broken, slot1, p));
    }

    void rulerTicksArePowersOfTwoAndNeverCrowd() {
        const RulerTicks t = rulerTicks(2048, 40, 6); // 40 px at 2 KiB/px: 80 KiB -> 128 KiB
        QCOMPARE(t.major, quint64(0x20000));
        QVERIFY(t.minor > 0 && t.major % t.minor == 0);
        QVERIFY(static_cast<double>(t.minor) / 2048 >= 6);
        QCOMPARE(rulerTicks(0.01, 40, 6).major, quint64(1));
    }

    void statusTextNamesOffsetCpuAddressAndSector() {
        const Board* f4 = db_.find("stm32f4_disco");
        QVERIFY(f4);
        const QString text = describeAddress(f4->devices[0], 0x21234);
        QVERIFY2(text.contains(QStringLiteral("flash0 +0x21234")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CPU 0x08021234")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("sector 5: 0x20000, 128 KiB")), qPrintable(text));
        const Board* nrf = db_.find("nrf52840dk_nrf52840");
        QVERIFY(describeAddress(nrf->devices[1], 0x1000).contains(QStringLiteral("XIP 0x12001000")));
        QVERIFY(describeDevice(nrf->devices[1]).contains(QStringLiteral("2048 × 4 KiB")));
    }

    void editsHaveReadableNamesAndNudgesMerge() {
        LayoutDocument doc;
        doc.reset(*ExampleLayouts::load("nrf52840-mcuboot-external", db_), QString(), QStringLiteral("x"));
        const Layout before = doc.layout();
        const std::size_t slot1 = static_cast<std::size_t>(before.indexOf("slot1_partition"));
        edits::nudgePartitions(doc, {slot1}, 1);
        edits::nudgePartitions(doc, {slot1}, 1);
        QCOMPARE(doc.undoStack()->count(), 1);
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Move slot1_partition to 0x2000"));
        edits::nudgePartitions(doc, {slot1}, -5); // stops at the start of the device
        QCOMPARE(doc.layout().partitions[slot1].offset, quint64(0));
        QCOMPARE(doc.undoStack()->count(), 1);
        const std::size_t littlefs = static_cast<std::size_t>(before.indexOf("littlefs_storage"));
        edits::nudgePartitions(doc, {littlefs}, 1); // it ends at the end of the device: nothing
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QVERIFY(doc.layout() == before);

        edits::resizePartition(doc, slot1, 0, 0x20000);
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Resize slot1_partition to 128 KiB"));
        const int steps = doc.undoStack()->count();
        edits::resizePartition(doc, slot1, 0, 0x20000); // no change, no command
        QCOMPARE(doc.undoStack()->count(), steps);
        QCOMPARE(edits::uniqueLabel(doc.layout(), "slot1_partition"), std::string("slot1_partition_2"));
        QVERIFY(doc.isModified());
    }
};

QTEST_MAIN(TestFlashMapLogic)
#include "tst_flashmaplogic.moc"
