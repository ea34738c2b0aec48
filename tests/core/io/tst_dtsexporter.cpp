// SPDX-License-Identifier: Apache-2.0
// Layout to devicetree overlay, and the round trips: import -> export -> import gives the same layout.
#include "DtsTestSupport.h"
#include "db/ExampleLayouts.h"
#include "io/LayoutFile.h"
#include "io/dts/DtsExporter.h"
#include "io/dts/DtsKeys.h"

#include <QtTest>

using namespace flashplan;
using dtstest::importDts;
using dtstest::kBoard;
using dtstest::kMapped;
using dtstest::kNested;
using dtstest::kTwoCells;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

Layout imported(const std::string& text) {
    auto r = importDts(text, "board.dts");
    if (!r.ok())
        qFatal("import failed: %s", r.error().toString().c_str());
    return std::move(r->layout);
}

std::string overlayOf(const Layout& l, const std::string& style = "classic") {
    ExportOptions o;
    o.dtsStyle = style;
    auto r = writeDtsOverlay(l, o);
    if (!r.ok())
        qFatal("export failed: %s", r.error().toString().c_str());
    return *r;
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

/// The facts an export writes in normal form (unit addresses that match reg, partitions in a container):
/// after a round trip they are gone, by design.
Layout withoutNormalisedFacts(Layout l) {
    for (Partition& p : l.partitions)
        std::erase_if(p.properties, [](const auto& kv) {
            return kv.first == dts::key::kUnitAddress || kv.first == dts::key::kUnderFlash;
        });
    return l;
}

} // namespace

class TestDtsExporter : public QObject {
    Q_OBJECT
private slots:
    void writesAnOverlayThatReplacesEachTable() {
        const std::string text = overlayOf(imported(kBoard));
        QVERIFY(has(
            text,
            "&flash0 {\n\t/delete-node/ partitions;\n\n\tpartitions {\n"
            "\t\tcompatible = \"fixed-partitions\";\n\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n"));
        QVERIFY(has(text, "\t\tboot_partition: partition@0 {\n\t\t\tlabel = \"mcuboot\";\n"
                          "\t\t\treg = <0x0 0x10000>; /* 64 KiB */\n\t\t\tread-only;\n\t\t};\n"));
        QVERIFY(has(text, "slot0_partition: partition@10000 {"));
        QVERIFY(has(text, "reg = <0x10000 0x60000>; /* 384 KiB */"));
        QVERIFY(has(text, "&mx25r64 {\n\t/delete-node/ partitions;"));
        QVERIFY(has(text, "lfs_partition: partition@0 {\n\t\t\treg = <0x0 0x800000>; /* 8 MiB */\n"));
        QVERIFY(has(text, "/ {\n\tchosen {\n\t\tzephyr,code-partition = &slot0_partition;\n\t};\n};\n"));
        QVERIFY(!has(text, "#address-cells = <2>"));
        QVERIFY(text.starts_with("/*\n * Acme test board: flash partitions, written by Flashplan."));
    }

    void nestedPartitionsAreNested() {
        const std::string text = overlayOf(imported(kNested));
        QVERIFY(has(text,
                    "\t\tslot0_partition: partition@10000 {\n\t\t\tcompatible = \"fixed-subpartitions\";\n"
                    "\t\t\tlabel = \"image-0\";\n\t\t\treg = <0x10000 0x70000>; /* 448 KiB */\n"
                    "\t\t\tranges = <0x0 0x10000 0x70000>;\n\t\t\t#address-cells = <1>;\n"
                    "\t\t\t#size-cells = <1>;\n"));
        QVERIFY(has(text, "\t\t\tslot0_ns_partition: partition@40000 {\n\t\t\t\treg = <0x40000 0x30000>;"));
        // Facts kept from the import come back: labels, node names, other properties, no label where none.
        QVERIFY(has(text, "ri5cy_code: code: partition@80000 {"));
        QVERIFY(has(text, "\t\tpartition@81000 {\n\t\t\tlabel = \"scratch2\";"));
        QVERIFY(has(text, "typo: partition@82000 {")); // the unit address follows reg
        // Without a label, named after reg's address, so that the name survives the export.
        QVERIFY(has(text, "\t\tpartition@91000 {\n\t\t\tlabel = \"spare\";"));
        QVERIFY(imported(kNested).indexOf("partition_91000") >= 0);
        QVERIFY(has(text, "ccfg: config@fff00 {\n\t\t\tcompatible = \"zephyr,memory-region\";\n"
                          "\t\t\treg = <0xfff00 0x100>; /* 256 B */\n"
                          "\t\t\tzephyr,memory-region = \"FLASH_CCFG\";\n\t\t\tstatus = \"okay\";\n"));
    }

    void mappedStyleForInternalFlash() {
        const std::string text = overlayOf(imported(kMapped), "mapped");
        QVERIFY(has(text, "&flash0 {\n\t/delete-node/ partitions;\n\t/delete-node/ partition@f0000;\n\n"
                          "\tpartitions {\n\t\tranges;\n"));
        QVERIFY(has(text,
                    "\t\tboot_partition: partition@0 {\n\t\t\tcompatible = \"zephyr,mapped-partition\";\n"));
        QVERIFY(
            has(text,
                "\t\t\tslot0_s_partition: partition@0 {\n\t\t\t\tcompatible = \"zephyr,mapped-partition\";"));
        QVERIFY(has(text, "\t\t\tranges = <0x0 0x10000 0x70000>;\n"));
        // External flash keeps fixed-partitions: Zephyr maps only soc-nv-flash partitions.
        QVERIFY(has(text, "&nor {\n\t/delete-node/ partitions;\n\n\tpartitions {\n\t\t/* external flash"));
        QVERIFY(has(text, "\t\tcompatible = \"fixed-partitions\";\n"));
        QVERIFY(!has(text.substr(text.find("&nor")), "zephyr,mapped-partition"));
    }

    void twoCellsOnlyWhenNeeded() {
        Layout l = imported(kTwoCells);
        QVERIFY(!has(overlayOf(l), "<2>"));
        l.partitions[1].offset = 0x100000000;
        const std::string text = overlayOf(l);
        QVERIFY(has(text, "\t\t#address-cells = <2>;\n\t\t#size-cells = <1>;\n"));
        QVERIFY(has(text, "high: partition@100000000 {\n\t\t\treg = <0x1 0x0 0x10000000>; /* 256 MiB */"));
        l.partitions[1].size = 0x180000000;
        QVERIFY(has(overlayOf(l), "reg = <0x1 0x0 0x1 0x80000000>; /* 6 GiB */"));
    }

    void databaseLayoutsExportByDeviceId() {
        const Layout l = *ExampleLayouts::load("nrf52840-mcuboot-external", db());
        const std::string text = overlayOf(l);
        QVERIFY(has(text, "&flash0 {"));
        QVERIFY(has(text, "&mx25r64 {"));
        QVERIFY(has(text, "slot1_partition: partition@0 {"));
        QVERIFY(has(text, "boot_partition: partition@0 {"));
        const Format* dts = findFormat("dts");
        const auto files = dts->exporter->write(l, "out/app.overlay", {});
        QVERIFY(files.ok());
        QCOMPARE(files->size(), std::size_t(1));
        QCOMPARE(files->front().path, std::filesystem::path("out/app.overlay"));
        QCOMPARE(files->front().text, text);
    }

    void partitionsGoByZephyrsLabels() {
        // A layout named as a pm_static.yml names it: the overlay has Zephyr's labels, nesting and chosen
        // entries follow; a name of its own (mcuboot_pad) stays.
        Layout l = *ExampleLayouts::load("zephyr-flash-map", db());
        const std::map<std::string, std::string> pmNames{{"boot_partition", "mcuboot"},
                                                         {"storage_partition", "settings_storage"},
                                                         {"slot0_partition", "mcuboot_primary"},
                                                         {"slot1_partition", "mcuboot_secondary"},
                                                         {"scratch_partition", "mcuboot_scratch"}};
        for (Partition& p : l.partitions)
            p.label = pmNames.at(p.label);
        Partition pad = l.partitions[static_cast<std::size_t>(l.indexOf("mcuboot_primary"))];
        pad.label = "mcuboot_pad";
        pad.role = PartitionRole::Custom;
        pad.size = 0x200;
        pad.parent = "mcuboot_primary";
        l.partitions.push_back(pad);
        flashplan::setProperty(l.properties, std::string(dts::key::kChosenPrefix) + "zephyr,code-partition",
                               "mcuboot_primary");
        const std::string text = overlayOf(l);
        for (const auto& [zephyr, pm] : pmNames) {
            QVERIFY2(has(text, zephyr + ": partition@"), zephyr.c_str());
            QVERIFY2(!has(text, pm + ":"), pm.c_str());
        }
        QVERIFY(
            has(text, "\t\tslot0_partition: partition@20000 {\n\t\t\tcompatible = \"fixed-subpartitions\";"));
        QVERIFY(has(text, "mcuboot_pad: partition@0 {"));
        QVERIFY(has(text, "zephyr,code-partition = &slot0_partition;"));
    }

    void sameAddressSiblingsGetTheirOwnNames() {
        Layout l = imported(kBoard);
        Partition copy = l.partitions[0];
        copy.label = "also_boot";
        l.partitions.insert(l.partitions.begin() + 1, copy);
        const std::string text = overlayOf(l);
        QVERIFY(has(text, "boot_partition: partition@0 {"));
        QVERIFY(has(text, "also_boot: partition-2@0 {"));
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("style");
        QTest::newRow("board, classic") << kBoard << "classic";
        QTest::newRow("board, mapped") << kBoard << "mapped";
        QTest::newRow("nested and kept facts") << kNested << "classic";
        QTest::newRow("nested, mapped") << kNested << "mapped";
        QTest::newRow("mapped, mapped") << kMapped << "mapped";
        QTest::newRow("mapped, classic") << kMapped << "classic";
        QTest::newRow("two cells") << kTwoCells << "classic";
    }
    void roundTrip() {
        QFETCH(QString, text);
        QFETCH(QString, style);
        const std::string base = text.toStdString();
        const Layout first = imported(base);
        const std::string overlay = overlayOf(first, style.toStdString());
        const auto second = importDts(base + "\n" + overlay, "board.dts");
        QVERIFY2(second.ok(), second.ok() ? "" : (second.error().toString() + "\n" + overlay).c_str());
        const Layout expected = withoutNormalisedFacts(first);
        if (!(second->layout == expected)) {
            for (std::size_t i = 0;
                 i < std::min(expected.partitions.size(), second->layout.partitions.size()); ++i)
                if (!(expected.partitions[i] == second->layout.partitions[i]))
                    qWarning("partition %zu (%s) differs", i, expected.partitions[i].label.c_str());
            qWarning("%s", overlay.c_str());
        }
        QVERIFY(second->layout == expected);
    }

    void roundTripThroughAFlashplanFile() {
        for (const char* text : {kBoard, kNested, kMapped, kTwoCells}) {
            const Layout first = imported(text);
            const std::string saved = LayoutFile::serialize(first);
            const auto loaded = LayoutFile::parse(saved, "saved.flashplan", db());
            QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().toString().c_str());
            QVERIFY(*loaded == first);
            const auto again = importDts(std::string(text) + "\n" + overlayOf(*loaded), "board.dts");
            QVERIFY2(again.ok(), again.ok() ? "" : again.error().toString().c_str());
            QCOMPARE(again->layout.partitions.size(), first.partitions.size());
            QVERIFY(again->layout.partitions == withoutNormalisedFacts(first).partitions);
        }
    }

    void layoutsDtsCannotExpress_data() {
        QTest::addColumn<int>("what");
        QTest::addColumn<QString>("says");
        QTest::newRow("device with no usable label") << 0 << "no DTS-usable label";
        QTest::newRow("label not an identifier") << 1 << "is not a C identifier";
        QTest::newRow("label used twice") << 2 << "two partitions are labelled";
        QTest::newRow("device not on the board") << 3 << "does not have";
        QTest::newRow("parent missing") << 4 << "is not a partition of the layout";
        QTest::newRow("child outside its parent") << 5 << "does not lie inside its parent";
        QTest::newRow("parent on another device") << 6 << "but its parent";
        QTest::newRow("chosen names nothing") << 7 << "which is not a partition";
        QTest::newRow("property that is not a value") << 8 << "is not one devicetree value";
        QTest::newRow("bad node name") << 9 << "is not a devicetree node or property name";
        QTest::newRow("bad flash reference") << 10 << "no DTS-usable label";
    }
    void layoutsDtsCannotExpress() {
        QFETCH(int, what);
        QFETCH(QString, says);
        Layout l = imported(kBoard);
        Partition& p = l.partitions[1];
        switch (what) {
        case 0:
            l.board.devices[0].id = "flash-0";
            for (Partition& q : l.partitions)
                if (q.device == "flash0")
                    q.device = "flash-0";
            break;
        case 1:
            p.label = "slot0-partition";
            break;
        case 2:
            p.label = l.partitions[0].label;
            break;
        case 3:
            p.device = "nowhere";
            break;
        case 4:
            p.parent = "missing";
            break;
        case 5:
            p.parent = l.partitions[0].label; // slot0 does not lie inside boot
            break;
        case 6:
            p.parent = "lfs_partition";
            break;
        case 7:
            flashplan::setProperty(l.properties, "zephyr.chosen.zephyr,code-partition", "gone_partition");
            break;
        case 8:
            flashplan::setProperty(p.properties, "dts.prop.status", "\"okay\"; evil { }");
            break;
        case 9:
            flashplan::setProperty(p.properties, "dts.node-name", "bad name");
            break;
        case 10:
            flashplan::setProperty(l.properties, "dts.flash.flash0", "&{/soc/x};\n/ {");
            break;
        }
        const auto r = writeDtsOverlay(l, {});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find(says.toStdString()) != std::string::npos, r.error().message.c_str());
        QCOMPARE(r.error().code, Errc::Schema);
        QVERIFY(!r.error().field.empty());
    }

    void unknownStyleIsAnError() {
        ExportOptions o;
        o.dtsStyle = "fancy";
        const auto r = writeDtsOverlay(imported(kBoard), o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::InvalidArgument);
        QCOMPARE(r.error().field, std::string("dtsStyle"));
    }
};

QTEST_APPLESS_MAIN(TestDtsExporter)
#include "tst_dtsexporter.moc"
