// SPDX-License-Identifier: Apache-2.0
// A C flash map exported by flashplan-cli at build time (tests/core/io/CMakeLists.txt), compiled as C into
// this test, then served by the flash_area API: every area opens and matches the layout it came from.
#include "capi/FlashMap.h"
#include "db/ExampleLayouts.h"
#include "io/Format.h"

#include "exported_flash_map.h" // generated from the nrf52840-mcuboot-external example

#include <QtTest>

#include <cerrno>
#include <cstring>

using namespace flashplan;

class TestCFlashMap : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();
    Layout layout_ = *ExampleLayouts::load("nrf52840-mcuboot-external", db_);

private slots:
    void macrosMatchTheLayout() {
        QCOMPARE(FLASH_MAP_ENTRIES, int(layout_.partitions.size()));
        QCOMPARE(SLOT0_PARTITION_ID, 1);
        QCOMPARE(quint64(SLOT0_PARTITION_OFFSET), layout_.partitions[1].offset);
        QCOMPARE(quint64(SLOT0_PARTITION_SIZE), layout_.partitions[1].size);
        QCOMPARE(quint64(SLOT0_PARTITION_ADDRESS), quint64(0xc000));
        QCOMPARE(QString(SLOT1_PARTITION_DEVICE), QString("mx25r64"));
        // Zephyr's spelling of the same facts.
        QCOMPARE(FIXED_PARTITION_ID(slot1_partition), 3);
        QCOMPARE(quint64(FIXED_PARTITION_OFFSET(littlefs_storage)), quint64(0x100000));
        QCOMPARE(quint64(FIXED_PARTITION_SIZE(storage_partition)), quint64(0x9000));
    }

    void theTableIsZephyrsArrayForm() {
        QCOMPARE(flash_map_entries, FLASH_MAP_ENTRIES);
        QCOMPARE(flash_map, &default_flash_map[0]);
        QCOMPARE(QString(default_flash_map[3].fa_dev->name), QString("mx25r64"));
    }

    void everyAreaOpensThroughTheApi() {
        std::vector<std::unique_ptr<FlashSimulator>> sims;
        FlashMap::Drivers drivers;
        for (const FlashDevice& d : layout_.board.devices) {
            sims.push_back(FlashSimulator::inRam(d));
            drivers[d.id] = sims.back().get();
        }
        auto map = FlashMap::fromAreas(std::span(default_flash_map, std::size_t(flash_map_entries)),
                                       layout_.board, drivers);
        QVERIFY2(map.ok(), map.ok() ? "" : map.error().message.c_str());
        ScopedFlashMap installed(map->get());
        for (std::size_t i = 0; i < layout_.partitions.size(); ++i) {
            const Partition& p = layout_.partitions[i];
            const flash_area* fa = nullptr;
            QCOMPARE(flash_area_open(std::uint8_t(i), &fa), 0);
            QCOMPARE(quint64(fa->fa_off), p.offset);
            QCOMPARE(quint64(fa->fa_size), p.size);
            QCOMPARE(QString(flash_area_label(fa)), QString::fromStdString(p.label));
            QCOMPARE(QString(flash_area_get_device(fa)->name), QString::fromStdString(p.device));
            // Write the last write block of the area and find it at the right device offset.
            const std::uint32_t align = flash_area_align(fa);
            std::vector<std::uint8_t> data(align, std::uint8_t(0x40 + i));
            QCOMPARE(flash_area_write(fa, off_t(p.size - align), data.data(), data.size()), 0);
            std::vector<std::uint8_t> raw(align);
            QVERIFY(map->get()->driver(p.device)->read(p.end() - align, raw).ok());
            QCOMPARE(raw, data);
        }
        const flash_area* none = nullptr;
        QCOMPARE(flash_area_open(std::uint8_t(layout_.partitions.size()), &none), -ENOENT);
    }

    void fromAreasRefusesWhatItCannotServe() {
        flash_area bad[2] = {default_flash_map[0], default_flash_map[1]};
        bad[1].fa_id = bad[0].fa_id;
        QCOMPARE(FlashMap::fromAreas(bad, layout_.board, {}).error().code, Errc::InvalidArgument);
        const device stranger{"nor9", nullptr};
        bad[1] = default_flash_map[1];
        bad[1].fa_dev = &stranger;
        QCOMPARE(FlashMap::fromAreas(bad, layout_.board, {}).error().code, Errc::NotFound);
        bad[1] = default_flash_map[1];
        bad[1].fa_size = 0x200000; // past the end of the 1 MiB flash0
        QCOMPARE(FlashMap::fromAreas(bad, layout_.board, {}).error().code, Errc::OutOfRange);
    }

    void exportRefusesLabelsThatAreNotIdentifiers() {
        Layout l = layout_;
        l.partitions[0].label = "boot-partition";
        const auto r = findFormat("c-flash-map")->exporter->write(l, "x.c", {});
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("boot-partition") != std::string::npos);
        l.partitions[0].label = "SLOT0_partition"; // SLOT0_PARTITION twice
        QVERIFY(!findFormat("c-flash-map")->exporter->write(l, "x.c", {}).ok());
    }

    void exportWritesTheHeaderBesideTheSource() {
        const auto files = findFormat("c-flash-map")->exporter->write(layout_, "out/map.h", {});
        QVERIFY(files.ok());
        QCOMPARE(files->size(), std::size_t(2));
        QCOMPARE((*files)[0].path, std::filesystem::path("out/map.c"));
        QCOMPARE((*files)[1].path, std::filesystem::path("out/map.h"));
        QVERIFY((*files)[0].text.find("#include \"map.h\"") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestCFlashMap)
#include "tst_cflashmap.moc"
