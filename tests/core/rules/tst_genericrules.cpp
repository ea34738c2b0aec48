// SPDX-License-Identifier: Apache-2.0
#include "db/ExampleLayouts.h"
#include "rules/GenericRules.h"
#include "rules/RulePack.h"

#include <QtTest>

#include <algorithm>

using namespace flashplan;

namespace {

Partition part(const char* label, const char* dev, std::uint64_t off, std::uint64_t size) {
    Partition p;
    p.label = label;
    p.device = dev;
    p.offset = off;
    p.size = size;
    return p;
}

// STM32F407 internal flash (mapped at 0x08000000) and a 4K-sector external flash with a 4-byte write block.
Layout board() {
    Layout l;
    l.board.id = "test";
    FlashDevice f;
    f.id = "flash0";
    f.cpuBase = 0x08000000;
    f.sectors = *SectorMap::parse("4x16K,1x64K,7x128K");
    FlashDevice e;
    e.id = "ext0";
    e.kind = FlashKind::Qspi;
    e.sectors = *SectorMap::uniform(512, 4096);
    e.writeBlockSize = 4;
    l.board.devices = {f, e};
    return l;
}

std::vector<Diagnostic> withRule(const std::vector<Diagnostic>& all, const std::string& rule) {
    std::vector<Diagnostic> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const Diagnostic& d) { return d.rule == rule; });
    return out;
}

bool says(const Diagnostic& d, const char* text) {
    return d.message.find(text) != std::string::npos;
}

} // namespace

class TestGenericRules : public QObject {
    Q_OBJECT
private slots:
    void aGoodLayoutHasNoErrors() {
        Layout l = board();
        l.partitions = {part("boot_partition", "flash0", 0x0, 0x20000),
                        part("slot0_partition", "flash0", 0x20000, 0x60000),
                        part("slot1_partition", "flash0", 0x80000, 0x60000),
                        part("scratch", "flash0", 0xe0000, 0x20000), part("storage", "ext0", 0x0, 0x200000)};
        const auto diags = validate(l);
        QCOMPARE(countSeverities(diags).errors, std::size_t(0));
        QCOMPARE(countSeverities(diags).warnings, std::size_t(0));
    }

    void everyExampleLayoutIsClean() {
        const DeviceDatabase db = *DeviceDatabase::builtin();
        for (const std::string& name : ExampleLayouts::names()) {
            const auto diags = validate(*ExampleLayouts::load(name, db));
            const auto n = countSeverities(diags);
            QVERIFY2(n.errors == 0 && n.warnings == 0,
                     (name + ": " + (diags.empty() ? "" : diags[0].message)).c_str());
        }
    }

    void overlapNamesBothPartitions() {
        Layout l = board();
        l.partitions = {part("slot0_partition", "flash0", 0x20000, 0x60000),
                        part("slot1_partition", "flash0", 0x60000, 0x40000),
                        part("other_device", "ext0", 0x60000, 0x40000)};
        const auto d = withRule(checkGeneric(l), "generic.overlap");
        QCOMPARE(d.size(), std::size_t(1)); // the same range on another device is no overlap
        QCOMPARE(d[0].severity, Severity::Error);
        QCOMPARE(d[0].partitions, (std::vector<std::size_t>{0, 1}));
        QVERIFY2(says(d[0], "slot0_partition") && says(d[0], "slot1_partition"), d[0].message.c_str());
        QVERIFY2(says(d[0], "0x20000 (128 KiB)") && says(d[0], "CPU 0x08060000"), d[0].message.c_str());
    }

    void overlapsAreFoundPairwiseAndOnce() {
        Layout l = board();
        l.partitions = {part("a", "flash0", 0x20000, 0x80000), part("b", "flash0", 0x40000, 0x20000),
                        part("c", "flash0", 0x60000, 0x20000), part("d", "flash0", 0xa0000, 0x20000),
                        part("same", "flash0", 0x40000, 0x20000)};
        const auto d = checkOverlaps(l);
        // a-b, a-same, b-same, a-c. c touches b and d touches a without sharing a byte.
        QCOMPARE(d.size(), std::size_t(4));
        std::vector<std::vector<std::size_t>> pairs;
        for (const auto& x : d)
            pairs.push_back(x.partitions);
        std::sort(pairs.begin(), pairs.end());
        QCOMPARE(pairs, (std::vector<std::vector<std::size_t>>{{0, 1}, {0, 2}, {0, 4}, {1, 4}}));
    }

    void outsideTheDevice() {
        Layout l = board();
        l.partitions = {part("tail", "flash0", 0xe0000, 0x40000), part("beyond", "flash0", 0x100000, 0x1000)};
        const auto d = checkBounds(l);
        QCOMPARE(d.size(), std::size_t(2));
        QVERIFY2(says(d[0], "past the end of flash0"), d[0].message.c_str());
        QVERIFY(d[0].fix.has_value());
        QCOMPARE(d[0].fix->edits[0].size, quint64(0x20000));
        QVERIFY2(says(d[1], "beyond the end"), d[1].message.c_str());
        QVERIFY(!d[1].fix.has_value());
    }

    void unknownDevice() {
        Layout l = board();
        l.partitions = {part("p", "qspi9", 0, 0x1000)};
        const auto d = checkDevices(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(says(d[0], "'qspi9' is not on board test (it has flash0, ext0)"), d[0].message.c_str());
        // The other checks leave it alone rather than guess a geometry.
        QCOMPARE(validate(l).size(), std::size_t(3)); // unknown-device + free space on both devices
    }

    void sectorAlignmentWithNearestBoundaryFix() {
        Layout l = board();
        // Starts 4K into the 128K sector at 0x20000, ends 4K into the one at 0x80000.
        l.partitions = {part("slot1_partition", "flash0", 0x21000, 0x60000)};
        const auto d = checkSectorAlignment(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(says(d[0], "offset 0x21000 is not on a sector boundary of flash0") &&
                     says(d[0], "128 KiB sector at 0x20000 (CPU 0x08020000)") && says(d[0], "end 0x81000"),
                 d[0].message.c_str());
        QVERIFY(d[0].fix.has_value());
        QCOMPARE(d[0].fix->edits[0].offset, quint64(0x20000));
        QCOMPARE(d[0].fix->edits[0].size, quint64(0x60000));
        // Applying the fix makes the rule quiet.
        QVERIFY(checkSectorAlignment(applyFix(l, *d[0].fix)).empty());
    }

    void sectorAlignmentFixNeverCollapsesAPartition() {
        Layout l = board();
        l.partitions = {part("tiny", "flash0", 0x20100, 0x100)}; // both ends round to 0x20000
        const auto d = checkSectorAlignment(l);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].fix->edits[0].offset, quint64(0x20000));
        QCOMPARE(d[0].fix->edits[0].size, quint64(0x20000));
    }

    void writeBlockAlignment() {
        Layout l = board();
        l.partitions = {part("odd", "ext0", 0x1002, 0xffe), part("fine", "ext0", 0x2000, 0x1000)};
        const auto d = checkWriteBlockAlignment(l);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(
            says(d[0], "offset 0x1002 and size 0xffe are not a multiple of the 4-byte write block of ext0"),
            d[0].message.c_str());
        QCOMPARE(d[0].fix->edits[0].offset, quint64(0x1000));
        QCOMPARE(d[0].fix->edits[0].size, quint64(0x1000));
    }

    void anUnknownWriteBlockIsSaidOncePerDeviceInUse() {
        Layout l = board();
        l.board.devices[1].writeBlockKnown = false; // as a board imported from a CMSIS-Pack
        l.partitions = {part("boot_partition", "flash0", 0x0, 0x20000), part("a", "ext0", 0x0, 0x1000),
                        part("b", "ext0", 0x1000, 0x1000)};
        const auto found = withRule(checkGeneric(l), "generic.write-block-unknown");
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(found[0].severity, Severity::Warning);
        QCOMPARE(found[0].partitions, (std::vector<std::size_t>{1, 2}));
        QVERIFY(says(found[0], "ext0"));
        // A device with no partition on it says nothing.
        l.partitions.resize(1);
        QVERIFY(withRule(checkGeneric(l), "generic.write-block-unknown").empty());
    }

    void labels() {
        Layout l = board();
        l.partitions = {part("slot-0", "flash0", 0x0, 0x4000), part("", "flash0", 0x4000, 0x4000),
                        part("storage", "flash0", 0x8000, 0x4000), part("storage", "flash0", 0xc000, 0x4000),
                        part("9lives", "flash0", 0x10000, 0x10000)};
        const auto invalid = withRule(checkLabels(l), "generic.label-invalid");
        QCOMPARE(invalid.size(), std::size_t(3));
        QVERIFY(says(invalid[0], "'slot-0' is not a C identifier"));
        QVERIFY(says(invalid[1], "partition #1 has no label"));
        const auto dup = withRule(checkLabels(l), "generic.label-duplicate");
        QCOMPARE(dup.size(), std::size_t(1));
        QCOMPARE(dup[0].partitions, (std::vector<std::size_t>{2, 3}));
        QVERIFY2(says(dup[0], "'storage' is used by 2 partitions (#2, #3)"), dup[0].message.c_str());
    }

    void emptyPartition() {
        Layout l = board();
        l.partitions = {part("nothing", "flash0", 0x4000, 0)};
        const auto all = checkGeneric(l);
        QCOMPARE(withRule(all, "generic.empty").size(), std::size_t(1));
        // An empty partition overlaps nothing and has no alignment of its own to check.
        QVERIFY(withRule(all, "generic.overlap").empty());
        QVERIFY(withRule(all, "generic.sector-alignment").empty());
    }

    void nestedPartitionsShareTheirParentsBytes() {
        // Partition Manager style: a slot container holding an MCUboot pad and the app.
        Layout l = board();
        l.partitions = {part("mcuboot_primary", "ext0", 0x8000, 0xef000),
                        part("mcuboot_pad", "ext0", 0x8000, 0x200), part("app", "ext0", 0x8200, 0xeee00),
                        part("settings", "ext0", 0xf7000, 0x8000)};
        l.partitions[1].parent = "mcuboot_primary";
        l.partitions[2].parent = "mcuboot_primary";
        const auto all = checkGeneric(l);
        QVERIFY(withRule(all, "generic.overlap").empty());
        QVERIFY(
            withRule(all, "generic.sector-alignment").empty()); // the pad and app are not on 4K boundaries
        QVERIFY(withRule(all, "generic.parent").empty());
        // Without the parent link they are ordinary overlaps.
        l.partitions[2].parent.clear();
        QCOMPARE(withRule(checkGeneric(l), "generic.overlap").size(), std::size_t(1));
    }

    void parentProblems() {
        Layout l = board();
        l.partitions = {part("outer", "ext0", 0x0, 0x10000),     part("sticks_out", "ext0", 0xf000, 0x2000),
                        part("orphan", "ext0", 0x20000, 0x1000), part("a", "ext0", 0x30000, 0x1000),
                        part("b", "ext0", 0x30000, 0x1000),      part("elsewhere", "flash0", 0x0, 0x4000)};
        l.partitions[1].parent = "outer";
        l.partitions[2].parent = "nobody";
        l.partitions[3].parent = "b";
        l.partitions[4].parent = "a";
        l.partitions[5].parent = "outer";
        const auto d = checkParents(l);
        QCOMPARE(d.size(), std::size_t(5));
        QVERIFY2(says(d[0], "sticks_out (ext0 0xf000..0x11000) does not lie inside its parent outer"),
                 d[0].message.c_str());
        QVERIFY2(says(d[1], "parent 'nobody' is not a partition"), d[1].message.c_str());
        QVERIFY2(says(d[2], "its own ancestor"), d[2].message.c_str());
        QVERIFY2(says(d[3], "its own ancestor"), d[3].message.c_str());
        QVERIFY2(says(d[4], "elsewhere (flash0"), d[4].message.c_str());
    }

    void readOnlyPartitionWithAnImage() {
        Layout l = board();
        l.partitions = {part("boot_partition", "flash0", 0x0, 0x20000),
                        part("slot0", "flash0", 0x20000, 0x20000)};
        l.partitions[0].readOnly = true;
        QVERIFY(checkReadOnlyWrites(l).empty());
        l.partitions[0].image = "mcuboot.bin";
        l.partitions[1].image = "app.bin";
        const auto d = checkReadOnlyWrites(l);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].partitions, (std::vector<std::size_t>{0}));
        QCOMPARE(d[0].severity, Severity::Warning); // the preflight refuses the write; nothing else breaks
        QVERIFY(says(d[0], "read-only") && says(d[0], "mcuboot.bin"));
    }

    void freeSpaceIsInformation() {
        Layout l = board();
        l.partitions = {part("a", "flash0", 0x10000, 0x10000), part("b", "flash0", 0x40000, 0x20000)};
        const auto d = checkFreeSpace(l);
        QCOMPARE(d.size(), std::size_t(4)); // before a, a..b, after b, and all of ext0
        for (const auto& x : d)
            QCOMPARE(x.severity, Severity::Info);
        QVERIFY2(says(d[0], "0x0..0x10000 (64 KiB) is free before a"), d[0].message.c_str());
        QVERIFY2(says(d[1], "0x20000..0x40000 (128 KiB) is free between a and b"), d[1].message.c_str());
        QVERIFY2(says(d[2], "0x60000..0x100000"), d[2].message.c_str());
        QVERIFY2(says(d[3], "ext0: no partitions"), d[3].message.c_str());
    }

    void freeSpaceCountsWhatOfAnOverrunningPartitionLiesOnTheDevice() {
        Layout l = board();
        // flash0 is 1 MiB: storage runs 0x20000 past its end, and still holds its last 0x20000 bytes.
        l.partitions = {part("storage", "flash0", 0xe0000, 0x40000)};
        const auto d = checkFreeSpace(l);
        QCOMPARE(d.size(), std::size_t(2)); // before storage, and all of ext0
        QVERIFY2(says(d[0], "flash0: 0x0..0xe0000 (896 KiB) is free before storage"), d[0].message.c_str());
        QVERIFY2(says(d[1], "ext0: no partitions"), d[1].message.c_str());
    }

    void validateOrdersBySeverityThenPartition() {
        Layout l = board();
        l.partitions = {part("a", "flash0", 0x0, 0x4000), part("b-bad", "flash0", 0x8000, 0x4000),
                        part("c", "flash0", 0x1000, 0x2000)};
        const auto d = validate(l);
        QVERIFY(!d.empty());
        for (std::size_t i = 1; i < d.size(); ++i) {
            QVERIFY(d[i - 1].severity >= d[i].severity);
            if (d[i - 1].severity == d[i].severity && !d[i].partitions.empty() &&
                !d[i - 1].partitions.empty())
                QVERIFY(d[i - 1].partitions.front() <= d[i].partitions.front());
        }
        QCOMPARE(d.front().severity, Severity::Error);
        QCOMPARE(d.back().severity, Severity::Info);
    }

    void partitionManagerContainersGroupWhatTheySpan() {
        Layout l = board();
        Partition primary = part("mcuboot_primary", "ext0", 0x0, 0x40000);
        flashplan::setProperty(primary.properties, "pm.span", "[mcuboot_pad, tfm, app]");
        Partition secure = part("tfm_secure", "ext0", 0x0, 0x8000);
        flashplan::setProperty(secure.properties, "pm.span", "[mcuboot_pad, tfm]");
        Partition appImage = part("app_image", "ext0", 0x200, 0x3be00);
        flashplan::setProperty(appImage.properties, "pm.span", "[tfm, app]");
        l.partitions = {primary,
                        secure,
                        part("mcuboot_pad", "ext0", 0x0, 0x200),
                        appImage,
                        part("tfm", "ext0", 0x200, 0x7e00),
                        part("app", "ext0", 0x8000, 0x34000),
                        part("settings_storage", "ext0", 0x3c000, 0x4000)};
        // Without the platform every crossing is an overlap.
        QVERIFY(withRule(checkOverlaps(l), "generic.overlap").size() > 3);
        l.platform = Platform::PartitionManager;
        const auto d = checkOverlaps(l);
        // Containers cross each other and hold what they span; app is placed by PM in the gap; what stays
        // is the container that covers a partition it does not span.
        std::vector<Diagnostic> errors;
        for (const Diagnostic& x : d)
            if (x.severity == Severity::Error)
                errors.push_back(x);
        QCOMPARE(errors.size(), std::size_t(1));
        QVERIFY2(says(errors[0], "mcuboot_primary does not span settings_storage"),
                 errors[0].message.c_str());
        // tfm into app's first bytes: PM places app itself, so a warning.
        l.partitions[4].size = 0x8000;
        QCOMPARE(countSeverities(checkOverlaps(l)).errors, std::size_t(1));
        QCOMPARE(countSeverities(checkOverlaps(l)).warnings, std::size_t(1));
        // mcuboot_pad into tfm: two leaves overlap (and app_image does not span the pad).
        l.partitions[2].size = 0x400;
        const auto more = checkOverlaps(l);
        QCOMPARE(countSeverities(more).errors, std::size_t(3));
        QVERIFY(std::any_of(more.begin(), more.end(), [](const Diagnostic& x) {
            return x.severity == Severity::Error && x.partitions == std::vector<std::size_t>{2, 4};
        }));
    }

    void aPartitionNothingErasesAloneNeedNotAlign() {
        Layout l = board();
        // RP2040-like: a 256-byte second-stage bootloader and the code after it, both read-only.
        l.partitions = {part("second_stage_bootloader", "ext0", 0x0, 0x100),
                        part("code", "ext0", 0x100, 0xff00)};
        QCOMPARE(checkSectorAlignment(l).size(), std::size_t(2));
        l.partitions[0].readOnly = l.partitions[1].readOnly = true;
        QVERIFY(checkSectorAlignment(l).empty());
        // A linker memory region (TI's CCFG, the last 88 bytes) is part of the linked image.
        Partition ccfg = part("ti_ccfg_partition", "ext0", 0x1fffa8, 88);
        l.partitions.push_back(ccfg);
        QCOMPARE(checkSectorAlignment(l).size(), std::size_t(1));
        flashplan::setProperty(l.partitions[2].properties, "dts.prop.compatible", "\"zephyr,memory-region\"");
        QVERIFY(checkSectorAlignment(l).empty());
        // An image slot or storage area is erased sector by sector: read-only does not excuse it.
        l.partitions[1].role = PartitionRole::Slot0;
        QCOMPARE(checkSectorAlignment(l).size(), std::size_t(1));
    }

    void anInferredSectorMapOnlyWarns() {
        Layout l = board();
        l.partitions = {part("storage", "ext0", 0x800, 0x1000)};
        QCOMPARE(checkSectorAlignment(l).front().severity, Severity::Error);
        l.board.devices[1].geometryInferred = true;
        const auto d = checkSectorAlignment(l);
        QCOMPARE(d.front().severity, Severity::Warning);
        QVERIFY2(says(d.front(), "is inferred"), d.front().message.c_str());
    }

    void espIdfJudgesNamesAndSizesByItsOwnTool() {
        Layout l = board();
        l.partitions = {part("phy_\xd0\xb8\xd0\xbd\xd0\xb8\xd1\x82_", "ext0", 0x9000, 0x1000),
                        part("zb_fct", "ext0", 0x10000, 0x400)};
        QCOMPARE(checkLabels(l).front().severity, Severity::Error);
        QCOMPARE(checkSectorAlignment(l).front().severity, Severity::Error);
        l.platform = Platform::EspIdf;
        const auto labels = checkLabels(l);
        QCOMPARE(labels.front().severity, Severity::Warning);
        QVERIFY2(says(labels.front(), "export to dts or c-flash-map"), labels.front().message.c_str());
        QCOMPARE(checkSectorAlignment(l).front().severity, Severity::Warning);
        // A neighbour in the same sector would lose bytes to an erase: an error again.
        l.partitions.push_back(part("next", "ext0", 0x10400, 0xc00));
        QCOMPARE(countSeverities(checkSectorAlignment(l)).errors, std::size_t(2));
    }

    void espIdfsBootloaderAreaIsNotFree() {
        Layout l = board();
        l.board.devices.erase(l.board.devices.begin());
        l.partitions = {part("nvs", "ext0", 0x9000, 0x6000)};
        const auto before = [&] {
            for (const Diagnostic& d : checkFreeSpace(l))
                if (says(d, "before nvs"))
                    return true;
            return false;
        };
        QVERIFY(before());
        l.platform = Platform::EspIdf;
        QVERIFY(!before());
        // A table placed by a partition_table row ends the bootloader's area there.
        Partition table = part("partition_table", "ext0", 0x10000, 0x1000);
        flashplan::setProperty(table.properties, "esp-idf.type", "partition_table");
        l.partitions = {table};
        const auto free = checkFreeSpace(l);
        QVERIFY(std::any_of(free.begin(), free.end(), [](const Diagnostic& d) { return says(d, "after"); }));
        QVERIFY(
            std::none_of(free.begin(), free.end(), [](const Diagnostic& d) { return says(d, "before"); }));
    }

    void partitionManagerFreeSpaceMayCoverOthers() {
        Layout l = board();
        // external_flash, the region's free-space partition, still covers a slot added after PM wrote it.
        l.partitions = {part("external_flash", "ext0", 0x20000, 0x60000),
                        part("mcuboot_secondary_1", "ext0", 0x20000, 0x20000)};
        l.platform = Platform::PartitionManager;
        QCOMPARE(countSeverities(checkOverlaps(l)).errors, std::size_t(1)); // not yet known as free space
        flashplan::setProperty(l.properties, "pm.region.ext0", "external_flash");
        const auto d = checkOverlaps(l);
        QCOMPARE(countSeverities(d).errors, std::size_t(0));
        QCOMPARE(countSeverities(d).warnings, std::size_t(1));
        QVERIFY2(says(d.front(),
                      "free-space partition of its region, so whatever takes that free space would "
                      "erase mcuboot_secondary_1"),
                 d.front().message.c_str());
    }

    void partitionManagerAcceptsAnEmptyPartition() {
        Layout l = board();
        l.partitions = {part("ram_flash", "ext0", 0x40000, 0)};
        QCOMPARE(checkEmpty(l).front().severity, Severity::Error);
        l.platform = Platform::PartitionManager;
        QCOMPARE(checkEmpty(l).front().severity, Severity::Warning);
    }

    void rulePacksAreListedById() {
        const auto packs = allRulePacks();
        QVERIFY(!packs.empty());
        for (std::size_t i = 1; i < packs.size(); ++i)
            QVERIFY(packs[i - 1].id < packs[i].id);
        QCOMPARE(packs.front().id, std::string_view("generic"));
    }
};

QTEST_APPLESS_MAIN(TestGenericRules)
#include "tst_genericrules.moc"
