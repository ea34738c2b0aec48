// SPDX-License-Identifier: Apache-2.0
// The MCUboot rule pack: each rule fails on a layout that breaks it alone and passes on the nearest
// valid layout; fixes, once applied, leave a clean layout.
#include "db/ExampleLayouts.h"
#include "io/JsonModel.h"
#include "rules/McubootRules.h"
#include "rules/RulePack.h"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace flashplan;

namespace {

Partition part(const char* label, const char* dev, std::uint64_t off, std::uint64_t size, PartitionRole role,
               int image = 0) {
    Partition p;
    p.label = label;
    p.device = dev;
    p.offset = off;
    p.size = size;
    p.role = role;
    p.imageIndex = image;
    return p;
}

FlashDevice device(const char* id, FlashKind kind, const char* sectors, std::uint32_t writeBlock) {
    FlashDevice d;
    d.id = id;
    d.kind = kind;
    d.sectors = *SectorMap::parse(sectors);
    d.writeBlockSize = writeBlock;
    return d;
}

// An nRF52840-like internal flash (4 KiB pages, 4-byte words), an external QSPI flash with 4 KiB sectors,
// one with 64 KiB sectors, and two with 8 KiB and 12 KiB sectors for sector-compatibility cases.
Layout board() {
    Layout l;
    l.board.id = "test";
    FlashDevice f = device("flash0", FlashKind::Internal, "256x4K", 4);
    f.cpuBase = 0;
    l.board.devices = {
        f, device("ext0", FlashKind::Qspi, "2048x4K", 4), device("ext64", FlashKind::Spi, "128x64K", 1),
        device("ext8", FlashKind::Spi, "128x8K", 4), device("ext12", FlashKind::Spi, "64x12K", 4)};
    l.bootloader.kind = "mcuboot";
    return l;
}

Layout withMode(Layout l, const char* mode) {
    l.bootloader.mode = mode;
    return l;
}

Layout scratchLayout() {
    Layout l = withMode(board(), "swap-using-scratch");
    l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000, PartitionRole::Boot),
                    part("slot0_partition", "flash0", 0x10000, 0x70000, PartitionRole::Slot0),
                    part("slot1_partition", "flash0", 0x80000, 0x70000, PartitionRole::Slot1),
                    part("scratch_partition", "flash0", 0xf0000, 0x10000, PartitionRole::Scratch)};
    return l;
}

// swap-using-move: internal primary one 4 KiB sector larger than the external secondary.
Layout moveLayout() {
    Layout l = withMode(board(), "swap-using-move");
    l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000, PartitionRole::Boot),
                    part("slot0_partition", "flash0", 0x10000, 0x71000, PartitionRole::Slot0),
                    part("slot1_partition", "ext0", 0x0, 0x70000, PartitionRole::Slot1)};
    return l;
}

// swap-using-offset: the secondary one sector larger.
Layout offsetLayout() {
    Layout l = withMode(board(), "swap-using-offset");
    l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000, PartitionRole::Boot),
                    part("slot0_partition", "flash0", 0x10000, 0x70000, PartitionRole::Slot0),
                    part("slot1_partition", "ext0", 0x0, 0x71000, PartitionRole::Slot1)};
    return l;
}

Layout equalSlotsLayout(const char* mode) {
    Layout l = withMode(board(), mode);
    l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000, PartitionRole::Boot),
                    part("slot0_partition", "flash0", 0x10000, 0x70000, PartitionRole::Slot0),
                    part("slot1_partition", "flash0", 0x80000, 0x70000, PartitionRole::Slot1)};
    return l;
}

// STM32F407: 4x16K, 1x64K, 7x128K, byte writes.
Layout stm32f4(std::uint64_t scratchOffset, std::uint64_t scratchSize) {
    Layout l;
    l.board.id = "stm32f4_disco";
    FlashDevice f = device("flash0", FlashKind::Internal, "4x16K,1x64K,7x128K", 1);
    f.cpuBase = 0x08000000;
    l.board.devices = {f};
    l.bootloader.kind = "mcuboot";
    l.bootloader.mode = "swap-using-scratch";
    l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000, PartitionRole::Boot),
                    part("scratch_partition", "flash0", scratchOffset, scratchSize, PartitionRole::Scratch),
                    part("slot0_partition", "flash0", 0x20000, 0x60000, PartitionRole::Slot0),
                    part("slot1_partition", "flash0", 0x80000, 0x60000, PartitionRole::Slot1)};
    return l;
}

std::vector<Diagnostic> withRule(const std::vector<Diagnostic>& all, const std::string& rule) {
    std::vector<Diagnostic> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const Diagnostic& d) { return d.rule == rule; });
    return out;
}

/// The rules that gave an error or a warning.
std::set<std::string> complaints(const Layout& l) {
    std::set<std::string> out;
    for (const Diagnostic& d : validate(l))
        if (d.severity != Severity::Info)
            out.insert(d.rule);
    return out;
}

std::string show(const std::vector<Diagnostic>& diags) {
    std::string out;
    for (const Diagnostic& d : diags)
        if (d.severity != Severity::Info)
            out += "[" + d.rule + "] " + d.message + "\n";
    return out;
}

bool says(const Diagnostic& d, const char* text) {
    return d.message.find(text) != std::string::npos;
}

#define VERIFY_CLEAN(layout)                                                                                 \
    do {                                                                                                     \
        const auto all_ = validate(layout);                                                                  \
        QVERIFY2(complaints(layout).empty(), show(all_).c_str());                                            \
    } while (false)

#define VERIFY_ONLY(layout, rule)                                                                            \
    do {                                                                                                     \
        const auto all_ = validate(layout);                                                                  \
        QVERIFY2(complaints(layout) == std::set<std::string>{rule}, show(all_).c_str());                     \
    } while (false)

} // namespace

class TestMcubootRules : public QObject {
    Q_OBJECT
private slots:
    void theBaseLayoutsAreClean() {
        for (const Layout& l :
             {scratchLayout(), moveLayout(), offsetLayout(), equalSlotsLayout("overwrite-only"),
              equalSlotsLayout("direct-xip"), equalSlotsLayout("ram-load")}) {
            VERIFY_CLEAN(l);
            QCOMPARE(withRule(validate(l), "mcuboot.image-space").size(), std::size_t(1));
        }
    }

    void thePackAppliesToMcubootLayoutsOnly() {
        Layout l = scratchLayout();
        l.bootloader.kind = "wolfboot";
        for (const Diagnostic& d : validate(l))
            QVERIFY2(d.rule.rfind("mcuboot.", 0) != 0, d.message.c_str());
        QVERIFY(!mcubootImageSpace(l, 0));
    }

    void everyExampleLayoutIsCleanForMcuboot() {
        const DeviceDatabase db = *DeviceDatabase::builtin();
        for (const std::string& name : ExampleLayouts::names()) {
            const Layout l = *ExampleLayouts::load(name, db);
            VERIFY_CLEAN(l);
            if (isMcubootLayout(l))
                QVERIFY2(!withRule(validate(l), "mcuboot.image-space").empty(), name.c_str());
        }
    }

    void theExamplesImageSpaces() {
        const DeviceDatabase db = *DeviceDatabase::builtin();
        // zephyr-flash-map: swap-using-scratch, 0x60000 slots of 4 KiB pages, BOOT_WRITE_SZ 4.
        const auto zephyr =
            withRule(validate(*ExampleLayouts::load("zephyr-flash-map", db)), "mcuboot.image-space");
        QCOMPARE(zephyr.size(), std::size_t(1));
        QVERIFY2(says(zephyr[0], "slot0_partition: image space 0x5f9d0") && says(zephyr[0], "trailer 0x630"),
                 zephyr[0].message.c_str());
        // nrf52840-mcuboot-external: swap-using-move, 235/234 sectors, BOOT_MAX_IMG_SECTORS 256.
        const auto space = mcubootImageSpace(*ExampleLayouts::load("nrf52840-mcuboot-external", db), 0);
        QVERIFY(space.has_value());
        QCOMPARE(space->space.trailer, quint64(0xc30));
        QCOMPARE(space->space.space, quint64(0xe9000));
    }

    // --- roles ---------------------------------------------------------------------------------------

    void mode() {
        const Layout bad = withMode(scratchLayout(), "swap-using-magic");
        VERIFY_ONLY(bad, "mcuboot.mode");
        QVERIFY(says(withRule(validate(bad), "mcuboot.mode")[0],
                     "'swap-using-magic' is not an MCUboot upgrade mode"));
        VERIFY_CLEAN(scratchLayout());
    }

    void missingBoot() {
        Layout l = scratchLayout();
        l.partitions.erase(l.partitions.begin());
        VERIFY_ONLY(l, "mcuboot.missing-boot");
    }

    void missingSlot() {
        Layout l = equalSlotsLayout("overwrite-only");
        l.partitions.pop_back();
        VERIFY_ONLY(l, "mcuboot.missing-slot");
        const auto d = withRule(validate(l), "mcuboot.missing-slot");
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(says(d[0], "image 0 has a primary slot (slot0_partition) but no secondary slot"),
                 d[0].message.c_str());
        QCOMPARE(d[0].partitions, (std::vector<std::size_t>{1}));

        // Images are numbered without gaps: image 2 without image 1.
        Layout gap = scratchLayout();
        gap.partitions.push_back(part("slot4_partition", "ext0", 0x0, 0x70000, PartitionRole::Slot0, 2));
        gap.partitions.push_back(part("slot5_partition", "ext0", 0x70000, 0x70000, PartitionRole::Slot1, 2));
        VERIFY_ONLY(gap, "mcuboot.missing-slot");
        QVERIFY(says(withRule(validate(gap), "mcuboot.missing-slot")[0], "image 1 has no slots"));
    }

    void duplicateRole() {
        Layout l = moveLayout();
        l.partitions.push_back(part("slot0_again", "ext0", 0x80000, 0x71000, PartitionRole::Slot0));
        VERIFY_ONLY(l, "mcuboot.duplicate-role");
        QCOMPARE(withRule(validate(l), "mcuboot.duplicate-role")[0].partitions,
                 (std::vector<std::size_t>{1, 3}));
    }

    void missingScratch() {
        Layout l = scratchLayout();
        l.partitions.pop_back();
        VERIFY_ONLY(l, "mcuboot.missing-scratch");
        QCOMPARE(withRule(validate(l), "mcuboot.missing-scratch")[0].partitions,
                 (std::vector<std::size_t>{1, 2}));
        Layout two = scratchLayout();
        two.partitions.push_back(part("scratch2", "ext0", 0x0, 0x10000, PartitionRole::Scratch));
        VERIFY_ONLY(two, "mcuboot.duplicate-role");
        VERIFY_CLEAN(scratchLayout());
    }

    void unusedScratch() {
        Layout l = moveLayout();
        l.partitions.push_back(part("scratch_partition", "flash0", 0xf0000, 0x10000, PartitionRole::Scratch));
        VERIFY_ONLY(l, "mcuboot.unused-scratch");
        QCOMPARE(withRule(validate(l), "mcuboot.unused-scratch")[0].severity, Severity::Warning);
        VERIFY_CLEAN(moveLayout());
    }

    // --- slot sizes ----------------------------------------------------------------------------------

    void slotSizeSwapScratchNeedsEqualSlots() {
        Layout l = scratchLayout();
        l.partitions[2].size = 0x60000;
        VERIFY_ONLY(l, "mcuboot.slot-size");
        const Diagnostic d = withRule(validate(l), "mcuboot.slot-size")[0];
        QCOMPARE(d.severity, Severity::Error);
        QVERIFY2(says(d, "Cannot upgrade: slots are not compatible"), d.message.c_str());
        // slot1 grows back into the free space before the scratch.
        QVERIFY(d.fix.has_value());
        QCOMPARE(d.fix->edits, (std::vector<PartitionEdit>{{2, 0x80000, 0x70000}}));
        VERIFY_CLEAN(applyFix(l, *d.fix));
        // With the scratch right behind slot1, slot0 shrinks to match instead.
        l.partitions[3].offset = 0xe0000;
        const Diagnostic shrink = withRule(validate(l), "mcuboot.slot-size")[0];
        QCOMPARE(shrink.fix->edits, (std::vector<PartitionEdit>{{1, 0x10000, 0x60000}}));
        VERIFY_CLEAN(applyFix(l, *shrink.fix));
    }

    void slotSizeSwapMoveNonOptimalIsAWarning() {
        Layout l = moveLayout();
        l.partitions[1].size = 0x70000; // as many sectors as the secondary
        VERIFY_ONLY(l, "mcuboot.slot-size");
        const Diagnostic d = withRule(validate(l), "mcuboot.slot-size")[0];
        QCOMPARE(d.severity, Severity::Warning);
        QVERIFY2(
            says(d,
                 "Non-optimal sector distribution, slot0 has 111 usable sectors (112 assigned) but slot1 has "
                 "112 assigned"),
            d.message.c_str());
        QVERIFY(d.fix.has_value());
        QCOMPARE(d.fix->edits[0].size, quint64(0x71000)); // slot0 grows by one sector
        VERIFY_CLEAN(applyFix(l, *d.fix));
    }

    void slotSizeSwapMoveWrongCountIsAnError() {
        Layout l = moveLayout();
        l.partitions[1].size = 0x72000; // 114 sectors against 112
        VERIFY_ONLY(l, "mcuboot.slot-size");
        const Diagnostic d = withRule(validate(l), "mcuboot.slot-size")[0];
        QCOMPARE(d.severity, Severity::Error);
        QVERIFY2(says(d, "Cannot upgrade: not a compatible amount of sectors") &&
                     says(d, "slot0 sectors: 114, slot1 sectors: 112, usable slot0 sectors: 113"),
                 d.message.c_str());
        QCOMPARE(d.fix->edits[0].partition, std::size_t(2)); // the secondary grows to 113 sectors
        QCOMPARE(d.fix->edits[0].size, quint64(0x71000));
        VERIFY_CLEAN(applyFix(l, *d.fix));
    }

    void slotSizeSwapOffsetWantsTheLargerSecondary() {
        Layout equal = offsetLayout();
        equal.partitions[2].size = 0x70000;
        VERIFY_ONLY(equal, "mcuboot.slot-size");
        const Diagnostic w = withRule(validate(equal), "mcuboot.slot-size")[0];
        QCOMPARE(w.severity, Severity::Warning);
        QVERIFY2(says(w, "slot0 has 112 usable sectors but slot1 has 111 usable sectors"), w.message.c_str());
        VERIFY_CLEAN(applyFix(equal, *w.fix));

        Layout wrong = offsetLayout();
        wrong.partitions[2].size = 0x6f000; // the secondary smaller: not accepted
        VERIFY_ONLY(wrong, "mcuboot.slot-size");
        const Diagnostic e = withRule(validate(wrong), "mcuboot.slot-size")[0];
        QCOMPARE(e.severity, Severity::Error);
        VERIFY_CLEAN(applyFix(wrong, *e.fix));
    }

    void slotSizeDirectXipUnequalIsAWarning() {
        Layout l = equalSlotsLayout("direct-xip");
        l.partitions[2].size = 0x60000;
        VERIFY_ONLY(l, "mcuboot.slot-size");
        QCOMPARE(withRule(validate(l), "mcuboot.slot-size")[0].severity, Severity::Warning);
        Layout o = equalSlotsLayout("overwrite-only");
        o.partitions[2].size = 0x60000;
        QCOMPARE(withRule(validate(o), "mcuboot.slot-size")[0].severity, Severity::Error);
    }

    // --- sector compatibility ------------------------------------------------------------------------

    void sectorCompatSwapScratch() {
        Layout l = scratchLayout();
        l.partitions[1] = part("slot0_partition", "ext8", 0x0, 0x18000, PartitionRole::Slot0);  // 12 x 8 KiB
        l.partitions[2] = part("slot1_partition", "ext12", 0x0, 0x18000, PartitionRole::Slot1); // 8 x 12 KiB
        VERIFY_ONLY(l, "mcuboot.sector-compat");
        const Diagnostic d = withRule(validate(l), "mcuboot.sector-compat")[0];
        QVERIFY2(says(d, "Cannot upgrade: slots have non-compatible sectors"), d.message.c_str());
        QVERIFY(!d.fix.has_value()); // no logical sector size suits 12 KiB sectors

        // Its neighbour: 8 KiB sectors against 4 KiB ones, each 8 KiB sector holding two.
        l.partitions[2] = part("slot1_partition", "ext0", 0x0, 0x18000, PartitionRole::Slot1);
        VERIFY_CLEAN(l);
    }

    void sectorCompatSwapMoveProposesALogicalSectorSize() {
        Layout l = moveLayout();
        l.partitions[1].size = 0x70000;                                                         // 112 x 4 KiB
        l.partitions[2] = part("slot1_partition", "ext64", 0x0, 0x60000, PartitionRole::Slot1); // 6 x 64 KiB
        VERIFY_ONLY(l, "mcuboot.sector-compat");
        const Diagnostic d = withRule(validate(l), "mcuboot.sector-compat")[0];
        QVERIFY2(says(d, "all sectors of both slots must be the same size") &&
                     says(d, "Cannot upgrade: not a compatible amount of sectors"),
                 d.message.c_str());
        QVERIFY(d.fix.has_value());
        QCOMPARE(d.fix->settings, (std::vector<std::pair<std::string, std::string>>{
                                      {"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x10000"}}));
        const Layout fixed = applyFix(l, *d.fix);
        VERIFY_CLEAN(fixed);
        // On 64 KiB logical sectors: 7 and 6 of them; the trailer takes one, the move another.
        QCOMPARE(mcubootImageSpace(fixed, 0)->space.space, quint64(0x50000));

        VERIFY_CLEAN(moveLayout()); // the neighbour: a secondary with 4 KiB sectors too
    }

    // --- scratch -------------------------------------------------------------------------------------

    void scratchOnStm32f4Of64KiBIsTooSmall() {
        const Layout l = stm32f4(0x10000, 0x10000);
        VERIFY_ONLY(l, "mcuboot.scratch-size");
        const auto d = withRule(validate(l), "mcuboot.scratch-size");
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(says(d[0], "scratch_partition (0x10000, 64 KiB) cannot hold the 128 KiB") &&
                     says(d[0], "Cannot upgrade: not all sectors fit inside scratch"),
                 d[0].message.c_str());
        // It cannot grow into slot0, so it moves to the first free 128 KiB sector.
        QVERIFY(d[0].fix.has_value());
        QCOMPARE(d[0].fix->edits, (std::vector<PartitionEdit>{{1, 0xe0000, 0x20000}}));
        QVERIFY2(d[0].fix->description.rfind("Move scratch_partition to 0xe0000", 0) == 0,
                 d[0].fix->description.c_str());
        VERIFY_CLEAN(applyFix(l, *d[0].fix));
    }

    void scratchOnStm32f4Of128KiBIsClean() { VERIFY_CLEAN(stm32f4(0xe0000, 0x20000)); }

    void scratchGrowsInPlaceWhenTheSpaceAfterIsFree() {
        Layout l = scratchLayout();
        l.partitions[1].size = 0x60000;
        l.partitions[2] = part("slot1_partition", "ext64", 0x0, 0x60000, PartitionRole::Slot1);
        l.partitions[3].size = 0x1000; // one 4 KiB page against 64 KiB sectors
        VERIFY_ONLY(l, "mcuboot.scratch-size");
        const Diagnostic d = withRule(validate(l), "mcuboot.scratch-size")[0];
        QCOMPARE(d.fix->edits, (std::vector<PartitionEdit>{{3, 0xf0000, 0x10000}}));
        QVERIFY2(d.fix->description.rfind("Grow scratch_partition to 0x10000", 0) == 0,
                 d.fix->description.c_str());
        VERIFY_CLEAN(applyFix(l, *d.fix));
    }

    // --- BOOT_MAX_IMG_SECTORS ------------------------------------------------------------------------

    void maxImgSectors() {
        Layout l = scratchLayout();
        l.partitions[1] =
            part("slot0_partition", "flash0", 0x10000, 0x90000, PartitionRole::Slot0); // 144 pages
        l.partitions[2] = part("slot1_partition", "ext0", 0x0, 0x90000, PartitionRole::Slot1);
        l.partitions[3].offset = 0xa0000;
        VERIFY_ONLY(l, "mcuboot.max-img-sectors");
        const auto d = withRule(validate(l), "mcuboot.max-img-sectors");
        QCOMPARE(d.size(), std::size_t(2));
        QVERIFY2(says(d[0], "slot0_partition: 144 sectors of 4 KiB, more than BOOT_MAX_IMG_SECTORS=128") &&
                     says(d[0], "\"Failed reading sectors; BOOT_MAX_IMG_SECTORS=128 - too small?\"") &&
                     says(d[0], "at least 144"),
                 d[0].message.c_str());
        QCOMPARE(d[0].fix->settings,
                 (std::vector<std::pair<std::string, std::string>>{{"BOOT_MAX_IMG_SECTORS", "144"}}));
        QVERIFY(d[0].fix->edits.empty());
        const Layout fixed = applyFix(l, *d[0].fix);
        QCOMPARE(fixed.bootloader.settings,
                 (std::vector<std::pair<std::string, std::string>>{{"BOOT_MAX_IMG_SECTORS", "144"}}));
        VERIFY_CLEAN(fixed);

        // A setting already there is replaced, not repeated.
        l.bootloader.settings = {{"MCUBOOT_ENC_IMAGES", "n"}, {"BOOT_MAX_IMG_SECTORS", "100"}};
        const auto again = withRule(validate(l), "mcuboot.max-img-sectors");
        QVERIFY(says(again[0], "BOOT_MAX_IMG_SECTORS=100 - too small?"));
        QCOMPARE(applyFix(l, *again[0].fix).bootloader.settings,
                 (std::vector<std::pair<std::string, std::string>>{{"MCUBOOT_ENC_IMAGES", "n"},
                                                                   {"BOOT_MAX_IMG_SECTORS", "144"}}));

        // On logical sectors MCUboot reads no sector list; boot_slots_compatible() refuses instead.
        l.bootloader.settings = {{"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x1000"}};
        QVERIFY(says(withRule(validate(l), "mcuboot.max-img-sectors")[0],
                     "Cannot upgrade: more sectors than allowed"));
    }

    // --- BOOT_MAX_ALIGN ------------------------------------------------------------------------------

    void maxAlign() {
        Layout l = scratchLayout();
        l.bootloader.settings = {{"MCUBOOT_BOOT_MAX_ALIGN", "4"}};
        VERIFY_ONLY(l, "mcuboot.max-align");
        const Diagnostic d = withRule(validate(l), "mcuboot.max-align")[0];
        QVERIFY2(says(d, "Unsupported value for MCUBOOT_BOOT_MAX_ALIGN for SWAP upgrade modes"),
                 d.message.c_str());
        QCOMPARE(d.fix->settings,
                 (std::vector<std::pair<std::string, std::string>>{{"MCUBOOT_BOOT_MAX_ALIGN", "8"}}));
        VERIFY_CLEAN(applyFix(l, *d.fix));
        l.bootloader.settings = {{"MCUBOOT_BOOT_MAX_ALIGN", "16"}};
        VERIFY_CLEAN(l);

        // Below a slot's write block: boot_write_trailer() would refuse.
        Layout wide = scratchLayout();
        wide.board.devices[0].writeBlockSize = 16;
        wide.bootloader.settings = {{"MCUBOOT_BOOT_MAX_ALIGN", "8"}};
        VERIFY_ONLY(wide, "mcuboot.max-align");
        QVERIFY(
            says(withRule(validate(wide), "mcuboot.max-align")[0], "smaller than the 16-byte write block"));
        wide.bootloader.settings.clear(); // derived: 16
        VERIFY_CLEAN(wide);

        // A 64-byte write block is beyond what the swap modes take, not overwrite-only.
        Layout rram = scratchLayout();
        rram.board.devices[0].writeBlockSize = 64;
        VERIFY_ONLY(rram, "mcuboot.max-align");
        QVERIFY(says(withRule(validate(rram), "mcuboot.max-align")[0], "from the 64-byte write block"));
        Layout overwrite = equalSlotsLayout("overwrite-only");
        overwrite.board.devices[0].writeBlockSize = 64;
        VERIFY_CLEAN(overwrite);
    }

    // --- MCUBOOT_LOGICAL_SECTOR_SIZE -----------------------------------------------------------------

    void logicalSector() {
        Layout l = moveLayout();
        l.bootloader.settings = {{"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x3000"}};
        VERIFY_ONLY(l, "mcuboot.logical-sector");
        QVERIFY(says(withRule(validate(l), "mcuboot.logical-sector")[0], "not a power of two"));

        l.bootloader.settings = {{"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x20000"}};
        VERIFY_ONLY(l, "mcuboot.logical-sector");
        const auto d = withRule(validate(l), "mcuboot.logical-sector");
        QCOMPARE(d.size(), std::size_t(2)); // neither slot is a multiple of 128 KiB
        QVERIFY2(
            says(d[0], "slot0_partition: MCUBOOT_LOGICAL_SECTOR_SIZE=0x20000 does not suit it: size 0x71000"),
            d[0].message.c_str());
        QCOMPARE(d[0].fix->settings, (std::vector<std::pair<std::string, std::string>>{
                                         {"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x1000"}}));
        VERIFY_CLEAN(applyFix(l, *d[0].fix));

        // Logical sectors that start inside a physical sector.
        Layout f4 = stm32f4(0xe0000, 0x20000);
        f4.bootloader.settings = {{"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x10000"}};
        VERIFY_ONLY(f4, "mcuboot.logical-sector");
        QVERIFY(
            says(withRule(validate(f4), "mcuboot.logical-sector")[0], "starts inside the 128 KiB sector"));
        f4.bootloader.settings = {{"MCUBOOT_LOGICAL_SECTOR_SIZE", "0x20000"}};
        VERIFY_CLEAN(f4);
    }

    // --- trailer -------------------------------------------------------------------------------------

    void trailerFit() {
        Layout l = moveLayout();
        l.partitions[1].size = 0x5000;                              // 5 sectors
        l.partitions[2].size = 0x4000;                              // 4 sectors
        l.bootloader.settings = {{"BOOT_MAX_IMG_SECTORS", "1024"}}; // a 12336-byte trailer: 4 sectors
        VERIFY_ONLY(l, "mcuboot.trailer-fit");
        const Diagnostic d = withRule(validate(l), "mcuboot.trailer-fit")[0];
        QVERIFY2(says(d, "slot0_partition (0x5000, 20 KiB) has no room for an image") &&
                     says(d, "BOOT_MAX_IMG_SECTORS=1024 x 3 x BOOT_WRITE_SZ 4"),
                 d.message.c_str());
        QCOMPARE(d.fix->settings,
                 (std::vector<std::pair<std::string, std::string>>{{"BOOT_MAX_IMG_SECTORS", "5"}}));
        const Layout fixed = applyFix(l, *d.fix);
        VERIFY_CLEAN(fixed);
        QCOMPARE(mcubootImageSpace(fixed, 0)->space.space, quint64(0x3000));
    }

    void imageSpaceInfoNamesTheFigures() {
        const auto d = withRule(validate(moveLayout()), "mcuboot.image-space");
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].severity, Severity::Info);
        QCOMPARE(d[0].partitions, (std::vector<std::size_t>{1}));
        // 113 and 112 sectors: 0x71000 - 0x1000 (trailer) - 0x1000 (move) = 0x6f000.
        QVERIFY2(
            says(d[0], "slot0_partition: image space 0x6f000 (444 KiB) of 0x71000; trailer 0x630 (1584 B)") &&
                says(d[0], "one 4 KiB sector of the primary kept free for the move"),
            d[0].message.c_str());

        Layout padded = scratchLayout();
        padded.bootloader.settings = {{"BOOT_MAX_IMG_SECTORS", "338"}}; // 4104 bytes: 8 in the first sector
        padded.partitions[1].size = padded.partitions[2].size = 0x60000;
        padded.partitions[2].offset = 0x70000;
        padded.partitions[3].offset = 0xd0000;
        const auto p = withRule(validate(padded), "mcuboot.image-space");
        QVERIFY2(says(p[0], "0x34 of padding before the trailer"), p[0].message.c_str());
        QCOMPARE(mcubootImageSpace(padded, 0)->space.space, quint64(0x60000 - 4104 - 0x34));
    }

    // --- multi-image ---------------------------------------------------------------------------------

    void multiImagePairsAreCheckedOneByOne() {
        Layout l = withMode(board(), "swap-using-scratch");
        l.partitions = {part("boot_partition", "flash0", 0x0, 0x10000, PartitionRole::Boot),
                        part("slot0_partition", "flash0", 0x10000, 0x38000, PartitionRole::Slot0, 0),
                        part("slot1_partition", "flash0", 0x48000, 0x38000, PartitionRole::Slot1, 0),
                        part("scratch_partition", "flash0", 0x80000, 0x10000, PartitionRole::Scratch),
                        part("slot2_partition", "ext0", 0x0, 0x40000, PartitionRole::Slot0, 1),
                        part("slot3_partition", "ext0", 0x40000, 0x30000, PartitionRole::Slot1, 1)};
        VERIFY_ONLY(l, "mcuboot.slot-size");
        const auto d = withRule(validate(l), "mcuboot.slot-size");
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY2(says(d[0], "slot2_partition (image 1)") && says(d[0], "slot3_partition (image 1)"),
                 d[0].message.c_str());
        QCOMPARE(d[0].partitions, (std::vector<std::size_t>{4, 5}));
        QVERIFY(mcubootImageSpace(l, 0).has_value());
        QVERIFY(!mcubootImageSpace(l, 1).has_value()); // incompatible: app_max_size() is 0

        const Layout fixed = applyFix(l, *d[0].fix);
        VERIFY_CLEAN(fixed);
        const auto spaces = mcubootImageSpaces(fixed);
        QCOMPARE(spaces.size(), std::size_t(2));
        QCOMPARE(spaces[1].image, 1);
        QCOMPARE(spaces[1].primary, std::size_t(4));
        const auto infos = withRule(validate(fixed), "mcuboot.image-space");
        QCOMPARE(infos.size(), std::size_t(2));
        QVERIFY2(says(infos[1], "slot2_partition (image 1): image space"), infos[1].message.c_str());
    }

    // --- settings ------------------------------------------------------------------------------------

    void settingsThatDoNotParse() {
        Layout l = scratchLayout();
        l.bootloader.settings = {{"BOOT_MAX_IMG_SECTORS", "lots"}, {"MCUBOOT_ENC_IMAGES", "maybe"}};
        VERIFY_ONLY(l, "mcuboot.setting");
        QCOMPARE(withRule(validate(l), "mcuboot.setting").size(), std::size_t(2));
        l.bootloader.settings = {{"MCUBOOT_ENC_IMAGES", "y"}, {"MCUBOOT_SWAP_SAVE_ENCTLV", "y"}};
        VERIFY_ONLY(l, "mcuboot.setting"); // which key exchange?
        l.bootloader.settings.emplace_back("MCUBOOT_ENCRYPT_EC256", "y");
        VERIFY_CLEAN(l);
        // 0x630 of status and info, plus two EC256 key TLVs of 120 bytes.
        QCOMPARE(mcubootImageSpace(l, 0)->space.trailer, quint64(0x630 + 240));
    }

    void fixSettingsAppearInTheJson() {
        Fix f;
        f.description = "Set BOOT_MAX_IMG_SECTORS to 256";
        f.settings = {{"BOOT_MAX_IMG_SECTORS", "256"}};
        const Layout l = scratchLayout();
        const auto j = toJson(Diagnostic{Severity::Error, "mcuboot.max-img-sectors", "m", {1}, f}, l);
        QCOMPARE(j["fix"]["settings"]["BOOT_MAX_IMG_SECTORS"].get<std::string>(), std::string("256"));
        QVERIFY(j["fix"]["edits"].empty());
    }
};

QTEST_APPLESS_MAIN(TestMcubootRules)
#include "tst_mcubootrules.moc"
