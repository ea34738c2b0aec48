// SPDX-License-Identifier: Apache-2.0
// Each wolfBoot rule: a layout that breaks only that rule, and its nearest valid neighbour. The base is
// the wolfBoot example on an STM32F407: BOOT 0x08020000, UPDATE 0x08040000, SWAP 0x08060000, 128 KiB each.
#include "db/ExampleLayouts.h"
#include "rules/RulePack.h"
#include "rules/WolfBootRules.h"

#include <QtTest>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

Layout example() {
    return *ExampleLayouts::load("wolfboot-stm32f407", db());
}

std::vector<Diagnostic> only(const std::vector<Diagnostic>& all, const std::string& rule,
                             Severity atLeast = Severity::Warning) {
    std::vector<Diagnostic> out;
    for (const Diagnostic& d : all)
        if (d.rule == rule && d.severity >= atLeast)
            out.push_back(d);
    return out;
}

std::size_t problems(const std::vector<Diagnostic>& all) {
    const auto n = countSeverities(all);
    return n.errors + n.warnings;
}

bool says(const Diagnostic& d, const char* text) {
    return d.message.find(text) != std::string::npos;
}

} // namespace

class TestWolfBootRules : public QObject {
    Q_OBJECT
private slots:
    void theExampleIsClean() {
        QCOMPARE(problems(checkWolfBoot(example())), std::size_t(0));
        QCOMPARE(wolfBootSectorSize(example()), quint64(0x20000));
    }

    void bootAndUpdateMustExist() {
        Layout l = example();
        l.partitions[2].role = PartitionRole::Storage; // no UPDATE
        const auto d = checkWolfBoot(l);
        QCOMPARE(problems(d), std::size_t(1));
        QVERIFY(says(only(d, "wolfboot.partitions")[0], "no UPDATE partition"));
    }

    void aMissingSwapIsAWarning() {
        Layout l = example();
        l.partitions.pop_back();
        const auto d = only(checkWolfBoot(l), "wolfboot.partitions");
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].severity, Severity::Warning);
    }

    void bootAndUpdateHaveOneSize() {
        Layout l = example();
        l.partitions[2].size = 0x40000; // UPDATE 256 KiB, overlapping SWAP; only the size rule should speak
        l.partitions[3].offset = 0x80000;
        const auto d = checkWolfBoot(l);
        QCOMPARE(problems(d), std::size_t(1));
        const auto size = only(d, "wolfboot.partition-size");
        QCOMPARE(size.size(), std::size_t(1));
        QVERIFY(size[0].fix.has_value());
        QCOMPARE(problems(checkWolfBoot(applyFix(l, *size[0].fix))), std::size_t(0));
    }

    void partitionsAlignToTheSectorSize() {
        Layout l = example();
        l.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "0x20000"}};
        l.partitions[2].offset = 0x48000; // UPDATE 32 KiB into sector 6
        l.partitions[3].offset = 0x80000;
        const auto d = only(checkWolfBoot(l), "wolfboot.alignment");
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(says(d[0], "UPDATE update at 0x08048000"));
        // The nearest neighbour, one sector later, is clean.
        l.partitions[2].offset = 0x60000;
        QCOMPARE(problems(checkWolfBoot(l)), std::size_t(0));
    }

    void theSectorSizeCoversTheLargestEraseUnit() {
        Layout l = example();
        l.bootloader.settings = {
            {"WOLFBOOT_SECTOR_SIZE", "0x4000"}}; // 16 KiB, but the partitions sit in 128 KiB sectors
        const auto d = only(checkWolfBoot(l), "wolfboot.sector-size");
        QCOMPARE(d.size(), std::size_t(3));
        QVERIFY2(says(d[0], "normally the largest (0x20000)"), d[0].message.c_str());
        l.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "0x20000"}};
        QVERIFY(only(checkWolfBoot(l), "wolfboot.sector-size").empty());
    }

    void noPartitionsByDesignIsAnInfo() {
        for (const char* flag : {"WOLFBOOT_NO_PARTITIONS", "DISK_SDCARD", "DISK_EMMC"}) {
            Layout l = example();
            l.partitions.clear();
            QCOMPARE(only(checkWolfBoot(l), "wolfboot.partitions", Severity::Error).size(), std::size_t(2));
            flashplan::setProperty(l.properties, std::string("wolfboot.config.") + flag, "1");
            const auto d = only(checkWolfBoot(l), "wolfboot.partitions", Severity::Info);
            QCOMPARE(d.size(), std::size_t(1));
            QCOMPARE(d[0].severity, Severity::Info);
            QVERIFY2(says(d[0], flag), d[0].message.c_str());
        }
    }

    void anInferredGeometryOnlyWarns() {
        Layout l = example();
        l.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "0x4000"}};
        l.board.devices[0].geometryInferred = true;
        const auto d = only(checkWolfBoot(l), "wolfboot.sector-size");
        QCOMPARE(d.size(), std::size_t(3));
        for (const Diagnostic& x : d) {
            QCOMPARE(x.severity, Severity::Warning);
            QVERIFY2(says(x, "is inferred"), x.message.c_str());
        }
        // A misplaced address against a guessed map warns; a size off the stated WOLFBOOT_SECTOR_SIZE does
        // not depend on the map: the swap erases whole units past the partition's end.
        l.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "0x20000"}};
        l.partitions[2].offset = 0x48000;
        l.partitions[3].offset = 0x80000;
        auto a = only(checkWolfBoot(l), "wolfboot.alignment");
        QCOMPARE(a.size(), std::size_t(1));
        QCOMPARE(a[0].severity, Severity::Warning);
        l.partitions[2].offset = 0x60000;
        l.partitions[1].size = l.partitions[2].size = 0x10000;
        a = only(checkWolfBoot(l), "wolfboot.alignment");
        QCOMPARE(a.size(), std::size_t(2));
        QCOMPARE(a[0].severity, Severity::Error);
    }

    void swapIsExactlyOneSector() {
        Layout l = example();
        l.partitions[3].size = 0x40000;
        const auto d = checkWolfBoot(l);
        QCOMPARE(problems(d), std::size_t(1));
        const auto swap = only(d, "wolfboot.swap-size");
        QCOMPARE(swap.size(), std::size_t(1));
        QCOMPARE(swap[0].fix->edits[0].size, quint64(0x20000));
    }

    void theHeaderMovesTheEntryPoint() {
        const auto info = only(checkWolfBoot(example()), "wolfboot.image-header", Severity::Info);
        QCOMPARE(info.size(), std::size_t(1));
        QVERIFY2(says(info[0], "linked at 0x08020100"), info[0].message.c_str());
        Layout l = example();
        l.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "0x20000"}, {"IMAGE_HEADER_SIZE", "0x400"}};
        QVERIFY(
            says(only(checkWolfBoot(l), "wolfboot.image-header", Severity::Info)[0], "linked at 0x08020400"));
        l.bootloader.settings = {{"WOLFBOOT_SECTOR_SIZE", "0x20000"}, {"IMAGE_HEADER_SIZE", "0x20000"}};
        QCOMPARE(only(checkWolfBoot(l), "wolfboot.image-header", Severity::Error).size(), std::size_t(1));
    }

    void externalPartitionsNeedTheirFlags() {
        // The nRF52840 DK: BOOT internal, UPDATE on the QSPI flash.
        Layout l;
        l.board = *db().find("nrf52840dk_nrf52840");
        l.bootloader.kind = "wolfboot";
        Partition boot, update, swap;
        boot = {"boot", "flash0", 0x10000, 0x70000, false, PartitionRole::Slot0, 0, {}, {}, {}};
        update = {"update", "mx25r64", 0x0, 0x70000, false, PartitionRole::Slot1, 0, {}, {}, {}};
        swap = {"swap", "flash0", 0x80000, 0x1000, false, PartitionRole::Swap, 0, {}, {}, {}};
        l.partitions = {boot, update, swap};
        // No flags at all: the layout was designed, not imported; say which flags the build needs.
        auto d = only(checkWolfBoot(l), "wolfboot.external", Severity::Info);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(says(d[0], "EXT_FLASH=1 PART_UPDATE_EXT=1"));
        QCOMPARE(problems(checkWolfBoot(l)), std::size_t(0));
        // A configuration that says EXT_FLASH but forgets PART_UPDATE_EXT is wrong.
        flashplan::setProperty(l.properties, "wolfboot.config.EXT_FLASH", "1");
        d = only(checkWolfBoot(l), "wolfboot.external");
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(says(d[0], "does not set PART_UPDATE_EXT"));
        flashplan::setProperty(l.properties, "wolfboot.config.PART_UPDATE_EXT", "1");
        QCOMPARE(problems(checkWolfBoot(l)), std::size_t(0));
        // And PART_SWAP_EXT for a SWAP in internal flash is wrong too.
        flashplan::setProperty(l.properties, "wolfboot.config.PART_SWAP_EXT", "1");
        d = only(checkWolfBoot(l), "wolfboot.external");
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(says(d[0], "PART_SWAP_EXT=1 tells wolfBoot"));
    }

    void thePackRunsForWolfBootLayoutsOnly() {
        Layout l = *ExampleLayouts::load("zephyr-flash-map", db());
        for (const Diagnostic& d : validate(l))
            QVERIFY(!d.rule.starts_with("wolfboot."));
        l.bootloader = {"wolfboot", "", {}};
        QCOMPARE(only(validate(l), "wolfboot.partitions").size(), std::size_t(1)); // no SWAP
    }
};

QTEST_APPLESS_MAIN(TestWolfBootRules)
#include "tst_wolfbootrules.moc"
