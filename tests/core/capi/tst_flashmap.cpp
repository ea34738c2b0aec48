// SPDX-License-Identifier: Apache-2.0
// One test per flash_area function and per error code it documents.
#include "capi/FlashMap.h"

#include <QtTest>

#include <cerrno>
#include <cstring>
#include <vector>

extern "C" int flashplan_c_write_first_sector(uint8_t id, const uint8_t* data, size_t len);
extern "C" int flashplan_c_count_areas(void);

using namespace flashplan;

namespace {

// Area ids (= partition indexes) of the test layout.
enum : std::uint8_t { kBoot, kStorage, kSlot0, kSlot1, kOdd, kNoDriver, kRram };

FlashDevice flashDevice(const char* id, const char* runs, std::uint32_t wbs) {
    FlashDevice d;
    d.id = id;
    d.sectors = *SectorMap::parse(runs);
    d.writeBlockSize = wbs;
    return d;
}

Partition part(const char* label, const char* dev, std::uint64_t off, std::uint64_t size) {
    Partition p;
    p.label = label;
    p.device = dev;
    p.offset = off;
    p.size = size;
    return p;
}

// The Zephyr flash_map example on a 1 MiB 4K-page flash, plus an external 64K-sector flash, a device
// with no driver bound, and an RRAM-like device without erase whose erased bytes read 0x00.
Layout testLayout() {
    Layout l;
    l.board.id = "test";
    l.board.devices = {flashDevice("flash0", "256x4K", 4), flashDevice("ext0", "16x64K", 1),
                       flashDevice("nodrv", "16x4K", 4), flashDevice("rram0", "64x4K", 16)};
    l.board.devices[3].eraseRequired = false;
    l.board.devices[3].eraseValue = 0x00;
    l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000),
                    part("storage_partition", "flash0", 0x1e000, 0x2000),
                    part("slot0_partition", "flash0", 0x20000, 0x60000),
                    part("slot1_partition", "ext0", 0x0, 0x60000),
                    part("odd_partition", "flash0", 0x81800, 0x2000),
                    part("orphan_partition", "nodrv", 0x0, 0x4000),
                    part("rram_partition", "rram0", 0x1000, 0x2000)};
    return l;
}

} // namespace

class TestFlashMap : public QObject {
    Q_OBJECT

    std::unique_ptr<FlashMap> map_;
    std::vector<std::unique_ptr<FlashSimulator>> sims_;

    const flash_area* open(std::uint8_t id) {
        const flash_area* fa = nullptr;
        const int rc = flash_area_open(id, &fa);
        if (rc != 0)
            qFatal("flash_area_open(%d) = %d", id, rc);
        return fa;
    }

private slots:
    void init() {
        const Layout l = testLayout();
        sims_.clear();
        FlashMap::Drivers drivers;
        for (const FlashDevice& d : l.board.devices) {
            if (d.id == "nodrv")
                continue;
            sims_.push_back(FlashSimulator::inRam(d));
            drivers[d.id] = sims_.back().get();
        }
        auto m = FlashMap::build(l, drivers);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
        map_ = std::move(*m);
        installFlashMap(map_.get());
    }
    void cleanup() { installFlashMap(nullptr); }

    // flash_area_open
    void openReturnsTheArea() {
        const flash_area* fa = nullptr;
        QCOMPARE(flash_area_open(kSlot0, &fa), 0);
        QVERIFY(fa);
        QCOMPARE(fa->fa_id, std::uint8_t(kSlot0));
        QCOMPARE(fa->fa_off, off_t(0x20000));
        QCOMPARE(fa->fa_size, size_t(0x60000));
        QCOMPARE(QString(fa->fa_label), QString("slot0_partition"));
    }
    void openUnknownIdIsENOENTAndNullsTheOutPointer() {
        const flash_area* fa = reinterpret_cast<const flash_area*>(0x1);
        QCOMPARE(flash_area_open(42, &fa), -ENOENT);
        QCOMPARE(fa, nullptr);
    }
    void openWithoutFlashMapIsEACCES() {
        installFlashMap(nullptr);
        const flash_area* fa = reinterpret_cast<const flash_area*>(0x1);
        QCOMPARE(flash_area_open(kBoot, &fa), -EACCES);
        QCOMPARE(fa, nullptr);
    }
    void openWithoutDriverIsENODEV() {
        const flash_area* fa = reinterpret_cast<const flash_area*>(0x1);
        QCOMPARE(flash_area_open(kNoDriver, &fa), -ENODEV);
        QCOMPARE(fa, nullptr);
    }
    void openWithNullOutIsEINVAL() { QCOMPARE(flash_area_open(kBoot, nullptr), -EINVAL); }

    // flash_area_close
    void closeKeepsTheAreaUsable() {
        const flash_area* fa = open(kStorage);
        flash_area_close(fa);
        flash_area_close(nullptr);
        std::uint8_t b = 0;
        QCOMPARE(flash_area_read(fa, 0, &b, 1), 0);
    }

    // flash_area_read / flash_area_write
    void writeThenReadIsAreaRelative() {
        const flash_area* fa = open(kSlot0);
        const std::uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        QCOMPARE(flash_area_write(fa, 0x100, data, sizeof data), 0);
        std::uint8_t back[8] = {};
        QCOMPARE(flash_area_read(fa, 0x100, back, sizeof back), 0);
        QCOMPARE(std::memcmp(back, data, sizeof data), 0);
        // Offset 0x100 of slot0 is device offset 0x20100.
        std::vector<std::uint8_t> raw(8);
        QVERIFY(map_->driver("flash0")->read(0x20100, raw).ok());
        QCOMPARE(std::memcmp(raw.data(), data, sizeof data), 0);
    }
    void readOutsideTheAreaIsEINVAL() {
        const flash_area* fa = open(kStorage); // 0x2000 bytes
        std::uint8_t buf[16];
        QCOMPARE(flash_area_read(fa, 0x1ff8, buf, 16), -EINVAL);
        QCOMPARE(flash_area_read(fa, -1, buf, 1), -EINVAL);
        QCOMPARE(flash_area_read(fa, 0x2000, buf, 1), -EINVAL);
        QCOMPARE(flash_area_read(fa, 0x1ff0, buf, 16), 0);
        QCOMPARE(flash_area_read(fa, 0x2000, buf, 0), 0); // empty read at the very end is inside
        QCOMPARE(flash_area_read(nullptr, 0, buf, 1), -EINVAL);
        QCOMPARE(flash_area_read(fa, 0, nullptr, 1), -EINVAL);
    }
    void offPlusLenOverflowIsEINVAL() {
        const flash_area* fa = open(kSlot0);
        std::uint8_t b = 0;
        // off + len wraps around: Zephyr's off + len <= size would let this through.
        QCOMPARE(flash_area_read(fa, 0x10, &b, SIZE_MAX - 0x8), -EINVAL);
        QCOMPARE(flash_area_write(fa, 0x10, &b, SIZE_MAX - 0x8), -EINVAL);
        QCOMPARE(flash_area_erase(fa, 0x1000, SIZE_MAX - 0xfff), -EINVAL);
        QCOMPARE(flash_area_flatten(fa, 0x1000, SIZE_MAX - 0xfff), -EINVAL);
    }
    void writeOutsideTheAreaIsEINVALAndTouchesNothing() {
        const flash_area* slot0 = open(kSlot0);
        const std::vector<std::uint8_t> zeros(8, 0);
        // Last 4 bytes of slot0 + 4 bytes of what follows it on the device: refused whole.
        QCOMPARE(flash_area_write(slot0, 0x5fffc, zeros.data(), zeros.size()), -EINVAL);
        std::vector<std::uint8_t> raw(8);
        QVERIFY(map_->driver("flash0")->read(0x7fffc, raw).ok());
        QCOMPARE(raw, std::vector<std::uint8_t>(8, 0xff));
    }
    void unalignedWriteIsEINVAL() {
        const flash_area* fa = open(kSlot0); // write block 4
        const std::uint8_t data[4] = {};
        QCOMPARE(flash_area_write(fa, 2, data, 4), -EINVAL);
        QCOMPARE(flash_area_write(fa, 0, data, 3), -EINVAL);
        QCOMPARE(flash_area_write(nullptr, 0, data, 4), -EINVAL);
        QCOMPARE(flash_area_write(fa, 0, nullptr, 4), -EINVAL);
    }
    void writingABitBackToOneIsEIO() {
        const flash_area* fa = open(kSlot0);
        const std::uint8_t zero[4] = {0, 0, 0, 0}, ones[4] = {0xff, 0, 0, 0};
        QCOMPARE(flash_area_write(fa, 0, zero, 4), 0);
        QCOMPARE(flash_area_write(fa, 0, ones, 4), -EIO);
    }
    void accessWithoutDriverIsENODEV() {
        const flash_area* fa = map_->find(kNoDriver); // cannot be opened; use the table entry directly
        QVERIFY(fa);
        std::uint8_t b[4] = {};
        QCOMPARE(flash_area_read(fa, 0, b, 4), -ENODEV);
        QCOMPARE(flash_area_write(fa, 0, b, 4), -ENODEV);
        QCOMPARE(flash_area_erase(fa, 0, 0x1000), -ENODEV);
        QCOMPARE(flash_area_flatten(fa, 0, 0x1000), -ENODEV);
    }

    // flash_area_erase
    void eraseSetsTheEraseValue() {
        const flash_area* fa = open(kStorage);
        const std::uint8_t zero[4] = {};
        QCOMPARE(flash_area_write(fa, 0x1000, zero, 4), 0);
        QCOMPARE(flash_area_erase(fa, 0x1000, 0x1000), 0);
        std::uint8_t b[4] = {};
        QCOMPARE(flash_area_read(fa, 0x1000, b, 4), 0);
        QCOMPARE(b[0], std::uint8_t(0xff));
        QCOMPARE(map_->driver("flash0")->eraseCount(0x1f), 1u);
    }
    void eraseOffSectorBoundaryIsEINVAL() {
        const flash_area* fa = open(kStorage);
        QCOMPARE(flash_area_erase(fa, 0x800, 0x1000), -EINVAL);
        QCOMPARE(flash_area_erase(fa, 0, 0x1800), -EINVAL);
        QCOMPARE(flash_area_erase(fa, 0, 0x3000), -EINVAL); // past the area
        QCOMPARE(flash_area_erase(nullptr, 0, 0x1000), -EINVAL);
    }
    void eraseOnADeviceWithoutEraseIsENOSYS() {
        const flash_area* fa = open(kRram);
        QCOMPARE(flash_area_erase(fa, 0, 0x1000), -ENOSYS);
    }

    // flash_area_flatten
    void flattenErasesNor() {
        const flash_area* fa = open(kSlot1);
        const std::uint8_t zero[1] = {0};
        QCOMPARE(flash_area_write(fa, 0, zero, 1), 0);
        QCOMPARE(flash_area_flatten(fa, 0, 0x10000), 0);
        QCOMPARE(map_->driver("ext0")->eraseCount(0), 1u);
        std::uint8_t b = 0;
        QCOMPARE(flash_area_read(fa, 0, &b, 1), 0);
        QCOMPARE(b, std::uint8_t(0xff));
    }
    void flattenFillsDevicesWithoutErase() {
        const flash_area* fa = open(kRram);
        std::vector<std::uint8_t> data(16, 0xab);
        QCOMPARE(flash_area_write(fa, 0, data.data(), data.size()), 0);
        QCOMPARE(flash_area_flatten(fa, 0, 0x2000), 0);
        std::uint8_t b = 0xff;
        QCOMPARE(flash_area_read(fa, 0, &b, 1), 0);
        QCOMPARE(b, std::uint8_t(0x00));
        QCOMPARE(flash_area_flatten(fa, 0, 8), -EINVAL); // fill honours the 16-byte write block
        QCOMPARE(flash_area_flatten(fa, 0, 0x3000), -EINVAL);
    }

    // flash_area_align
    void alignIsTheWriteBlockSize() {
        QCOMPARE(flash_area_align(open(kSlot0)), 4u);
        QCOMPARE(flash_area_align(open(kSlot1)), 1u);
        QCOMPARE(flash_area_align(open(kRram)), 16u);
        QCOMPARE(flash_area_align(nullptr), 0u);
    }

    // flash_area_get_sectors / flash_area_sectors
    void getSectorsListsTheAreaRelativeToItsStart() {
        flash_sector s[200];
        uint32_t count = 200;
        QCOMPARE(flash_area_get_sectors(kSlot0, &count, s), 0);
        QCOMPARE(count, 96u);
        QCOMPARE(s[0].fs_off, off_t(0));
        QCOMPARE(s[0].fs_size, size_t(4096));
        QCOMPARE(s[95].fs_off, off_t(0x5f000));
        count = 200;
        QCOMPARE(flash_area_get_sectors(kSlot1, &count, s), 0);
        QCOMPARE(count, 6u);
        QCOMPARE(s[5].fs_off, off_t(0x50000));
        QCOMPARE(s[5].fs_size, size_t(0x10000));
    }
    void getSectorsThatDoNotFitIsENOMEM() {
        flash_sector s[8];
        uint32_t count = 8;
        QCOMPARE(flash_area_get_sectors(kSlot0, &count, s), -ENOMEM);
        QCOMPARE(count, 8u); // unchanged on failure
        count = 2;
        QCOMPARE(flash_area_get_sectors(kStorage, &count, s), 0); // exactly enough
        QCOMPARE(count, 2u);
    }
    void getSectorsOfAnAreaThatCannotBeOpenedIsEINVAL() {
        flash_sector s[4];
        uint32_t count = 4;
        QCOMPARE(flash_area_get_sectors(99, &count, s), -EINVAL);
        QCOMPARE(flash_area_get_sectors(kNoDriver, &count, s), -EINVAL);
        QCOMPARE(flash_area_get_sectors(-1, &count, s), -EINVAL);
        QCOMPARE(flash_area_get_sectors(kSlot0, nullptr, s), -EINVAL);
        installFlashMap(nullptr);
        QCOMPARE(flash_area_get_sectors(kSlot0, &count, s), -EINVAL);
    }
    void getSectorsOfAMisalignedAreaFollowsZephyr() {
        // odd_partition is 0x81800..0x83800: the sector at 0x81000 starts before it and is skipped; the
        // ones at 0x82000 and 0x83000 start inside and are listed whole, the last reaching past its end.
        flash_sector s[4];
        uint32_t count = 4;
        QCOMPARE(flash_area_get_sectors(kOdd, &count, s), 0);
        QCOMPARE(count, 2u);
        QCOMPARE(s[0].fs_off, off_t(0x800));
        QCOMPARE(s[1].fs_off, off_t(0x1800));
        QCOMPARE(s[1].fs_size, size_t(0x1000));
    }
    void sectorsTakesAnOpenArea() {
        flash_sector s[4];
        uint32_t count = 4;
        QCOMPARE(flash_area_sectors(open(kStorage), &count, s), 0);
        QCOMPARE(count, 2u);
        QCOMPARE(s[1].fs_off, off_t(0x1000));
        QCOMPARE(flash_area_sectors(map_->find(kNoDriver), &count, s), -ENODEV);
        QCOMPARE(flash_area_sectors(nullptr, &count, s), -EINVAL);
    }

    // flash_area_foreach
    void foreachVisitsEveryAreaInIdOrder() {
        std::vector<int> ids;
        flash_area_foreach([](const flash_area* fa,
                              void* user) { static_cast<std::vector<int>*>(user)->push_back(fa->fa_id); },
                           &ids);
        QCOMPARE(ids, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
        installFlashMap(nullptr);
        ids.clear();
        flash_area_foreach(
            [](const flash_area*, void* user) { static_cast<std::vector<int>*>(user)->push_back(-1); }, &ids);
        QVERIFY(ids.empty());
        flash_area_foreach(nullptr, nullptr); // harmless
    }

    // flash_area_has_driver / flash_area_device_is_ready
    void hasDriverIsOneOrENODEV() {
        QCOMPARE(flash_area_has_driver(open(kBoot)), 1);
        QCOMPARE(flash_area_has_driver(map_->find(kNoDriver)), -ENODEV);
        QCOMPARE(flash_area_has_driver(nullptr), -ENODEV);
        QVERIFY(flash_area_device_is_ready(open(kBoot)));
        QVERIFY(!flash_area_device_is_ready(map_->find(kNoDriver)));
    }

    // flash_area_get_device
    void getDeviceNamesTheBoardDevice() {
        const device* dev = flash_area_get_device(open(kSlot1));
        QVERIFY(dev);
        QCOMPARE(QString(dev->name), QString("ext0"));
        QCOMPARE(flash_area_get_device(open(kBoot)), flash_area_get_device(open(kSlot0)));
        QCOMPARE(flash_area_get_device(nullptr), nullptr);
    }

    // flash_area_erased_val
    void erasedValComesFromTheDevice() {
        QCOMPARE(flash_area_erased_val(open(kBoot)), std::uint8_t(0xff));
        QCOMPARE(flash_area_erased_val(open(kRram)), std::uint8_t(0x00));
    }

    // flash_area_label
    void labelIsThePartitionLabel() {
        QCOMPARE(QString(flash_area_label(open(kSlot1))), QString("slot1_partition"));
        QCOMPARE(flash_area_label(nullptr), nullptr);
    }

    // The API from C.
    void cCodeDrivesTheApi() {
        const std::uint8_t data[8] = {0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3};
        QCOMPARE(flashplan_c_write_first_sector(kSlot0, data, sizeof data), 0);
        QCOMPARE(flashplan_c_count_areas(), 7);
        QCOMPARE(flashplan_c_write_first_sector(77, data, sizeof data), -ENOENT);
    }

    // Building and installing.
    void buildRefusesLayoutsTheApiCannotServe() {
        Layout l = testLayout();
        l.partitions.push_back(part("lost", "nosuch", 0, 0x1000));
        const auto r = FlashMap::withRamSimulators(l);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("lost") != std::string::npos);

        Layout big = testLayout();
        big.partitions.resize(257, part("p", "flash0", 0, 0x1000));
        QCOMPARE(FlashMap::withRamSimulators(big).error().code, Errc::OutOfRange);

        Layout wrongGeometry = testLayout();
        auto sim = FlashSimulator::inRam(flashDevice("flash0", "128x8K", 4));
        const FlashMap::Drivers drivers{{"flash0", sim.get()}};
        QCOMPARE(FlashMap::build(wrongGeometry, drivers).error().code, Errc::InvalidArgument);
    }
    void scopedInstallRestoresThePreviousMap() {
        auto other = FlashMap::withRamSimulators(testLayout());
        QVERIFY(other.ok());
        {
            ScopedFlashMap scope(other->get());
            QCOMPARE(installedFlashMap(), other->get());
        }
        QCOMPARE(installedFlashMap(), map_.get());
    }
};

QTEST_APPLESS_MAIN(TestFlashMap)
#include "tst_flashmap.moc"
