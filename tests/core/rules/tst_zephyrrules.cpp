// SPDX-License-Identifier: Apache-2.0
// Each Zephyr rule: a layout that breaks only that rule, and its nearest valid neighbour.
#include "db/ExampleLayouts.h"
#include "rules/RulePack.h"
#include "rules/ZephyrRules.h"

#include <QtTest>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

// The Zephyr flash_map example: MCUboot swap-using-scratch on the nRF52840's 4K pages.
Layout example() {
    return *ExampleLayouts::load("zephyr-flash-map", db());
}

} // namespace

class TestZephyrRules : public QObject {
    Q_OBJECT
private slots:
    void theExampleIsClean() { QVERIFY(checkZephyr(example()).empty()); }

    void appliesToMcubootAndDevicetreeLayouts() {
        Layout l = example();
        QVERIFY(usesZephyrConventions(l));
        l.bootloader = {};
        QVERIFY(!usesZephyrConventions(l));
        flashplan::setProperty(l.properties, kCodePartitionProperty, "slot0_partition");
        QVERIFY(usesZephyrConventions(l));
        QVERIFY(!usesZephyrConventions(*ExampleLayouts::load("wolfboot-stm32f407", db())));
    }

    void slotLabelsAreWhatSysflashLooksUp() {
        Layout l = example();
        l.partitions[3].label = "image_1_secondary";
        const auto d = checkMcubootLabels(l);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].partitions, std::vector<std::size_t>{3});
        QVERIFY2(d[0].message.find("FIXED_PARTITION_ID(slot1_partition)") != std::string::npos,
                 d[0].message.c_str());
        // It is the only problem validation finds (the rest are infos).
        std::vector<std::string> problems;
        for (const Diagnostic& x : validate(l))
            if (x.severity != Severity::Info)
                problems.push_back(x.rule);
        QCOMPARE(problems, std::vector<std::string>{"zephyr.mcuboot-label"});
    }

    void partitionManagerLayoutsKeepTheirOwnNames() {
        // PM names MCUboot's areas mcuboot_primary...; Zephyr's labels would break its build.
        Layout l = example();
        l.partitions[3].label = "mcuboot_secondary";
        QCOMPARE(checkMcubootLabels(l).size(), std::size_t(1));
        l.platform = Platform::PartitionManager;
        QVERIFY(checkMcubootLabels(l).empty());
    }

    void secondImagePairIsSlot2AndSlot3() {
        Layout l = example();
        l.partitions[2].imageIndex = 1; // slot0_partition now holds image 1's primary
        const auto d = checkMcubootLabels(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(d[0].message.find("slot2_partition") != std::string::npos, d[0].message.c_str());
        l.partitions[2].label = "slot2_partition";
        QVERIFY(checkMcubootLabels(l).empty());
    }

    void aDuplicateOfALabelledSlotIsMcubootsBusiness() {
        Layout l = example();
        Partition again = l.partitions[2];
        again.label = "slot0_again";
        again.offset = 0x10000;
        again.size = 0xe000;
        l.partitions.push_back(again);
        QVERIFY(checkMcubootLabels(l).empty());
    }

    void labelsMatterOnlyWithMcuboot() {
        Layout l = example();
        l.partitions[3].label = "image_1_secondary";
        l.bootloader = {};
        QVERIFY(checkMcubootLabels(l).empty());
    }

    void codePartitionIsSlot0WithMcuboot() {
        Layout l = example();
        flashplan::setProperty(l.properties, kCodePartitionProperty, "slot0_partition");
        QVERIFY(checkCodePartition(l).empty());
        flashplan::setProperty(l.properties, kCodePartitionProperty, "slot1_partition");
        const auto d = checkCodePartition(l);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].severity, Severity::Error);
        QCOMPARE(d[0].partitions, (std::vector<std::size_t>{3, 2}));
        QVERIFY2(d[0].message.find("(slot0_partition)") != std::string::npos, d[0].message.c_str());
        // Without MCUboot the application may live anywhere.
        l.bootloader = {};
        QVERIFY(checkCodePartition(l).empty());
    }

    void codePartitionMustExist() {
        Layout l = example();
        flashplan::setProperty(l.properties, kCodePartitionProperty, "slot9_partition");
        const auto d = checkCodePartition(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].message.find("'slot9_partition'") != std::string::npos);
    }

    void storageNeedsTwoWholeSectors() {
        Layout l = example();
        l.partitions[1].offset = 0x1f000; // storage_partition: one 4K sector
        l.partitions[1].size = 0x1000;
        const auto d = checkStorageSectors(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(d[0].message.find("1 whole sector ") != std::string::npos, d[0].message.c_str());
        QCOMPARE(d[0].partitions, std::vector<std::size_t>{1});
        // Two sectors, the nearest valid neighbour, is clean.
        l.partitions[1].offset = 0x1e000;
        l.partitions[1].size = 0x2000;
        QVERIFY(checkStorageSectors(l).empty());
    }

    void storageFixGrowsOnlyIntoFreeSpace() {
        Layout l = example();
        l.partitions[1].offset = 0x1e000;
        l.partitions[1].size = 0x1000; // 0x1f000..0x20000 is free: growing there is safe
        const auto d = checkStorageSectors(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].fix.has_value());
        QCOMPARE(d[0].fix->edits[0].size, quint64(0x2000));
        QVERIFY(checkStorageSectors(applyFix(l, *d[0].fix)).empty());
        l.partitions[1].offset = 0x1f000; // now the sector above is slot0's: no fix offered
        QVERIFY(!checkStorageSectors(l)[0].fix.has_value());
    }
};

QTEST_APPLESS_MAIN(TestZephyrRules)
#include "tst_zephyrrules.moc"
