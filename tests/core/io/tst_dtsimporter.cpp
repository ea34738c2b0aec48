// SPDX-License-Identifier: Apache-2.0
// Devicetree to Layout: flash devices, partition tables of both Zephyr forms, nesting, chosen, --board.
#include "DtsTestSupport.h"
#include "db/DeviceDatabase.h"
#include "io/dts/DtsKeys.h"

#include <QtTest>

using namespace flashplan;
using dtstest::importDts;
using dtstest::kBoard;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

ImportResult imported(const std::string& text, const ImportOptions& options = {}) {
    auto r = importDts(text, "board.dts", options);
    if (!r.ok())
        qFatal("import failed: %s", r.error().toString().c_str());
    return std::move(*r);
}

const Partition& partition(const Layout& l, const std::string& label) {
    const int i = l.indexOf(label);
    if (i < 0)
        qFatal("no partition %s", label.c_str());
    return l.partitions[static_cast<std::size_t>(i)];
}

std::string prop(const Properties& props, std::string_view key) {
    const std::string* v = findProperty(props, key);
    return v ? *v : std::string("<none>");
}

bool hasNote(const ImportResult& r, const std::string& rule, Severity severity) {
    for (const Diagnostic& d : r.notes)
        if (d.rule == rule && d.severity == severity)
            return true;
    return false;
}

/// A SoC flash (with ranges to the CPU) and one table, wrapped around `partitions`.
std::string flashWith(const std::string& partitions, const std::string& flashExtra = "") {
    return "/dts-v1/;\n/ {\n #address-cells = <1>;\n #size-cells = <1>;\n"
           " soc {\n  #address-cells = <1>;\n  #size-cells = <1>;\n  ranges;\n"
           "  flash0: flash@0 {\n   compatible = \"soc-nv-flash\";\n   reg = <0x0 0x100000>;\n"
           "   erase-block-size = <4096>;\n   write-block-size = <4>;\n" +
           flashExtra + partitions + "  };\n };\n};\n";
}

} // namespace

class TestDtsImporter : public QObject {
    Q_OBJECT
private slots:
    void readsDevicesPartitionsAndChosen() {
        const ImportResult r = imported(kBoard);
        const Layout& l = r.layout;
        QCOMPARE(l.name, std::string("Acme test board"));
        QCOMPARE(l.board.id, std::string("test_board"));
        QCOMPARE(l.board.vendor, std::string("acme"));
        QVERIFY(l.boardRef.empty());

        QCOMPARE(l.board.devices.size(), std::size_t(2));
        const FlashDevice& flash0 = *l.board.device("flash0");
        QCOMPARE(flash0.kind, FlashKind::Internal);
        QCOMPARE(*flash0.cpuBase, quint64(0x08000000));
        QCOMPARE(flash0.sectors.toString(), std::string("256x2K"));
        QCOMPARE(flash0.writeBlockSize, 8u);
        const FlashDevice& nor = *l.board.device("mx25r64");
        QCOMPARE(nor.kind, FlashKind::Spi);
        QVERIFY(!nor.cpuBase);
        QCOMPARE(nor.size(), quint64(8 * 1024 * 1024)); // size = <DT_SIZE_M(64)> counts bits
        QCOMPARE(nor.sectors.runs().front().size, quint64(4096));
        QVERIFY(hasNote(r, "dts.assumed-erase-block", Severity::Info));

        QCOMPARE(l.partitions.size(), std::size_t(5));
        const Partition& boot = partition(l, "boot_partition");
        QCOMPARE(boot.device, std::string("flash0"));
        QCOMPARE(boot.offset, quint64(0));
        QCOMPARE(boot.size, quint64(0x10000));
        QVERIFY(boot.readOnly);
        QCOMPARE(boot.role, PartitionRole::Boot);
        QCOMPARE(prop(boot.properties, dts::key::kLabelProperty), std::string("mcuboot"));
        QCOMPARE(partition(l, "slot0_partition").size, quint64(0x60000));
        QCOMPARE(partition(l, "slot0_partition").role, PartitionRole::Slot0);
        QCOMPARE(partition(l, "slot1_partition").role, PartitionRole::Slot1);
        const Partition& storage = partition(l, "storage_partition");
        QCOMPARE(storage.size, quint64(0x8000));
        QCOMPARE(storage.role, PartitionRole::Storage);
        const Partition& lfs = partition(l, "lfs_partition");
        QCOMPARE(lfs.device, std::string("mx25r64"));
        QCOMPARE(lfs.size, quint64(0x800000));
        QCOMPARE(prop(lfs.properties, dts::key::kLabelProperty), std::string("<none>"));
        QCOMPARE(prop(l.properties, "zephyr.chosen.zephyr,code-partition"), std::string("slot0_partition"));
        QVERIFY(!findProperty(l.properties, "zephyr.chosen.zephyr,flash")); // a device, not a partition
    }

    void cpuAddressesFollowRangesAsZephyrDoes() {
        // A bus with ranges maps; a flash controller without ranges ends the translation (Zephyr then
        // reads the flash's reg 0x0 as its base, as nRF SoCs have it).
        const std::string text =
            "/ { #address-cells = <1>; #size-cells = <1>;\n"
            " bus@40000000 { #address-cells = <1>; #size-cells = <1>;\n"
            "  ranges = <0x0 0x10000000 0x1000000>;\n"
            "  mapped: flash@20000 { compatible = \"soc-nv-flash\"; reg = <0x20000 0x10000>;\n"
            "   partitions { compatible = \"fixed-partitions\"; #address-cells = <1>;\n"
            "    #size-cells = <1>; a: partition@0 { reg = <0 0x1000>; }; }; };\n"
            "  controller@4000 { reg = <0x4000 0x100>; #address-cells = <1>; #size-cells = <1>;\n"
            "   unmapped: flash@0 { compatible = \"soc-nv-flash\"; reg = <0x0 0x10000>;\n"
            "    partitions { compatible = \"fixed-partitions\"; #address-cells = <1>;\n"
            "     #size-cells = <1>; b: partition@0 { reg = <0 0x1000>; }; }; }; };\n"
            " };\n};\n";
        const Layout l = imported(text).layout;
        QCOMPARE(*l.board.device("mapped")->cpuBase, quint64(0x10020000));
        QCOMPARE(*l.board.device("unmapped")->cpuBase, quint64(0x0));
    }

    void missingEraseBlockSizeIsInferredAndSaid() {
        const std::string parts = "   partitions { compatible = \"fixed-partitions\"; #address-cells = <1>;\n"
                                  "    #size-cells = <1>;\n    a: partition@0 { reg = <0x0 0x8000>; };\n"
                                  "    b: partition@8000 { reg = <0x8000 0x3000>; }; };\n";
        std::string text = flashWith(parts);
        text.replace(text.find("   erase-block-size = <4096>;\n"), 30, "");
        const ImportResult r = imported(text);
        QCOMPARE(r.layout.board.device("flash0")->sectors.toString(), std::string("256x4K"));
        QVERIFY(hasNote(r, "import.inferred-geometry", Severity::Info));
    }

    void nestedFixedSubpartitions() {
        // Zephyr's nrf5340_cpuapp_partition.dtsi form: children's reg is relative, ranges maps it.
        const std::string parts = "   partitions { compatible = \"fixed-partitions\"; #address-cells = <1>;\n"
                                  "    #size-cells = <1>;\n"
                                  "    boot_partition: partition@0 { reg = <0x0 0x10000>; };\n"
                                  "    slot0_partition: partition@10000 {\n"
                                  "     compatible = \"fixed-subpartitions\"; label = \"image-0\";\n"
                                  "     reg = <0x10000 0x70000>; ranges = <0x0 0x10000 0x70000>;\n"
                                  "     #address-cells = <1>; #size-cells = <1>;\n"
                                  "     slot0_s_partition: partition@0 { label = \"image-0-secure\";\n"
                                  "      reg = <0x0 0x40000>; };\n"
                                  "     slot0_ns_partition: partition@40000 { reg = <0x40000 0x30000>; };\n"
                                  "    };\n"
                                  "    plain: partition@80000 { reg = <0x80000 0x20000>;\n"
                                  "     #address-cells = <1>; #size-cells = <1>;\n"
                                  "     inner: partition@1000 { reg = <0x1000 0x1000>; }; };\n"
                                  "   };\n";
        const Layout l = imported(flashWith(parts)).layout;
        QCOMPARE(l.partitions.size(), std::size_t(6));
        const Partition& slot0 = partition(l, "slot0_partition");
        QCOMPARE(slot0.parent, std::string());
        QVERIFY(!findProperty(slot0.properties, "dts.prop.compatible")); // structure, not a fact to keep
        const Partition& secure = partition(l, "slot0_s_partition");
        QCOMPARE(secure.parent, std::string("slot0_partition"));
        QCOMPARE(secure.offset, quint64(0x10000));
        QCOMPARE(partition(l, "slot0_ns_partition").offset, quint64(0x50000));
        QCOMPARE(partition(l, "slot0_ns_partition").size, quint64(0x30000));
        // Without ranges, a child's reg is relative to its parent.
        QCOMPARE(partition(l, "inner").offset, quint64(0x81000));
        QCOMPARE(partition(l, "inner").parent, std::string("plain"));
        // Tree order: a parent comes before its children.
        QVERIFY(l.indexOf("slot0_partition") < l.indexOf("slot0_s_partition"));
    }

    void mappedPartitionsOfZephyr4() {
        // The flash at 0x08000000 maps its offsets to the CPU with ranges; the partitions node passes them
        // through; nested mapped partitions have their own ranges.
        const std::string text =
            "/ { #address-cells = <1>; #size-cells = <1>;\n soc { #address-cells = <1>; #size-cells = <1>; "
            "ranges;\n"
            "  flash0: flash@8000000 { compatible = \"soc-nv-flash\"; reg = <0x08000000 0x100000>;\n"
            "   ranges = <0x0 0x08000000 0x100000>; erase-block-size = <8192>;\n"
            "   #address-cells = <1>; #size-cells = <1>;\n"
            "   partitions { ranges; #address-cells = <1>; #size-cells = <1>;\n"
            "    boot_partition: partition@0 { compatible = \"zephyr,mapped-partition\"; label = "
            "\"mcuboot\";\n"
            "     reg = <0x0 0x10000>; };\n"
            "    slot0_partition: partition@10000 { compatible = \"zephyr,mapped-partition\";\n"
            "     reg = <0x10000 0x70000>; ranges = <0x0 0x10000 0x70000>;\n"
            "     #address-cells = <1>; #size-cells = <1>;\n"
            "     slot0_s_partition: partition@0 { compatible = \"zephyr,mapped-partition\";\n"
            "      reg = <0x0 0x40000>; };\n"
            "     slot0_ns_partition: partition@40000 { compatible = \"zephyr,mapped-partition\";\n"
            "      reg = <0x40000 0x30000>; }; };\n"
            "   };\n"
            "   storage_partition: partition@f0000 { compatible = \"zephyr,mapped-partition\";\n"
            "    reg = <0xf0000 0x10000>; };\n"
            "  };\n };\n chosen { zephyr,code-partition = &slot0_ns_partition; };\n};\n";
        const ImportResult r = imported(text);
        const Layout& l = r.layout;
        QCOMPARE(l.partitions.size(), std::size_t(5));
        QCOMPARE(*l.board.device("flash0")->cpuBase, quint64(0x08000000));
        QCOMPARE(partition(l, "boot_partition").offset, quint64(0));
        QCOMPARE(partition(l, "slot0_partition").offset, quint64(0x10000));
        QCOMPARE(partition(l, "slot0_ns_partition").offset, quint64(0x50000));
        QCOMPARE(partition(l, "slot0_ns_partition").parent, std::string("slot0_partition"));
        // Directly under the flash node, with no partitions container.
        QCOMPARE(partition(l, "storage_partition").offset, quint64(0xf0000));
        QCOMPARE(partition(l, "storage_partition").device, std::string("flash0"));
        QVERIFY(!findProperty(partition(l, "slot0_partition").properties, "dts.prop.compatible"));
        QCOMPARE(prop(l.properties, "zephyr.chosen.zephyr,code-partition"),
                 std::string("slot0_ns_partition"));
    }

    void twoCellTablesAbove4GiB() {
        const std::string text = "/ { #address-cells = <2>; #size-cells = <2>;\n"
                                 " big: flash@0 { compatible = \"soc-nv-flash\"; reg = <0x0 0x0 0x2 0x0>;\n"
                                 "  erase-block-size = <0x10000>;\n"
                                 "  partitions { compatible = \"fixed-partitions\"; #address-cells = <2>;\n"
                                 "   #size-cells = <2>;\n"
                                 "   low: partition@0 { reg = <0x0 0x0 0x0 0x10000000>; };\n"
                                 "   high: partition@100000000 { reg = <0x1 0x0 0x0 0x80000000>; }; }; };\n"
                                 "};\n";
        const ImportResult r = imported(text);
        QCOMPARE(r.layout.board.device("big")->size(), quint64(0x200000000));
        const Partition& high = partition(r.layout, "high");
        QCOMPARE(high.offset, quint64(0x100000000));
        QCOMPARE(high.size, quint64(0x80000000));
        QVERIFY(!findProperty(high.properties, dts::key::kUnitAddress));
        QVERIFY(r.notes.empty());
    }

    void labelsNamesAndOtherFactsAreKept() {
        const std::string parts =
            "   partitions { compatible = \"fixed-partitions\"; #address-cells = <1>; #size-cells = <1>;\n"
            "    ri5cy_code_partition: slot0_partition: partition@0 { label = \"image-0\"; reg = <0x0 "
            "0x1000>; };\n"
            "    partition@1000 { label = \"scratch2\"; reg = <0x1000 0x1000>; };\n"
            "    code_partition: partition@3000 { label = \"image-1\"; reg = <0x2000 0x1000>; };\n"
            "    ccfg: config@f000 { compatible = \"zephyr,memory-region\"; reg = <0xf000 0x58>;\n"
            "     zephyr,memory-region = \"FLASH_CCFG\"; status = \"disabled\"; }; };\n";
        const ImportResult r = imported(flashWith(parts));
        const Layout& l = r.layout;
        const Partition& slot0 = partition(l, "ri5cy_code_partition");
        QCOMPARE(prop(slot0.properties, dts::key::kMoreLabels), std::string("slot0_partition"));
        QCOMPARE(slot0.role, PartitionRole::Slot0); // from its second label
        const Partition& unlabeled = partition(l, "partition_1000");
        QCOMPARE(prop(unlabeled.properties, dts::key::kUnlabeled), std::string("true"));
        const Partition& code = partition(l, "code_partition");
        QCOMPARE(code.role, PartitionRole::Slot1); // from label = "image-1"
        QCOMPARE(prop(code.properties, dts::key::kUnitAddress), std::string("3000"));
        QVERIFY(hasNote(r, "dts.unit-address", Severity::Info));
        const Partition& ccfg = partition(l, "ccfg");
        QCOMPARE(prop(ccfg.properties, dts::key::kNodeName), std::string("config"));
        QCOMPARE(prop(ccfg.properties, "dts.prop.compatible"), std::string("\"zephyr,memory-region\""));
        QCOMPARE(prop(ccfg.properties, "dts.prop.zephyr,memory-region"), std::string("\"FLASH_CCFG\""));
        QCOMPARE(prop(ccfg.properties, "dts.prop.status"), std::string("\"disabled\""));
    }

    void overlaysDeleteAndRecreatePartitions() {
        const std::string overlay =
            "\n/delete-node/ &storage_partition;\n&mx25r64 {\n partitions {\n"
            "  storage_partition: partition@800000 { reg = <0x800000 DT_SIZE_K(64)>; };\n"
            " };\n};\n/ { chosen { zephyr,settings-partition = &storage_partition; }; };\n";
        dtstest::VirtualFiles files;
        files.add("/app/board.dts", kBoard);
        files.add("/app/app.overlay", overlay);
        const auto r = importDts("#include \"board.dts\"\n#include \"app.overlay\"\n", "/app/combined.dts",
                                 files.options());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        const Partition& storage = partition(r->layout, "storage_partition");
        QCOMPARE(storage.device, std::string("mx25r64"));
        QCOMPARE(storage.offset, quint64(0x800000));
        QCOMPARE(r->layout.partitions.back().label, std::string("storage_partition"));
        QCOMPARE(prop(r->layout.properties, "zephyr.chosen.zephyr,settings-partition"),
                 std::string("storage_partition"));
        // The new partition lies past the 8 MiB device: kept, and said.
        QVERIFY(hasNote(*r, "dts.partition-outside-device", Severity::Warning));
    }

    void boardOptionPlacesAnOverlayOnADatabaseBoard() {
        const std::string overlay = "/delete-node/ &storage_partition;\n"
                                    "&flash0 { partitions { compatible = \"fixed-partitions\";\n"
                                    "  #address-cells = <1>; #size-cells = <1>;\n"
                                    "  boot_partition: partition@0 { reg = <0x0 0xc000>; };\n"
                                    "  slot0_partition: partition@c000 { reg = <0xc000 0x72000>; }; }; };\n"
                                    "&mx25r64 { partitions { compatible = \"fixed-partitions\";\n"
                                    "  #address-cells = <1>; #size-cells = <1>;\n"
                                    "  slot1_partition: partition@0 { reg = <0x0 0x72000>; }; }; };\n"
                                    "/ { chosen { zephyr,code-partition = &slot0_partition; }; };\n";
        ImportOptions options;
        options.db = &db();
        options.boardId = "nrf52840dk_nrf52840";
        const auto r = importDts(overlay, "app.overlay", options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        const Layout& l = r->layout;
        QCOMPARE(l.boardRef, std::string("nrf52840dk_nrf52840"));
        QCOMPARE(l.board, *db().find("nrf52840dk_nrf52840"));
        QCOMPARE(partition(l, "slot1_partition").device, std::string("mx25r64"));
        QCOMPARE(partition(l, "slot0_partition").device, std::string("flash0"));
        QCOMPARE(prop(l.properties, "zephyr.chosen.zephyr,code-partition"), std::string("slot0_partition"));
        QVERIFY(hasNote(*r, "dts.fragment", Severity::Info)); // the delete of a node of the board
        // A change to a node of the board that is no flash cannot be applied without the board: said.
        const auto change =
            importDts(overlay + "&code_partition { label = \"image-1\"; };\n", "app.overlay", options);
        QVERIFY(change.ok());
        QVERIFY(std::any_of(change->notes.begin(), change->notes.end(), [](const Diagnostic& d) {
            return d.rule == "dts.fragment" &&
                   d.message.find("&code_partition changes a node") != std::string::npos;
        }));
        // A partition past the end of the board's device is kept, and said.
        ImportOptions small = options;
        small.boardId = "nrf52dk_nrf52832"; // no external flash: mx25r64 cannot match
        const auto unmatched = importDts(overlay, "app.overlay", small);
        QVERIFY(!unmatched.ok());
        QVERIFY(unmatched.error().message.find("&mx25r64 matches no flash device") != std::string::npos);
        const std::string big = "&flash0 { partitions { compatible = \"fixed-partitions\";\n"
                                "  #address-cells = <1>; #size-cells = <1>;\n"
                                "  huge: partition@0 { reg = <0x0 0x200000>; }; }; };\n";
        const auto past = importDts(big, "big.overlay", options);
        QVERIFY(past.ok());
        QVERIFY(hasNote(*past, "dts.partition-outside-device", Severity::Warning));
        // Without --board the same overlay is an error that says what to do.
        const auto alone = importDts(overlay, "app.overlay");
        QVERIFY(!alone.ok());
        QCOMPARE(alone.error().code, Errc::NotFound);
        QVERIFY(alone.error().message.find("--board") != std::string::npos);
    }

    void boardOptionMatchesByKindAndSize() {
        // The board's labels are not the database's ids: kind and size decide.
        std::string text = kBoard;
        for (const auto& [from, to] : {std::pair<std::string, std::string>{"flash0", "internal"},
                                       {"mx25r64", "spi_nor"},
                                       {"DT_SIZE_K(512)", "DT_SIZE_M(1)"}})
            for (std::size_t at = text.find(from); at != std::string::npos;
                 at = text.find(from, at + to.size()))
                text.replace(at, from.size(), to);
        ImportOptions options;
        options.db = &db();
        options.boardId = "nrf9160dk_nrf9160"; // flash0: internal 1 MiB, mx25r64: spi 8 MiB
        const auto r = importDts(text, "board.dts", options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(partition(r->layout, "boot_partition").device, std::string("flash0"));
        QCOMPARE(partition(r->layout, "lfs_partition").device, std::string("mx25r64"));
        QCOMPARE(prop(r->layout.properties, "dts.flash.flash0"), std::string("&internal"));
        QCOMPARE(prop(r->layout.properties, "dts.flash.mx25r64"), std::string("&spi_nor"));
    }

    void boardOptionErrors() {
        ImportOptions options;
        options.db = &db();
        options.boardId = "rpi_pico"; // one QSPI flash: nothing internal for flash0
        const auto r = importDts(kBoard, "board.dts", options);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::NotFound);
        QVERIFY(r.error().message.find("matches no flash device of board rpi_pico") != std::string::npos);
        QVERIFY(r.error().message.find("flash0: qspi 2 MiB") != std::string::npos);
        QCOMPARE(r.error().where.file, std::string("board.dts"));
        options.boardId = "no_such_board";
        QCOMPARE(importDts(kBoard, "board.dts", options).error().field, std::string("--board"));
    }

    void unlabeledFlashNodesGetAPathReference() {
        std::string text =
            flashWith("   partitions { compatible = \"fixed-partitions\"; #address-cells = <1>;\n"
                      "    #size-cells = <1>; a: partition@0 { reg = <0 0x1000>; }; };\n");
        text.replace(text.find("flash0: "), 8, "");
        const Layout l = imported(text).layout;
        QCOMPARE(l.partitions.front().device, std::string("flash_0"));
        QCOMPARE(prop(l.properties, "dts.flash.flash_0"), std::string("&{/soc/flash@0}"));
    }

    void badInputIsAnErrorWithFileAndLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        const std::string head = "/dts-v1/;\n/ {\n"; // the case's own lines start at line 3
        QTest::newRow("unterminated node")
            << QString::fromStdString(head + " soc {\n  flash@0 {\n };\n};\n") << 2 << "is not closed";
        QTest::newRow("unknown macro")
            << QString::fromStdString(head + " n { reg = <0 FLASH_SIZE(1)>; };\n};\n") << 3
            << "unknown macro FLASH_SIZE()";
        QTest::newRow("unbalanced parentheses")
            << QString::fromStdString(head + " n { reg = <0 ((4 * 1024)>; };\n};\n") << 3 << "unbalanced";
        QTest::newRow("cell overflows 32 bits")
            << QString::fromStdString(head + " n { reg = <0 0x100000000>; };\n};\n") << 3 << "32-bit cell";
        QTest::newRow("unknown label")
            << QString::fromStdString(head + "};\n&flash1 { };\n") << 4 << "unknown label &flash1";
        QTest::newRow("missing include") << QString::fromStdString(head + "};\n#include <soc.dtsi>\n") << 4
                                         << "cannot find include file <soc.dtsi>";
        QTest::newRow("reg too short")
            << QString::fromStdString(flashWith("   partitions { compatible = \"fixed-partitions\";\n"
                                                "    #address-cells = <1>; #size-cells = <1>;\n"
                                                "    a: partition@0 { reg = <0x0>; }; };\n"))
            << 16 << "reg has 1 cells";
        QTest::newRow("reg past 64 bits")
            << QString::fromStdString(
                   flashWith("   partitions { compatible = \"fixed-partitions\";\n"
                             "    #address-cells = <2>; #size-cells = <2>;\n"
                             "    a: partition@0 { reg = <0xffffffff 0xffffffff 0x0 0x2>; };\n"
                             "   };\n"))
            << 16 << "64-bit address space";
        QTest::newRow("nothing to import") << "/ { model = \"x\"; };\n" << 0 << "no flash partitions";
    }
    void badInputIsAnErrorWithFileAndLine() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        const auto r = importDts(text.toStdString(), "bad.dts");
        QVERIFY(!r.ok()); // an error, never a half-imported layout
        QVERIFY2(r.error().message.find(says.toStdString()) != std::string::npos, r.error().message.c_str());
        QCOMPARE(r.error().where.file, std::string("bad.dts"));
        QCOMPARE(r.error().where.line, line);
    }

    void byteOrderMarkAndCrLfAreFine() {
        std::string text = "\xEF\xBB\xBF" + std::string(kBoard);
        for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 2))
            text.replace(at, 1, "\r\n");
        QCOMPARE(imported(text).layout, imported(kBoard).layout);
    }

    void sniffRecognisesDevicetree() {
        const Format* dts = findFormat("dts");
        QVERIFY(dts);
        QCOMPARE(dts->title, std::string_view("Zephyr devicetree"));
        QVERIFY(hasExtension(*dts, "app.overlay") && hasExtension(*dts, "soc.dtsi") &&
                hasExtension(*dts, "b.dts"));
        QVERIFY(dts->importer->sniff("/dts-v1/;\n/ { };", "x.txt") >= 90);
        QVERIFY(dts->importer->sniff("&flash0 {\n\tpartitions {\n", "x.txt") >= 60);
        QVERIFY(dts->importer->sniff("&flash0 {\n", "x.txt") >= 60);
        QCOMPARE(dts->importer->sniff("hello", "notes.txt"), 0);
        QVERIFY(dts->importer->sniff("", "empty.overlay") > 0);
        QCOMPARE((*detectFormat(kBoard, "board"))->name, std::string_view("dts"));
        QCOMPARE((*detectFormat("<flashplan-layout schema=\"1\"/> partition@0", "x"))->name,
                 std::string_view("flashplan"));
    }
};

QTEST_APPLESS_MAIN(TestDtsImporter)
#include "tst_dtsimporter.moc"
