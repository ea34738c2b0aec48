// SPDX-License-Identifier: Apache-2.0
// MCUboot's trailer arithmetic, worked out by hand from bootutil (mcu-tools/mcuboot, commit 2d4bacc3) and
// compared with McubootTrailer. Each step names the line of bootutil it comes from.
#include "rules/McubootTrailer.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::mcuboot;

namespace {

SectorMap sectors(const char* text) {
    return *SectorMap::parse(text);
}

TrailerConfig config(UpgradeMode mode, std::uint64_t maxImgSectors, std::uint64_t writeSize) {
    TrailerConfig c;
    c.mode = mode;
    c.maxImgSectors = maxImgSectors;
    c.writeSize = writeSize;
    c.maxAlign = defaultMaxAlign(writeSize);
    return c;
}

} // namespace

class TestMcubootTrailer : public QObject {
    Q_OBJECT
private slots:
    // Case 1 of the issue: swap-using-scratch, BOOT_MAX_IMG_SECTORS 128, write alignment 4.
    void swapScratch128Align4() {
        const TrailerConfig c = config(UpgradeMode::SwapUsingScratch, 128, 4);
        // BOOT_MAX_ALIGN: MCUBOOT_BOOT_MAX_ALIGN is not set for a 4-byte write block, so
        // bootutil_public.h:89 takes 8.
        QCOMPARE(c.maxAlign, quint64(8));
        // BOOT_MAGIC_ALIGN_SIZE = BOOT_MAGIC_SZ = 16 (bootutil_public.h:77, :90).
        QCOMPARE(magicAlignSize(c), quint64(16));
        // BOOT_STATUS_STATE_COUNT = 3 (bootutil_area.h:46, the mode is neither move nor offset).
        QCOMPARE(statusStateCount(c.mode), quint64(3));
        // boot_status_entry_sz(4) = 3 * 4 = 12 (bootutil_area.c:80).
        QCOMPARE(statusEntrySize(c), quint64(12));
        // boot_status_sz(4) = BOOT_STATUS_MAX_ENTRIES (= BOOT_MAX_IMG_SECTORS, bootutil_area.h:50-51) * 12
        // = 128 * 12 = 1536 (bootutil_area.c:87).
        QCOMPARE(statusSize(c), quint64(1536));
        // boot_trailer_info_sz() = BOOT_MAX_ALIGN * 4 (swap_type, copy_done, image_ok, swap_size,
        // bootutil_area.c:58) + BOOT_MAGIC_ALIGN_SIZE (:63) = 32 + 16 = 48.
        QCOMPARE(trailerInfoSize(c), quint64(48));
        // boot_trailer_sz(4) = 1536 + 48 = 1584 = 0x630 (bootutil_area.c:93).
        QCOMPARE(trailerSize(c), quint64(0x630));
        // boot_scratch_trailer_sz(4) = one status entry + trailer info = 12 + 48 = 60 (bootutil_area.c:99).
        QCOMPARE(scratchTrailerSize(c), quint64(60));

        // The image space in two 0x60000 slots of 4 KiB sectors (nRF52840):
        const SectorMap slot = sectors("96x4K");
        const ImageSpace s = imageSpace(c, slot, slot);
        // app_max_size(): the walk adds up slot_sz = 0x60000 (swap_scratch.c:1008), then
        // app_max_size_adjust_to_trailer() (swap_scratch.c:1024):
        //   slot_trailer_off = 0x60000 - 0x630 = 0x5f9d0 (swap_scratch.c:107);
        //   the last 4 KiB sector holds the whole trailer (the loop at swap_scratch.c:67 stops at once), so
        //   the first trailer sector ends at 0x60000 in both slots (:92, :144-147);
        //   trailer_sz_in_first_sector = 0x60000 - 0x5f9d0 = 0x630 (:150);
        //   60 <= 0x630, so no padding (:172-173);
        //   image space = 0x5f9d0 - 0 (:176).
        QCOMPARE(s.padding, quint64(0));
        QCOMPARE(s.space, quint64(0x5f9d0));
        QVERIFY(s.fits);
    }

    // Case 2 of the issue: swap-using-move, BOOT_MAX_IMG_SECTORS 256, write alignment 8.
    void swapMove256Align8() {
        const TrailerConfig c = config(UpgradeMode::SwapUsingMove, 256, 8);
        // BOOT_MAX_ALIGN 8 (bootutil_public.h:89; an 8-byte write block does not raise it).
        QCOMPARE(c.maxAlign, quint64(8));
        // BOOT_STATUS_STATE_COUNT = BOOT_STATUS_MOVE_STATE_COUNT 1 + BOOT_STATUS_SWAP_STATE_COUNT 2 = 3
        // (bootutil_area.h:39-41).
        QCOMPARE(statusStateCount(c.mode), quint64(3));
        // boot_status_entry_sz(8) = 3 * 8 = 24 (bootutil_area.c:80).
        QCOMPARE(statusEntrySize(c), quint64(24));
        // boot_status_sz(8) = 256 * 24 = 6144 = 0x1800 (bootutil_area.c:87).
        QCOMPARE(statusSize(c), quint64(0x1800));
        // boot_trailer_info_sz() = 8 * 4 + 16 = 48 (bootutil_area.c:58, :63).
        QCOMPARE(trailerInfoSize(c), quint64(48));
        // boot_trailer_sz(8) = 6144 + 48 = 6192 = 0x1830 (bootutil_area.c:93).
        QCOMPARE(trailerSize(c), quint64(0x1830));

        // The image space with a 97-sector primary and a 96-sector secondary of 4 KiB (the optimal
        // swap-using-move layout, swap_move.c boot_slots_compatible()):
        const ImageSpace s = imageSpace(c, sectors("97x4K"), sectors("96x4K"));
        // trailer_sz = ALIGN_UP(0x1830, 0x1000) = 0x2000 (swap_move.c:572).
        QCOMPARE(s.trailerSectors, quint64(0x2000));
        // available_pri_sz = 97 * 0x1000 - 0x2000 - 0x1000 (padding_sz, the sector of the move)
        //                  = 0x5e000 (swap_move.c:577);
        // available_sec_sz = 96 * 0x1000 - 0x2000 = 0x5e000 (swap_move.c:578);
        // the smaller: 0x5e000 (swap_move.c:580).
        QCOMPARE(s.spareSector, quint64(0x1000));
        QCOMPARE(s.space, quint64(0x5e000));
        QVERIFY(s.fits);
    }

    // Case 3 of the issue: overwrite-only, BOOT_MAX_IMG_SECTORS 128, write alignment 32. The current
    // bootutil sizes the status area in overwrite-only too (older releases did not): boot_status_entry_sz()
    // returns 0 only for the single-slot builds (bootutil_area.c:71-81).
    void overwriteOnly128Align32() {
        const TrailerConfig c = config(UpgradeMode::OverwriteOnly, 128, 32);
        // BOOT_MAX_ALIGN: a 32-byte write block makes Zephyr set MCUBOOT_BOOT_MAX_ALIGN 32
        // (mcuboot_config.h:477-478), so bootutil_public.h:86 takes 32.
        QCOMPARE(c.maxAlign, quint64(32));
        // BOOT_MAGIC_ALIGN_SIZE = ALIGN_UP(16, 32) = 32 (bootutil_public.h:87).
        QCOMPARE(magicAlignSize(c), quint64(32));
        // BOOT_STATUS_STATE_COUNT = 3 (bootutil_area.h:46).
        QCOMPARE(statusStateCount(c.mode), quint64(3));
        // boot_status_entry_sz(32) = 3 * 32 = 96 (bootutil_area.c:80).
        QCOMPARE(statusEntrySize(c), quint64(96));
        // boot_status_sz(32) = 128 * 96 = 12288 = 0x3000 (bootutil_area.c:87).
        QCOMPARE(statusSize(c), quint64(0x3000));
        // boot_trailer_info_sz() = 32 * 4 + 32 = 160 = 0xa0 (bootutil_area.c:58, :63).
        QCOMPARE(trailerInfoSize(c), quint64(160));
        // boot_trailer_sz(32) = 12288 + 160 = 12448 = 0x30a0 (bootutil_area.c:93).
        QCOMPARE(trailerSize(c), quint64(0x30a0));

        // The image space: bootutil_max_image_size() returns boot_swap_info_off() in overwrite-only
        // (bootutil_misc.c:366-368), not the start of the status area. For a 0x60000 slot:
        //   boot_magic_off = 0x60000 - 16 = 0x5fff0 (bootutil_misc.h:31);
        //   boot_image_ok_off = ALIGN_DOWN(0x5fff0 - 32, 32) = 0x5ffc0 (bootutil_misc.h:37);
        //   boot_copy_done_off = 0x5ffc0 - 32 = 0x5ffa0 (bootutil_misc.h:43);
        //   boot_swap_info_off = 0x5ffa0 - 32 = 0x5ff80 (bootutil_public.c:167).
        QCOMPARE(swapInfoOffset(c, 0x60000), std::optional<std::uint64_t>(0x5ff80));
        const ImageSpace s = imageSpace(c, sectors("3x128K"), sectors("3x128K"));
        QCOMPARE(s.space, quint64(0x5ff80));
        QVERIFY(s.fits);
    }

    void swapOffsetKeepsTlvSizesAndASecondarySector() {
        const TrailerConfig c = config(UpgradeMode::SwapUsingOffset, 256, 8);
        // BOOT_STATUS_STATE_COUNT = BOOT_STATUS_SWAP_STATE_COUNT = 2 (bootutil_area.h:43-44).
        QCOMPARE(statusStateCount(c.mode), quint64(2));
        // 256 * 2 * 8 = 4096 of status; info 8 * 4 + 8 (TLV sizes, bootutil_area.c:61) + 16 = 56.
        QCOMPARE(trailerInfoSize(c), quint64(56));
        QCOMPARE(trailerSize(c), quint64(4152));
        // swap_offset.c:720-728: 0x2000 of trailer sectors; primary 96 * 4K - 0x2000 = 0x5e000, secondary
        // 97 * 4K - 0x2000 - 0x1000 = 0x5e000.
        const ImageSpace s = imageSpace(c, sectors("96x4K"), sectors("97x4K"));
        QCOMPARE(s.space, quint64(0x5e000));
        // The same two slots the other way round leave the secondary one sector short.
        QCOMPARE(imageSpace(c, sectors("97x4K"), sectors("96x4K")).space, quint64(0x5d000));
    }

    void swapScratchPadsWhenTheScratchTrailerDoesNotFitTheFirstTrailerSector() {
        // 512-byte sectors and BOOT_MAX_IMG_SECTORS 256: the trailer of 256 * 12 + 48 = 3120 bytes is six
        // whole sectors plus 48 bytes, so only 48 bytes of it share the first trailer sector with the image;
        // the scratch trailer (60) does not fit there and app_max_size_adjust_to_trailer() pads by 12.
        const TrailerConfig c = config(UpgradeMode::SwapUsingScratch, 256, 4);
        const ImageSpace s = imageSpace(c, sectors("256x512"), sectors("256x512"));
        QCOMPARE(s.trailer, quint64(3120));
        QCOMPARE(s.scratchTrailer, quint64(60));
        QCOMPARE(s.padding, quint64(12));
        QCOMPARE(s.space, quint64(0x20000 - 3120 - 12));
    }

    void swapScratchUsesTheLargerFirstTrailerSectorOfTheTwoSlots() {
        // BOOT_MAX_IMG_SECTORS 338: a trailer of 338 * 12 + 48 = 4104 bytes, one 4 KiB sector and 8 bytes.
        const TrailerConfig c = config(UpgradeMode::SwapUsingScratch, 338, 4);
        QCOMPARE(trailerSize(c), quint64(4104));
        // Two slots of 4 KiB sectors: 8 bytes of trailer share the first trailer sector with the image, the
        // scratch trailer needs 60, so 52 of padding.
        QCOMPARE(imageSpace(c, sectors("4x4K"), sectors("4x4K")).padding, quint64(52));
        // A secondary of one 16 KiB sector: the copy runs to the common boundary, the end of the larger
        // first trailer sector (swap_scratch.c:144-147), which holds all 4104 bytes: no padding.
        const ImageSpace s = imageSpace(c, sectors("4x4K"), sectors("1x16K"));
        QCOMPARE(s.padding, quint64(0));
        QCOMPARE(s.space, quint64(0x4000 - 4104));
    }

    void encryptionKeysAreInTheTrailerInfo() {
        TrailerConfig c = config(UpgradeMode::SwapUsingScratch, 128, 4);
        c.encryption.enabled = true;
        // BOOT_ENC_KEY_ALIGN_SIZE * 2 = ALIGN_UP(16, 8) * 2 = 32 (bootutil_area.c:54).
        QCOMPARE(trailerInfoSize(c), quint64(48 + 32));
        c.encryption.aes256 = true;
        QCOMPARE(trailerInfoSize(c), quint64(48 + 64));
        // MCUBOOT_SWAP_SAVE_ENCTLV: the TLVs instead (bootutil_area.c:52). ECIES-P256: 65 + 32 + 16 = 113,
        // aligned to 120, twice.
        c.encryption.aes256 = false;
        c.encryption.saveEncTlv = true;
        c.encryption.exchange = KeyExchange::Ec256;
        QCOMPARE(encTlvSize(c.encryption), quint64(113));
        QCOMPARE(trailerInfoSize(c), quint64(48 + 240));
        c.encryption.exchange = KeyExchange::Rsa2048;
        QCOMPARE(trailerInfoSize(c), quint64(48 + 512));
        c.encryption.exchange = KeyExchange::Kw;
        QCOMPARE(encTlvSize(c.encryption), quint64(24));
        c.encryption.exchange = KeyExchange::X25519;
        c.encryption.hmacSha512 = true;
        QCOMPARE(encTlvSize(c.encryption), quint64(32 + 64 + 16));
    }

    void slotSectorsAreRelativeAndClipped() {
        const SectorMap device = sectors("4x16K,1x64K,7x128K");
        QCOMPARE(slotSectors(device, 0x20000, 0x60000), sectors("3x128K"));
        QCOMPARE(slotSectors(device, 0x0, 0x40000), sectors("4x16K,1x64K,1x128K"));
        QCOMPARE(slotSectors(device, 0x2000, 0x4000), sectors("1x8K,1x8K")); // clipped at both ends
        QVERIFY(slotSectors(device, 0x100000, 0x1000).empty());
        QCOMPARE(logicalSectors(0x60000, 0x10000), sectors("6x64K"));
    }

    void scratchWalkAcceptsWholeMultiplesAndNeedsAScratchForTheLargestGroup() {
        // "4x16K,1x64K" against "1x128K": the primary's sectors meet the secondary's at 128 KiB.
        const SectorMap pri = sectors("4x16K,1x64K,1x128K"), sec = sectors("2x128K");
        const auto r = slotsCompatible(UpgradeMode::SwapUsingScratch, pri, sec);
        QCOMPARE(r.verdict, Compatibility::Compatible);
        QCOMPARE(r.largestGroup, quint64(0x20000));
        QCOMPARE(slotsCompatible(UpgradeMode::SwapUsingScratch, pri, sec, 0x10000).verdict,
                 Compatibility::NotAllFitScratch);
        QCOMPARE(slotsCompatible(UpgradeMode::SwapUsingScratch, pri, sec, 0x20000).verdict,
                 Compatibility::Compatible);
        QCOMPARE(slotsCompatible(UpgradeMode::SwapUsingScratch, pri, sec, std::nullopt, 5).verdict,
                 Compatibility::TooManySectors);
        // 8 KiB against 12 KiB: neither holds a whole number of the other.
        QCOMPARE(slotsCompatible(UpgradeMode::SwapUsingScratch, sectors("3x8K"), sectors("2x12K")).verdict,
                 Compatibility::NonCompatibleSectors);
        // Different totals never meet at the end.
        QCOMPARE(slotsCompatible(UpgradeMode::SwapUsingScratch, sectors("3x4K"), sectors("2x4K")).verdict,
                 Compatibility::NotCompatible);
    }

    void overwriteOnlyWalkNeverStartsOver() {
        // The groups 4K+4K = 8K and 8K = 4K+4K are fine when the walk starts over at each common boundary
        // (swap-using-scratch), but overwrite-only keeps counting from the start, so after the first 8 KiB
        // the primary stays the smaller side and may not become the larger (swap_scratch.c:339).
        const SectorMap pri = sectors("2x4K,1x8K"), sec = sectors("1x8K,2x4K");
        QCOMPARE(slotsCompatible(UpgradeMode::SwapUsingScratch, pri, sec).verdict, Compatibility::Compatible);
        QCOMPARE(slotsCompatible(UpgradeMode::OverwriteOnly, pri, sec).verdict,
                 Compatibility::NonCompatibleSectors);
    }

    void moveAndOffsetCountSectorsAndCompareThemOneByOne() {
        const auto move = [](const char* a, const char* b) {
            return slotsCompatible(UpgradeMode::SwapUsingMove, sectors(a), sectors(b));
        };
        QCOMPARE(move("5x4K", "4x4K").verdict, Compatibility::Compatible);
        QVERIFY(!move("5x4K", "4x4K").nonOptimal);
        QVERIFY(move("4x4K", "4x4K").nonOptimal);
        QCOMPARE(move("6x4K", "4x4K").verdict, Compatibility::NotCompatibleAmount);
        QCOMPARE(move("4x4K", "5x4K").verdict, Compatibility::NotCompatibleAmount);
        QCOMPARE(move("2x4K,1x8K", "3x4K").verdict, Compatibility::NotSameLayout);
        QCOMPARE(move("4x4K,1x8K", "4x4K").verdict, Compatibility::NotSameLayout); // the extra sector
        QCOMPARE(
            slotsCompatible(UpgradeMode::SwapUsingMove, sectors("5x4K"), sectors("4x4K"), std::nullopt, 4)
                .verdict,
            Compatibility::TooManySectors);
        const auto offset = [](const char* a, const char* b) {
            return slotsCompatible(UpgradeMode::SwapUsingOffset, sectors(a), sectors(b));
        };
        QCOMPARE(offset("4x4K", "5x4K").verdict, Compatibility::Compatible);
        QVERIFY(offset("4x4K", "4x4K").nonOptimal);
        QCOMPARE(offset("5x4K", "4x4K").verdict, Compatibility::NotCompatibleAmount);
        QCOMPARE(bootutilMessage(Compatibility::NotCompatibleAmount),
                 std::string_view("Cannot upgrade: not a compatible amount of sectors"));
    }

    void directXipAndRamLoadUseTheSwapInfoOffset() {
        const TrailerConfig c = config(UpgradeMode::DirectXip, 128, 4);
        // 0x40000 - 16 - 8 (image_ok) - 8 (copy_done) - 8 (swap_info) = 0x3ffd8.
        QCOMPARE(imageSpace(c, sectors("64x4K"), sectors("32x4K")).space, quint64(0x3ffd8));
        QCOMPARE(slotsCompatible(UpgradeMode::RamLoad, sectors("1x4K"), sectors("3x8K")).verdict,
                 Compatibility::Compatible);
    }

    void aTrailerLargerThanTheSlotLeavesNoSpace() {
        const TrailerConfig c = config(UpgradeMode::SwapUsingMove, 1024, 4); // 12336 bytes, 4 sectors
        const ImageSpace s = imageSpace(c, sectors("5x4K"), sectors("4x4K"));
        QVERIFY(!s.fits);
        QCOMPARE(s.space, quint64(0));
        QVERIFY(!imageSpace(config(UpgradeMode::SwapUsingScratch, 1024, 4), sectors("2x4K"), sectors("2x4K"))
                     .fits);
    }

    void modeNames() {
        for (auto m :
             {UpgradeMode::SwapUsingScratch, UpgradeMode::SwapUsingMove, UpgradeMode::SwapUsingOffset,
              UpgradeMode::OverwriteOnly, UpgradeMode::DirectXip, UpgradeMode::RamLoad})
            QCOMPARE(upgradeModeFromString(to_string(m)), std::optional<UpgradeMode>(m));
        QCOMPARE(upgradeModeFromString("swap-using-magic"), std::nullopt);
        QVERIFY(comparesSlots(UpgradeMode::OverwriteOnly) && !isSwapMode(UpgradeMode::OverwriteOnly));
        QVERIFY(!comparesSlots(UpgradeMode::DirectXip));
    }
};

QTEST_APPLESS_MAIN(TestMcubootTrailer)
#include "tst_mcuboottrailer.moc"
