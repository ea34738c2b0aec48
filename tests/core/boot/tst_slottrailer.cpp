// SPDX-License-Identifier: Apache-2.0
// The trailer of a slot partition of an example layout: the bridge from a Layout to core/boot.
#include "boot/SlotTrailer.h"
#include "db/DeviceDatabase.h"
#include "db/ExampleLayouts.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::mcuboot;

namespace {

std::size_t indexOf(const Layout& l, const std::string& label) {
    for (std::size_t i = 0; i < l.partitions.size(); ++i)
        if (l.partitions[i].label == label)
            return i;
    qFatal("no partition %s", label.c_str());
}

} // namespace

class TestSlotTrailer : public QObject {
    Q_OBJECT
    DeviceDatabase db_ = *DeviceDatabase::builtin();

    Layout example(const char* name) { return *ExampleLayouts::load(name, db_); }

    SlotTrailer slotOf(const Layout& l, const std::string& label) {
        auto s = slotTrailer(l, indexOf(l, label));
        if (!s || !*s)
            qFatal("%s has no trailer", label.c_str());
        return **s;
    }

private slots:
    // zephyr-flash-map: swap-using-scratch on the nRF52840's internal flash (4-byte write blocks), two
    // 0x60000 slots and a 0x20000 scratch.
    void scratchExample() {
        const Layout l = example("zephyr-flash-map");
        const SlotTrailer primary = slotOf(l, "slot0_partition");
        QVERIFY(primary.isPrimary());
        QCOMPARE(primary.mode, UpgradeMode::SwapUsingScratch);
        QCOMPARE(primary.primary, indexOf(l, "slot0_partition"));
        QCOMPARE(primary.secondary, indexOf(l, "slot1_partition"));
        QCOMPARE(primary.trailer.config.writeSize, quint64(4));
        QCOMPARE(primary.trailer.config.maxAlign, quint64(8));
        // boot_trailer_sz(4) = 128 * 3 * 4 + 48 = 0x630.
        QCOMPARE(primary.trailer.trailerStart, quint64(0x60000 - 0x630));
        QCOMPARE(primary.trailer.areaStart, primary.trailer.trailerStart);
        QCOMPARE(primary.erasedValue, std::uint8_t(0xff));
        QCOMPARE(primary.writeAlign, quint64(4));
        QCOMPARE(primary.compatibility, Compatibility::Compatible);
        const SlotTrailer secondary = slotOf(l, "slot1_partition");
        QVERIFY(!secondary.isPrimary());
        QCOMPARE(secondary.partition, indexOf(l, "slot1_partition"));
        QCOMPARE(secondary.trailer.trailerStart, primary.trailer.trailerStart);
    }

    // nrf52840-mcuboot-external: swap-using-move with BOOT_MAX_IMG_SECTORS 256, the secondary on QSPI.
    void moveExampleAcrossDevices() {
        const Layout l = example("nrf52840-mcuboot-external");
        const SlotTrailer primary = slotOf(l, "slot0_partition");
        QCOMPARE(primary.mode, UpgradeMode::SwapUsingMove);
        QCOMPARE(primary.trailer.config.maxImgSectors, quint64(256));
        // 256 * 3 * 4 + 48 = 0xc30, from the end of each slot.
        QCOMPARE(primary.trailer.trailerStart, quint64(0xeb000 - 0xc30));
        const SlotTrailer secondary = slotOf(l, "slot1_partition");
        QCOMPARE(secondary.trailer.slotSize, quint64(0xea000));
        QCOMPARE(secondary.trailer.trailerStart, quint64(0xea000 - 0xc30));
        QCOMPARE(secondary.writeAlign, quint64(4));
        QCOMPARE(secondary.compatibility, Compatibility::Compatible);
    }

    void otherPartitionsHaveNone() {
        const Layout l = example("zephyr-flash-map");
        for (const char* label : {"boot_partition", "storage_partition", "scratch_partition"}) {
            const auto s = slotTrailer(l, indexOf(l, label));
            QVERIFY(s);
            QVERIFY(!*s);
        }
        QVERIFY(!*slotTrailer(l, 99));
        const Layout wolf = example("wolfboot-stm32f407");
        for (std::size_t i = 0; i < wolf.partitions.size(); ++i)
            QVERIFY(!*slotTrailer(wolf, i));
    }

    void incompatibleSlotsAreSaid() {
        Layout l = example("zephyr-flash-map");
        l.partitions[indexOf(l, "scratch_partition")].size = 0x800; // smaller than a 4 KiB sector
        QCOMPARE(slotOf(l, "slot0_partition").compatibility, Compatibility::NotAllFitScratch);
    }

    void settingsBootutilCannotUse() {
        Layout l = example("zephyr-flash-map");
        l.bootloader.settings.push_back({"MCUBOOT_BOOT_MAX_ALIGN", "64"});
        const auto s = slotTrailer(l, indexOf(l, "slot1_partition"));
        QVERIFY(!s);
        QCOMPARE(s.error().code, Errc::InvalidArgument);
        QCOMPARE(s.error().field, std::string("slot1_partition"));
    }
};

QTEST_APPLESS_MAIN(TestSlotTrailer)
#include "tst_slottrailer.moc"
