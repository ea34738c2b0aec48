// SPDX-License-Identifier: Apache-2.0
// freeRanges: the free space the editor hatches and generic.free-space lists, from one computation.
#include "model/FreeSpace.h"
#include "model/Platform.h"

#include <QtTest>

#include <tuple>

using namespace flashplan;

namespace {

/// A board with one 1 MiB device of 4 KiB sectors, flash0.
Layout oneMiB() {
    Layout l;
    FlashDevice d;
    d.id = "flash0";
    d.sectors = *SectorMap::uniform(256, 0x1000);
    l.board.devices.push_back(d);
    return l;
}

/// Partitions of flash0, one per (label, offset, size) row.
std::vector<Partition>
parts(std::initializer_list<std::tuple<const char*, std::uint64_t, std::uint64_t>> rows) {
    std::vector<Partition> out;
    for (const auto& [label, offset, size] : rows) {
        Partition& p = out.emplace_back();
        std::tie(p.label, p.device, p.offset, p.size) = std::tuple(label, "flash0", offset, size);
    }
    return out;
}

/// "from..to[before,after]" for each range, for readable comparisons.
QStringList describe(const std::vector<FreeRange>& ranges) {
    QStringList out;
    for (const FreeRange& r : ranges)
        out << QString("%1..%2[%3,%4]")
                   .arg(r.from, 0, 16)
                   .arg(r.to, 0, 16)
                   .arg(r.before ? QString::number(*r.before) : "-")
                   .arg(r.after ? QString::number(*r.after) : "-");
    return out;
}

} // namespace

class TestFreeSpace : public QObject {
    Q_OBJECT
private slots:
    void gapsBetweenPartitionsWithTheirNeighbours() {
        Layout l = oneMiB();
        // Out of order, one nested in another, one empty, one on another device.
        l.partitions = parts({{"b", 0x40000, 0x20000},
                              {"a", 0x10000, 0x10000},
                              {"a_child", 0x10000, 0x1000},
                              {"empty", 0x80000, 0},
                              {"elsewhere", 0x0, 0x10000}});
        l.partitions.back().device = "ext0";
        QCOMPARE(describe(freeRanges(l, l.board.devices[0])),
                 (QStringList{"0..10000[-,1]", "20000..40000[1,0]", "60000..100000[0,-]"}));
    }

    void aPartitionPastTheEndCoversWhatLiesOnTheDevice() {
        Layout l = oneMiB();
        // storage placed past the end of flash, as lpcxpresso55s06's: 0xf0000..0x110000 on a 1 MiB flash.
        l.partitions = parts({{"storage", 0xf0000, 0x20000}});
        QCOMPARE(describe(freeRanges(l, l.board.devices[0])), (QStringList{"0..f0000[-,0]"}));
        // All of it: no free byte. Sizes whose end passes 2^64 are clipped, not wrapped.
        l.partitions = parts({{"huge", 0x0, ~std::uint64_t(0)}});
        QVERIFY(freeRanges(l, l.board.devices[0]).empty());
        // One that starts past the end covers nothing.
        l.partitions = parts({{"beyond", 0x200000, 0x1000}});
        QCOMPARE(describe(freeRanges(l, l.board.devices[0])), (QStringList{"0..100000[-,-]"}));
    }

    void espIdfKeepsItsBootloaderAndTableArea() {
        Layout l = oneMiB();
        l.partitions = parts({{"nvs", 0x9000, 0x6000}, {"factory", 0x10000, 0x100000 - 0x10000}});
        // Any other platform: the first 36 KiB are free.
        QCOMPARE(describe(freeRanges(l, l.board.devices[0])),
                 (QStringList{"0..9000[-,0]", "f000..10000[0,1]"}));
        // ESP-IDF's second-stage bootloader and partition table (default offset 0x8000) are its own.
        l.platform = Platform::EspIdf;
        QCOMPARE(describe(freeRanges(l, l.board.devices[0])), (QStringList{"f000..10000[0,1]"}));
        // A partition_table row places the table: the area ends where the row starts.
        l.partitions = parts({{"table", 0x6000, 0x1000}, {"nvs", 0x9000, 0x6000}});
        l.partitions[0].properties.push_back({"esp-idf.type", "partition_table"});
        QCOMPARE(describe(freeRanges(l, l.board.devices[0])),
                 (QStringList{"7000..9000[0,1]", "f000..100000[1,-]"}));
    }
};

QTEST_APPLESS_MAIN(TestFreeSpace)
#include "tst_freespace.moc"
