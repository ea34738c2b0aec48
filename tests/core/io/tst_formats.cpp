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
        const Diagnostic note = inferredGeometryNote(d, "pm_static.yml");
        QCOMPARE(note.severity, Severity::Warning);
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
