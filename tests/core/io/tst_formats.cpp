// SPDX-License-Identifier: Apache-2.0
// The format registry and what importers share: detection, the native format, role names, inferred devices.
#include "db/ExampleLayouts.h"
#include "io/Format.h"
#include "io/LayoutFile.h"
#include "io/RoleNames.h"

#include <QtTest>

using namespace flashplan;

class TestFormats : public QObject {
    Q_OBJECT

    DeviceDatabase db_ = *DeviceDatabase::builtin();

private slots:
    void formatsAreSortedAndFoundByName() {
        const auto formats = allFormats();
        QVERIFY(!formats.empty());
        for (std::size_t i = 1; i < formats.size(); ++i)
            QVERIFY(formats[i - 1].name < formats[i].name);
        QVERIFY(findFormat("flashplan"));
        QVERIFY(!findFormat("word"));
    }

    void nativeFormatRoundTripsThroughTheInterface() {
        const Format* f = findFormat("flashplan");
        const Layout l = *ExampleLayouts::load("spark-core", db_);
        const auto files = f->exporter->write(l, "out.flashplan", {});
        QVERIFY(files.ok());
        QCOMPARE(files->size(), std::size_t(1));
        QCOMPARE(files->front().path, std::filesystem::path("out.flashplan"));
        ImportOptions options;
        options.db = &db_;
        const auto back = f->importer->read(files->front().text, "out.flashplan", options);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
        QVERIFY(back->layout == l);
        QVERIFY(back->notes.empty());
    }

    void detectionByContentAndName() {
        const std::string text = LayoutFile::serialize(*ExampleLayouts::load("spark-core", db_));
        QCOMPARE((*detectFormat(text, "whatever.txt"))->name, std::string_view("flashplan"));
        const auto none = detectFormat("hello", "notes.txt");
        QVERIFY(!none.ok());
        QCOMPARE(none.error().where.file, std::string("notes.txt"));
        QVERIFY(hasExtension(*findFormat("flashplan"), "A.FLASHPLAN"));
        QVERIFY(!hasExtension(*findFormat("flashplan"), "a.flashplan.bak"));
    }

    void roleNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("role");
        QTest::addColumn<int>("image");
        QTest::newRow("zephyr boot") << "boot_partition" << int(PartitionRole::Boot) << 0;
        QTest::newRow("pm mcuboot") << "mcuboot" << int(PartitionRole::Boot) << 0;
        QTest::newRow("slot0") << "slot0_partition" << int(PartitionRole::Slot0) << 0;
        QTest::newRow("slot1") << "slot1_partition" << int(PartitionRole::Slot1) << 0;
        QTest::newRow("slot2 is image 1") << "slot2_partition" << int(PartitionRole::Slot0) << 1;
        QTest::newRow("slot3 is image 1") << "slot3_partition" << int(PartitionRole::Slot1) << 1;
        QTest::newRow("label property") << "image-1" << int(PartitionRole::Slot1) << 0;
        QTest::newRow("scratch") << "image-scratch" << int(PartitionRole::Scratch) << 0;
        QTest::newRow("pm primary") << "mcuboot_primary" << int(PartitionRole::Slot0) << 0;
        QTest::newRow("pm secondary 1") << "mcuboot_secondary_1" << int(PartitionRole::Slot1) << 1;
        QTest::newRow("storage") << "storage_partition" << int(PartitionRole::Storage) << 0;
        QTest::newRow("case") << "Settings_Storage" << int(PartitionRole::Storage) << 0;
        QTest::newRow("unknown") << "factory_data" << int(PartitionRole::Custom) << 0;
        QTest::newRow("slot without number") << "slot_partition" << int(PartitionRole::Custom) << 0;
        QTest::newRow("pm pad") << "mcuboot_pad" << int(PartitionRole::Custom) << 0;
    }
    void roleNames() {
        QFETCH(QString, name);
        QFETCH(int, role);
        QFETCH(int, image);
        const RoleGuess g = roleFromName(name.toStdString());
        QCOMPARE(int(g.role), role);
        QCOMPARE(g.imageIndex, image);
    }

    void platformNames_data() {
        QTest::addColumn<int>("role");
        QTest::addColumn<int>("image");
        QTest::addColumn<QString>("zephyr");
        QTest::addColumn<QString>("pm");
        QTest::newRow("boot") << int(PartitionRole::Boot) << 0 << "boot_partition"
                              << "mcuboot";
        QTest::newRow("primary") << int(PartitionRole::Slot0) << 0 << "slot0_partition"
                                 << "mcuboot_primary";
        QTest::newRow("secondary") << int(PartitionRole::Slot1) << 0 << "slot1_partition"
                                   << "mcuboot_secondary";
        QTest::newRow("primary 1") << int(PartitionRole::Slot0) << 1 << "slot2_partition"
                                   << "mcuboot_primary_1";
        QTest::newRow("secondary 1") << int(PartitionRole::Slot1) << 1 << "slot3_partition"
                                     << "mcuboot_secondary_1";
        QTest::newRow("secondary 2") << int(PartitionRole::Slot1) << 2 << "slot5_partition"
                                     << "mcuboot_secondary_2";
        QTest::newRow("scratch") << int(PartitionRole::Scratch) << 0 << "scratch_partition"
                                 << "mcuboot_scratch";
        QTest::newRow("storage") << int(PartitionRole::Storage) << 0 << "storage_partition"
                                 << "settings_storage";
        QTest::newRow("one scratch") << int(PartitionRole::Scratch) << 1 << ""
                                     << "";
        QTest::newRow("custom") << int(PartitionRole::Custom) << 0 << ""
                                << "";
        QTest::newRow("wolfBoot swap") << int(PartitionRole::Swap) << 0 << ""
                                       << "";
    }
    void platformNames() {
        QFETCH(int, role);
        QFETCH(int, image);
        QFETCH(QString, zephyr);
        QFETCH(QString, pm);
        const auto r = static_cast<PartitionRole>(role);
        QCOMPARE(QString::fromStdString(platformName(r, image, NameScheme::Zephyr)), zephyr);
        QCOMPARE(QString::fromStdString(platformName(r, image, NameScheme::PartitionManager)), pm);
        // And each name reads back as its role and image.
        for (const QString& name : {zephyr, pm})
            if (!name.isEmpty()) {
                QCOMPARE(int(roleFromName(name.toStdString()).role), role);
                QCOMPARE(roleFromName(name.toStdString()).imageIndex, image);
            }
    }

    void withPlatformNamesFollowsTheRoles() {
        const auto part = [](std::string label, PartitionRole role, int image = 0, std::string parent = {}) {
            Partition p;
            p.label = std::move(label);
            p.role = role;
            p.imageIndex = image;
            p.parent = std::move(parent);
            return p;
        };
        Layout zephyr;
        zephyr.partitions = {part("boot_partition", PartitionRole::Boot),
                             part("slot0_partition", PartitionRole::Slot0),
                             part("app_code", PartitionRole::Custom, 0, "slot0_partition"),
                             part("slot1_partition", PartitionRole::Slot1),
                             part("slot2_partition", PartitionRole::Slot0, 1),
                             part("slot3_partition", PartitionRole::Slot1, 1),
                             part("scratch_partition", PartitionRole::Scratch),
                             part("storage_partition", PartitionRole::Storage),
                             part("lfs_partition", PartitionRole::Storage),
                             part("net_update", PartitionRole::Slot1, 2)};
        flashplan::setProperty(zephyr.properties, "dts.chosen.zephyr,code-partition", "slot0_partition");
        const Layout pm = withPlatformNames(zephyr, NameScheme::PartitionManager);
        std::vector<std::string> labels;
        for (const Partition& p : pm.partitions)
            labels.push_back(p.label);
        QCOMPARE(labels,
                 (std::vector<std::string>{"mcuboot", "mcuboot_primary", "app_code", "mcuboot_secondary",
                                           "mcuboot_primary_1", "mcuboot_secondary_1", "mcuboot_scratch",
                                           "settings_storage", "lfs_partition", "net_update"}));
        QCOMPARE(pm.partitions[2].parent, std::string("mcuboot_primary"));
        QCOMPARE(*findProperty(pm.properties, "dts.chosen.zephyr,code-partition"),
                 std::string("mcuboot_primary"));
        // And back: the same layout.
        QVERIFY(withPlatformNames(pm, NameScheme::Zephyr) == zephyr);
        QVERIFY(withPlatformNames(zephyr, NameScheme::Zephyr) == zephyr);

        // The role decides: a storage_partition of role custom keeps its label; so does a partition whose
        // new name another one has.
        Layout kept;
        kept.partitions = {part("storage_partition", PartitionRole::Custom),
                           part("boot_partition", PartitionRole::Boot),
                           part("mcuboot", PartitionRole::Custom)};
        QVERIFY(withPlatformNames(kept, NameScheme::PartitionManager) == kept);
    }

    void inferredDevicesFitThePartitions() {
        Partition a, b;
        a.offset = 0x0;
        a.size = 0x8000;
        b.offset = 0x8000;
        b.size = 0x3000; // 12 KiB: only 4 KiB sectors divide every edge
        const FlashDevice d = inferDevice("flash_primary", FlashKind::Internal, 0x0, {a, b}, 0x10000);
        QCOMPARE(d.sectors.runs().front().size, quint64(0x1000));
        QCOMPARE(d.size(), quint64(0x10000));
        const FlashDevice big = inferDevice("ext", FlashKind::Qspi, std::nullopt, {a}, 0);
        QCOMPARE(big.sectors.runs().front().size, quint64(0x8000));
        // An info: the rules grade what they find against a guessed map themselves.
        const Diagnostic note = inferredGeometryNote(d, "pm_static.yml");
        QCOMPARE(note.severity, Severity::Info);
        QVERIFY(note.message.find("--board") != std::string::npos);
    }

    void requestedBoardComesFromTheDatabase() {
        ImportOptions o;
        o.db = &db_;
        QCOMPARE(*requestedBoard(o), nullptr);
        o.boardId = "rpi_pico";
        QCOMPARE((*requestedBoard(o))->id, std::string("rpi_pico"));
        o.boardId = "nope";
        QCOMPARE(requestedBoard(o).error().code, Errc::NotFound);
    }
};

QTEST_APPLESS_MAIN(TestFormats)
#include "tst_formats.moc"
