// SPDX-License-Identifier: Apache-2.0
// MCUboot's trailer and slot arithmetic. Every formula follows mcu-tools/mcuboot at commit 2d4bacc3; the
// comments name the file and function. Written from reading that source, not copied from it.
#include "rules/McubootTrailer.h"

#include "util/Alignment.h"

#include <algorithm>
#include <array>
#include <utility>

namespace flashplan::mcuboot {

namespace {

std::uint64_t sectorSize(const SectorMap& sectors, std::uint64_t index) {
    const auto s = sectors.sectorByIndex(index);
    return s ? s->size : 0;
}

/// The sector walk of boot_slots_compatible() and app_max_size() in swap_scratch.c, which both
/// swap-using-scratch and overwrite-only build. Both lists are walked in step; whenever their running
/// sizes differ the smaller side takes sectors, and only one side may do so until they meet again
/// ("the larger sector must hold a whole number of the smaller"). Where they meet a swap group ends:
/// swap-using-scratch starts over there and the group must fit the scratch area; overwrite-only keeps
/// counting from the start of the slot.
struct Walk {
    Compatibility verdict = Compatibility::Compatible;
    std::uint64_t slotSize = 0; // slot_sz of app_max_size(): the sum of the groups (scratch)
    std::uint64_t largestGroup = 0;
    std::uint64_t largestGroupAt = 0;
    std::uint64_t at = 0;
};

Walk walkSectors(const SectorMap& primary, const SectorMap& secondary, bool overwriteOnly,
                 std::optional<std::uint64_t> scratchSize) {
    Walk w;
    const std::uint64_t n0 = primary.sectorCount(), n1 = secondary.sectorCount();
    std::uint64_t i = 0, j = 0, sz0 = 0, sz1 = 0, primarySum = 0, secondarySum = 0;
    int smaller = 0;
    const auto fail = [&](Compatibility v) {
        w.verdict = v;
        return w;
    };
    while (i < n0 || j < n1) {
        // bootutil reads past the end of the shorter list here; the slots cannot be compatible then.
        if (sz0 == sz1) {
            if (i >= n0 || j >= n1)
                return fail(Compatibility::NotCompatible);
            sz0 += sectorSize(primary, i++);
            sz1 += sectorSize(secondary, j++);
        } else if (sz0 < sz1) {
            if (i >= n0)
                return fail(Compatibility::NotCompatible);
            sz0 += sectorSize(primary, i++);
            if (smaller == 2)
                return fail(Compatibility::NonCompatibleSectors);
            smaller = 1;
        } else {
            if (j >= n1)
                return fail(Compatibility::NotCompatible);
            sz1 += sectorSize(secondary, j++);
            if (smaller == 1)
                return fail(Compatibility::NonCompatibleSectors);
            smaller = 2;
        }
        if (sz0 == sz1) {
            if (overwriteOnly) {
                w.at = sz0; // counted from the start of the slot, never reset
                continue;
            }
            primarySum += sz0;
            secondarySum += sz1;
            if (sz0 > w.largestGroup) {
                w.largestGroup = sz0;
                w.largestGroupAt = w.at;
            }
            // "Scratch has to fit each swap operation to the size of the larger sector among the primary
            // slot and the secondary slot."
            if (scratchSize && sz0 > *scratchSize)
                return fail(Compatibility::NotAllFitScratch);
            w.at += sz0;
            smaller = 0;
            sz0 = sz1 = 0;
        }
    }
    // overwrite-only never adds up the groups, so its two sums stay 0 and equal.
    if (i != n0 || j != n1 || primarySum != secondarySum)
        return fail(Compatibility::NotCompatible);
    w.slotSize = primarySum;
    return w;
}

/// boot_slots_compatible() of swap_move.c and swap_offset.c: the same number of sectors, or the one
/// extra sector the mode wants (primary for move, secondary for offset), and the same sizes index by
/// index.
CompatibilityResult compareSectorByIndex(UpgradeMode mode, const SectorMap& primary,
                                         const SectorMap& secondary,
                                         std::optional<std::uint64_t> maxImgSectors) {
    CompatibilityResult r;
    const std::uint64_t nPri = primary.sectorCount(), nSec = secondary.sectorCount();
    const bool move = mode == UpgradeMode::SwapUsingMove;
    const bool optimal = move ? nPri == nSec + 1 : nPri + 1 == nSec;
    if (nPri != nSec && !optimal) {
        r.verdict = Compatibility::NotCompatibleAmount;
        return r;
    }
    if (maxImgSectors && nPri > *maxImgSectors) {
        r.verdict = Compatibility::TooManySectors;
        return r;
    }
    r.nonOptimal = !optimal;
    // swap_move.c compares the secondary's sectors; swap_offset.c all but the secondary's last.
    const std::uint64_t compared = move ? nSec : (nSec == 0 ? 0 : nSec - 1);
    std::uint64_t lastPrimary = 0, at = 0;
    for (std::uint64_t i = 0; i < compared; ++i) {
        lastPrimary = sectorSize(primary, i);
        if (lastPrimary != sectorSize(secondary, i)) {
            r.verdict = Compatibility::NotSameLayout;
            r.at = at;
            return r;
        }
        at += lastPrimary;
    }
    // The primary's extra sector (move) must be as large as the others.
    if (nPri > nSec && sectorSize(primary, compared) != lastPrimary) {
        r.verdict = Compatibility::NotSameLayout;
        r.at = at;
    }
    return r;
}

/// The end (relative to the slot) of the first sector holding trailer data: boot_get_first_trailer_sector()
/// and get_first_trailer_sector_end_off() in swap_scratch.c walk down from the last sector until the
/// sectors passed hold the trailer. nullopt when the whole slot does not.
std::optional<std::uint64_t> firstTrailerSectorEnd(const SectorMap& slot, std::uint64_t trailer) {
    if (slot.sectorCount() == 0 || trailer > slot.totalSize())
        return std::nullopt;
    std::uint64_t index = slot.sectorCount() - 1;
    std::uint64_t held = sectorSize(slot, index);
    while (held < trailer) {
        --index;
        held += sectorSize(slot, index);
    }
    const Sector s = *slot.sectorByIndex(index);
    return s.end();
}

} // namespace

bool isSwapMode(UpgradeMode mode) {
    return mode == UpgradeMode::SwapUsingScratch || mode == UpgradeMode::SwapUsingMove ||
           mode == UpgradeMode::SwapUsingOffset;
}

bool comparesSlots(UpgradeMode mode) {
    return isSwapMode(mode) || mode == UpgradeMode::OverwriteOnly;
}

// enc_key_public.h: BOOT_ENC_KEY_SIZE and BOOT_ENC_TLV_SIZE.
std::uint64_t encKeySize(const Encryption& encryption) {
    return encryption.aes256 ? 32 : 16;
}

std::uint64_t encTlvSize(const Encryption& encryption) {
    const std::uint64_t key = encKeySize(encryption);
    const std::uint64_t hmac = encryption.hmacSha512 ? 64 : 32; // BOOT_HMAC_SIZE = EC_TAG_LEN
    switch (encryption.exchange) {
    case KeyExchange::Rsa2048:
        return 256;
    case KeyExchange::Kw:
        return key + 8;
    case KeyExchange::Ec256:
        return 65 + hmac + key; // EC_PUBK_LEN + EC_TAG_LEN + EC_CIPHERKEY_LEN
    case KeyExchange::X25519:
        return 32 + hmac + key;
    }
    return 0;
}

std::uint64_t defaultMaxAlign(std::uint64_t largestWriteBlock) {
    return std::max<std::uint64_t>(8, largestWriteBlock);
}

// bootutil_public.h: BOOT_MAGIC_ALIGN_SIZE is ALIGN_UP(BOOT_MAGIC_SZ, BOOT_MAX_ALIGN) when
// MCUBOOT_BOOT_MAX_ALIGN is set, else BOOT_MAGIC_SZ with BOOT_MAX_ALIGN 8: the same number.
std::uint64_t magicAlignSize(const TrailerConfig& config) {
    return alignUp(kBootMagicSize, config.maxAlign);
}

// bootutil_area.h: BOOT_STATUS_STATE_COUNT.
std::uint64_t statusStateCount(UpgradeMode mode) {
    switch (mode) {
    case UpgradeMode::SwapUsingMove:
        return 1 + 2; // BOOT_STATUS_MOVE_STATE_COUNT + BOOT_STATUS_SWAP_STATE_COUNT
    case UpgradeMode::SwapUsingOffset:
        return 2; // BOOT_STATUS_SWAP_STATE_COUNT
    default:
        return 3;
    }
}

// bootutil_area.c: boot_status_entry_sz(). Only the single-slot builds (MCUBOOT_SINGLE_APPLICATION_SLOT,
// MCUBOOT_FIRMWARE_LOADER) return 0; overwrite-only, direct-xip and ram-load keep the entries.
std::uint64_t statusEntrySize(const TrailerConfig& config) {
    return statusStateCount(config.mode) * config.writeSize;
}

// bootutil_area.c: boot_status_sz(), BOOT_STATUS_MAX_ENTRIES (= BOOT_MAX_IMG_SECTORS) entries.
std::uint64_t statusSize(const TrailerConfig& config) {
    return config.maxImgSectors * statusEntrySize(config);
}

// bootutil_area.c: boot_trailer_info_sz().
std::uint64_t trailerInfoSize(const TrailerConfig& config) {
    const std::uint64_t a = config.maxAlign;
    std::uint64_t size = 0;
    if (config.encryption.enabled) {
        const std::uint64_t one =
            config.encryption.saveEncTlv ? encTlvSize(config.encryption) : encKeySize(config.encryption);
        size += alignUp(one, a) * 2; // BOOT_ENC_TLV_ALIGN_SIZE or BOOT_ENC_KEY_ALIGN_SIZE, for both slots
    }
    size += a * 4; // swap_type + copy_done + image_ok + swap_size
    if (config.mode == UpgradeMode::SwapUsingOffset)
        size += a; // unprotected TLV sizes of both slots
    return size + magicAlignSize(config);
}

// bootutil_area.c: boot_trailer_sz().
std::uint64_t trailerSize(const TrailerConfig& config) {
    return statusSize(config) + trailerInfoSize(config);
}

// bootutil_area.c: boot_scratch_trailer_sz().
std::uint64_t scratchTrailerSize(const TrailerConfig& config) {
    return statusEntrySize(config) + trailerInfoSize(config);
}

// bootutil_misc.h: boot_magic_off(), boot_image_ok_off(), boot_copy_done_off(); bootutil_public.c:
// boot_swap_info_off().
std::optional<std::uint64_t> swapInfoOffset(const TrailerConfig& config, std::uint64_t slotSize) {
    const std::uint64_t a = config.maxAlign;
    if (slotSize < kBootMagicSize + a)
        return std::nullopt;
    const std::uint64_t magic = slotSize - kBootMagicSize;
    const std::uint64_t imageOk = alignDown(magic - a, a);
    if (imageOk < 2 * a)
        return std::nullopt;
    return imageOk - a /* copy_done */ - a /* swap_info */;
}

SectorMap slotSectors(const SectorMap& device, std::uint64_t offset, std::uint64_t size) {
    const std::uint64_t total = device.totalSize();
    if (size == 0 || offset >= total)
        return {};
    const std::uint64_t end = size > total - offset ? total : offset + size;
    std::vector<SectorRun> runs;
    device.forEachSector(offset, end - offset, [&](const Sector& s) {
        const std::uint64_t from = std::max(s.offset, offset), to = std::min(s.end(), end);
        if (!runs.empty() && runs.back().size == to - from)
            ++runs.back().count;
        else
            runs.push_back({1, to - from});
        return true;
    });
    auto map = SectorMap::fromRuns(runs);
    return map ? *map : SectorMap{};
}

SectorMap logicalSectors(std::uint64_t size, std::uint64_t logical) {
    if (logical == 0 || size < logical)
        return {};
    auto map = SectorMap::uniform(size / logical, logical);
    return map ? *map : SectorMap{};
}

std::string_view bootutilMessage(Compatibility verdict) {
    switch (verdict) {
    case Compatibility::Compatible:
        return "";
    case Compatibility::TooManySectors:
        return "Cannot upgrade: more sectors than allowed";
    case Compatibility::NotCompatibleAmount:
        return "Cannot upgrade: not a compatible amount of sectors";
    case Compatibility::NotSameLayout:
        return "Cannot upgrade: not same sector layout";
    case Compatibility::NonCompatibleSectors:
        return "Cannot upgrade: slots have non-compatible sectors";
    case Compatibility::NotAllFitScratch:
        return "Cannot upgrade: not all sectors fit inside scratch";
    case Compatibility::NotCompatible:
        return "Cannot upgrade: slots are not compatible";
    }
    return "";
}

CompatibilityResult slotsCompatible(UpgradeMode mode, const SectorMap& primary, const SectorMap& secondary,
                                    std::optional<std::uint64_t> scratchSize,
                                    std::optional<std::uint64_t> maxImgSectors) {
    CompatibilityResult r;
    switch (mode) {
    case UpgradeMode::DirectXip:
    case UpgradeMode::RamLoad:
        return r;
    case UpgradeMode::SwapUsingMove:
    case UpgradeMode::SwapUsingOffset:
        return compareSectorByIndex(mode, primary, secondary, maxImgSectors);
    case UpgradeMode::SwapUsingScratch:
    case UpgradeMode::OverwriteOnly:
        break;
    }
    // swap_scratch.c checks both counts first.
    if (maxImgSectors &&
        (primary.sectorCount() > *maxImgSectors || secondary.sectorCount() > *maxImgSectors)) {
        r.verdict = Compatibility::TooManySectors;
        return r;
    }
    const bool overwrite = mode == UpgradeMode::OverwriteOnly;
    const Walk w = walkSectors(primary, secondary, overwrite, overwrite ? std::nullopt : scratchSize);
    r.verdict = w.verdict;
    r.largestGroup = w.largestGroup;
    r.largestGroupAt = w.largestGroupAt;
    r.at = w.at;
    return r;
}

ImageSpace imageSpace(const TrailerConfig& config, const SectorMap& primary, const SectorMap& secondary) {
    ImageSpace r;
    r.trailer = trailerSize(config);
    switch (config.mode) {
    case UpgradeMode::SwapUsingScratch: {
        // swap_scratch.c: app_max_size() walks the sectors for slot_sz, then
        // app_max_size_adjust_to_trailer() moves the end of the image down so that, when the first
        // sector holding trailer data is swapped through the scratch, the scratch trailer fits behind
        // the image bytes of that sector.
        r.scratchTrailer = scratchTrailerSize(config);
        const Walk w = walkSectors(primary, secondary, false, std::nullopt);
        if (w.verdict != Compatibility::Compatible || r.trailer > w.slotSize)
            return r;
        const std::uint64_t trailerOff = w.slotSize - r.trailer;
        const auto endPri = firstTrailerSectorEnd(primary, r.trailer);
        const auto endSec = firstTrailerSectorEnd(secondary, r.trailer);
        if (!endPri || !endSec)
            return r;
        // The swap copies up to the common boundary, the end of the larger of the two first trailer
        // sectors.
        const std::uint64_t inFirstSector = std::max(*endPri, *endSec) - trailerOff;
        if (r.scratchTrailer > inFirstSector)
            r.padding = r.scratchTrailer - inFirstSector;
        if (r.padding >= trailerOff)
            return r;
        r.space = trailerOff - r.padding;
        break;
    }
    case UpgradeMode::SwapUsingMove:
    case UpgradeMode::SwapUsingOffset: {
        // swap_move.c / swap_offset.c app_max_size(): every sector is taken as large as the primary's
        // first; the trailer is rounded up to whole sectors, and one sector of padding is kept in the
        // primary (move) or the secondary (offset).
        const std::uint64_t sector = sectorSize(primary, 0);
        if (sector == 0)
            return r;
        r.trailerSectors = alignUp(r.trailer, sector);
        r.spareSector = sector;
        const bool move = config.mode == UpgradeMode::SwapUsingMove;
        const std::uint64_t pri = primary.sectorCount() * sector, sec = secondary.sectorCount() * sector;
        const std::uint64_t priTaken = r.trailerSectors + (move ? sector : 0);
        const std::uint64_t secTaken = r.trailerSectors + (move ? 0 : sector);
        // bootutil's uint32_t arithmetic would wrap here; the slot simply has no room.
        if (pri <= priTaken || sec <= secTaken)
            return r;
        r.space = std::min(pri - priTaken, sec - secTaken);
        break;
    }
    case UpgradeMode::OverwriteOnly: {
        // bootutil_misc.c bootutil_max_image_size(): boot_swap_info_off() of the slot being validated;
        // the image is checked in the secondary and copied to the primary, so the smaller counts.
        const auto pri = swapInfoOffset(config, primary.totalSize());
        const auto sec = swapInfoOffset(config, secondary.totalSize());
        if (!pri || !sec)
            return r;
        r.space = std::min(*pri, *sec);
        break;
    }
    case UpgradeMode::DirectXip:
    case UpgradeMode::RamLoad: {
        // bootutil_max_image_size(): boot_swap_info_off() of the slot itself.
        const auto pri = swapInfoOffset(config, primary.totalSize());
        if (!pri)
            return r;
        r.space = *pri;
        break;
    }
    }
    r.fits = r.space > 0;
    return r;
}

} // namespace flashplan::mcuboot
