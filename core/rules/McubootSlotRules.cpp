// SPDX-License-Identifier: Apache-2.0
// The MCUboot rules on slot geometry: slot sizes per mode, sector compatibility, the scratch, sector counts
// against BOOT_MAX_IMG_SECTORS and the trailer. From mcu-tools/mcuboot at commit 2d4bacc3:
// boot/bootutil/src/swap_scratch.c, swap_move.c, swap_offset.c (boot_slots_compatible, app_max_size),
// loader.c (context_boot_go), bootutil_misc.c (bootutil_max_image_size) and docs/design.md.
#include "rules/McubootRules.h"

#include "rules/McubootView.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

using namespace mcuboot;

std::vector<Diagnostic> checkMcubootSlotSizes(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    if (!v.mode)
        return out;
    const UpgradeMode mode = *v.mode;
    for (const auto& [n, unused] : v.images) {
        const auto slots = slotsOf(v, n);
        if (!slots)
            continue;
        const auto& [pri, sec] = *slots;
        const std::string names = nameOf(v, pri.index) + " " + sizeNote(pri.size()) + " and " +
                                  nameOf(v, sec.index) + " " + sizeNote(sec.size());
        const std::vector<std::size_t> both{pri.index, sec.index};

        if (mode != UpgradeMode::SwapUsingMove && mode != UpgradeMode::SwapUsingOffset) {
            if (pri.size() == sec.size())
                continue;
            const std::optional<Fix> fix = resizeEither(layout, sec, pri.size(), pri, sec.size(), "to match");
            std::string why;
            switch (mode) {
            case UpgradeMode::SwapUsingScratch:
                why =
                    "swap-using-scratch swaps the slots group of sectors by group of sectors and needs them "
                    "the same size; MCUboot logs \"Cannot upgrade: slots are not compatible\"";
                break;
            case UpgradeMode::OverwriteOnly:
                why = "overwrite-only needs them the same size: boot_slots_compatible() walks both slots' "
                      "sectors together and reads past the end of the smaller";
                break;
            default:
                why = std::string(to_string(mode)) +
                      " treats the slots as equals (docs/design.md): an image is built for either slot, and "
                      "app_max_size() reports the smaller";
                break;
            }
            const bool equalsOnly = mode == UpgradeMode::DirectXip || mode == UpgradeMode::RamLoad;
            out.push_back(diagnostic(equalsOnly ? Severity::Warning : Severity::Error, "mcuboot.slot-size",
                                     names + " differ in size: " + why, both, fix));
            continue;
        }

        // swap-using-move / -offset count sectors; sectors of different sizes are mcuboot.sector-compat's.
        if (!uniform(pri.sectors) || !uniform(sec.sectors) ||
            pri.sectors.runs()[0].size != sec.sectors.runs()[0].size)
            continue;
        const std::uint64_t s = pri.sectors.runs()[0].size;
        const std::uint64_t nPri = pri.sectors.sectorCount(), nSec = sec.sectors.sectorCount();
        const bool move = mode == UpgradeMode::SwapUsingMove;
        const std::string counts = nameOf(v, pri.index) + " has " + describeSectors(pri.sectors) + " and " +
                                   nameOf(v, sec.index) + " " + std::to_string(nSec);
        if (move ? nPri == nSec + 1 : nSec == nPri + 1)
            continue;
        if (nPri == nSec) {
            // Accepted; MCUboot only says so at debug level.
            std::optional<Fix> fix = move ? resizeEither(layout, pri, pri.size() + s, sec, sec.size() - s,
                                                         "so slot0 has one sector more")
                                          : resizeEither(layout, sec, sec.size() + s, pri, pri.size() - s,
                                                         "so slot1 has one sector more");
            const std::string debug =
                move ? "\"Non-optimal sector distribution, slot0 has " + std::to_string(nPri - 1) +
                           " usable sectors (" + std::to_string(nPri) + " assigned) but slot1 has " +
                           std::to_string(nSec) + " assigned\""
                     : "\"Non-optimal sector distribution, slot0 has " + std::to_string(nPri) +
                           " usable sectors but slot1 has " + std::to_string(nSec - 1) + " usable sectors\"";
            out.push_back(diagnostic(
                Severity::Warning, "mcuboot.slot-size",
                counts + ": " +
                    (move ? "swap-using-move moves the primary up by one sector, so the primary "
                            "should be one sector larger than the secondary"
                          : "swap-using-offset places the update one sector into the secondary, "
                            "so the secondary should be one sector larger than the primary") +
                    "; one " + formatSize(s) + " sector is wasted. MCUboot logs at debug level " + debug,
                both, fix));
            continue;
        }
        std::optional<Fix> fix =
            move ? resizeEither(layout, sec, (nPri - 1) * s, pri, (nSec + 1) * s,
                                "so slot0 has one sector more")
                 : resizeEither(layout, sec, (nPri + 1) * s, pri, nSec > 1 ? (nSec - 1) * s : 0,
                                "so slot1 has one sector more");
        const std::string debug =
            move ? "slot0 sectors: " + std::to_string(nPri) + ", slot1 sectors: " + std::to_string(nSec) +
                       ", usable slot0 sectors: " + std::to_string(nPri - 1)
                 : "slot0 sectors: " + std::to_string(nPri) + ", slot1 sectors: " + std::to_string(nSec) +
                       ", usable sectors: " + std::to_string(nSec == 0 ? 0 : nSec - 1);
        out.push_back(diagnostic(
            Severity::Error, "mcuboot.slot-size",
            counts + ": " +
                (move ? "swap-using-move needs the primary one sector larger than the secondary"
                      : "swap-using-offset needs the secondary one sector larger than the primary") +
                " (or both the same); MCUboot logs \"Cannot upgrade: not a compatible amount of "
                "sectors\" (" +
                debug + ")",
            both, fix));
    }
    return out;
}

std::vector<Diagnostic> checkMcubootSectorCompatibility(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    if (!v.mode || !comparesSlots(*v.mode))
        return out;
    const UpgradeMode mode = *v.mode;
    const bool byIndex = mode == UpgradeMode::SwapUsingMove || mode == UpgradeMode::SwapUsingOffset;
    for (const auto& [n, unused] : v.images) {
        const auto slots = slotsOf(v, n);
        if (!slots)
            continue;
        const auto& [pri, sec] = *slots;
        std::string why;
        const CompatibilityResult r = slotsCompatible(mode, pri.sectors, sec.sectors);
        const std::string sectors = nameOf(v, pri.index) + " (" + describeSectors(pri.sectors) + ") and " +
                                    nameOf(v, sec.index) + " (" + describeSectors(sec.sectors) + ")";
        if (byIndex) {
            const bool sameUniform = uniform(pri.sectors) && uniform(sec.sectors) &&
                                     pri.sectors.runs()[0].size == sec.sectors.runs()[0].size;
            if (sameUniform)
                continue; // only the counts can be wrong: mcuboot.slot-size
            why = sectors + ": " + std::string(to_string(mode)) +
                  " swaps sector by sector and takes every sector as large as the primary's first "
                  "(app_max_size(), find_last_idx()), so all sectors of both slots must be the same size";
            why += r.verdict == Compatibility::Compatible
                       ? std::string(" (docs/design.md)")
                       : "; MCUboot logs \"" + std::string(bootutilMessage(r.verdict)) + "\"";
        } else {
            if (pri.size() != sec.size() || r.verdict == Compatibility::Compatible)
                continue; // unequal sizes: mcuboot.slot-size
            why = sectors + " do not meet on a common boundary after " + formatHex(r.at) +
                  " into the slots: " +
                  "the larger sector must hold a whole number of the smaller, and the boundaries must meet; "
                  "MCUboot logs \"" +
                  std::string(bootutilMessage(r.verdict)) + "\"";
        }

        // The smallest logical sector that suits every slot often mends it (an internal primary with
        // small pages and an external secondary with large sectors, say).
        std::optional<Fix> fix;
        if (v.settings.logicalSectorSize == 0)
            if (const auto logical = proposeLogicalSectorSize(physicalAreas(v))) {
                const CompatibilityResult again = slotsCompatible(mode, logicalSectors(pri.size(), *logical),
                                                                  logicalSectors(sec.size(), *logical));
                if (again.verdict == Compatibility::Compatible)
                    fix = settingFix(kLogicalSectorSetting, formatHex(*logical),
                                     "Set MCUBOOT_LOGICAL_SECTOR_SIZE to " + formatHexAndSize(*logical) +
                                         ", the largest erase unit of the slots, so MCUboot works on " +
                                         formatSize(*logical) + " logical sectors");
            }
        if (fix)
            why += "; MCUBOOT_LOGICAL_SECTOR_SIZE=" + fix->settings.front().second +
                   " would make them compatible";
        out.push_back(diagnostic(Severity::Error, "mcuboot.sector-compat", imagePrefix(v, n) + why,
                                 {pri.index, sec.index}, fix));
    }
    return out;
}

std::vector<Diagnostic> checkMcubootScratch(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    if (v.mode != UpgradeMode::SwapUsingScratch)
        return out;
    const auto scratch = scratchOf(v);
    if (!scratch)
        return out;

    struct Need {
        int image;
        std::size_t primary, secondary;
        CompatibilityResult walk;
        std::uint64_t trailer;
    };
    std::vector<Need> needs;
    std::uint64_t needed = 0;
    for (const auto& [n, unused] : v.images) {
        const auto slots = slotsOf(v, n);
        if (!slots)
            continue;
        const auto& [pri, sec] = *slots;
        const CompatibilityResult r =
            slotsCompatible(UpgradeMode::SwapUsingScratch, pri.sectors, sec.sectors);
        if (r.verdict != Compatibility::Compatible)
            continue;
        const std::uint64_t trailer = scratchTrailerSize(trailerConfig(v, pri));
        needs.push_back({n, pri.index, sec.index, r, trailer});
        needed = std::max({needed, r.largestGroup, trailer});
    }
    const std::uint64_t have = scratch->size();
    if (have >= needed)
        return out;
    const std::optional<Fix> fix = placeFix(layout, *scratch, needed, "to hold every swap");
    const std::string name = nameOf(v, scratch->index) + " " + sizeNote(have);
    for (const Need& need : needs) {
        if (need.walk.largestGroup > have)
            out.push_back(diagnostic(
                Severity::Error, "mcuboot.scratch-size",
                imagePrefix(v, need.image) + name + " cannot hold the " + formatSize(need.walk.largestGroup) +
                    " of sectors swapped at once at " + formatHex(need.walk.largestGroupAt) + " of " +
                    nameOf(v, need.primary) + " and " + nameOf(v, need.secondary) +
                    ": the scratch must hold the largest sector of either slot, " + formatSize(needed) +
                    (needs.size() > 1 ? " for all images" : "") +
                    "; MCUboot logs \"Cannot upgrade: not all sectors fit inside scratch\"",
                {scratch->index, need.primary, need.secondary}, fix));
        else if (need.trailer > have)
            out.push_back(diagnostic(Severity::Error, "mcuboot.scratch-size",
                                     imagePrefix(v, need.image) + name + " cannot hold its own trailer of " +
                                         formatHexAndSize(need.trailer) + " (boot_scratch_trailer_sz())",
                                     {scratch->index}, fix));
    }
    return out;
}

std::vector<Diagnostic> checkMcubootMaxImgSectors(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    if (!v.mode || !comparesSlots(*v.mode))
        return out;
    const std::uint64_t max = v.settings.maxImgSectors;
    const std::uint64_t needed = neededMaxImgSectors(v);
    if (needed <= max)
        return out;

    std::vector<std::size_t> areas;
    for (const auto& [n, slots] : v.images) {
        areas.insert(areas.end(), slots.primaries.begin(), slots.primaries.end());
        areas.insert(areas.end(), slots.secondaries.begin(), slots.secondaries.end());
    }
    if (*v.mode == UpgradeMode::SwapUsingScratch)
        areas.insert(areas.end(), v.scratches.begin(), v.scratches.end());
    std::sort(areas.begin(), areas.end());

    const std::string setting = "BOOT_MAX_IMG_SECTORS=" + std::to_string(max);
    const bool logical = v.settings.logicalSectorSize != 0;
    for (std::size_t i : areas) {
        const auto a = areaOf(v, i);
        if (!a || a->sectors.sectorCount() <= max)
            continue;
        const std::string what = logical ? std::to_string(a->sectors.sectorCount()) + " logical sectors of " +
                                               formatSize(v.settings.logicalSectorSize) +
                                               " (MCUBOOT_LOGICAL_SECTOR_SIZE)"
                                         : describeSectors(a->sectors);
        // Without logical sectors flash_area_get_sectors() overflows MCUboot's sector array and
        // context_boot_go() (loader.c) gives up on the image; with them boot_slots_compatible() refuses.
        const std::string logged = logical ? "\"Cannot upgrade: more sectors than allowed\""
                                           : "\"Failed reading sectors; " + setting + " - too small?\"";
        out.push_back(diagnostic(Severity::Error, "mcuboot.max-img-sectors",
                                 nameOf(v, i) + ": " + what + ", more than " + setting + "; MCUboot logs " +
                                     logged +
                                     " and boots without upgrading. BOOT_MAX_IMG_SECTORS must be at least " +
                                     std::to_string(needed),
                                 {i},
                                 settingFix(kMaxImgSectorsSetting, std::to_string(needed),
                                            "Set BOOT_MAX_IMG_SECTORS (CONFIG_BOOT_MAX_IMG_SECTORS) to " +
                                                std::to_string(needed) + ", the most sectors of any slot")));
    }
    return out;
}

std::vector<Diagnostic> checkMcubootTrailer(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    if (!v.mode)
        return out;
    for (const auto& [n, unused] : v.images) {
        const auto s = imageSpaceOf(v, n);
        if (!s)
            continue;
        const ImageSpace& sp = s->space;
        const TrailerConfig& c = s->config;
        std::string tail;
        switch (c.mode) {
        case UpgradeMode::SwapUsingScratch:
            tail = "; scratch trailer " + formatHex(sp.scratchTrailer);
            if (sp.padding > 0)
                tail +=
                    "; " + formatHex(sp.padding) +
                    " of padding before the trailer, so that the scratch trailer fits beside the image when "
                    "the "
                    "first trailer sector is swapped through the scratch (app_max_size_adjust_to_trailer())";
            break;
        case UpgradeMode::SwapUsingMove:
        case UpgradeMode::SwapUsingOffset:
            tail = "; rounded up to " + formatHex(sp.trailerSectors) + " of whole sectors, and one " +
                   formatSize(sp.spareSector) + " sector of " +
                   (c.mode == UpgradeMode::SwapUsingMove ? "the primary kept free for the move"
                                                         : "the secondary kept for the offset");
            break;
        default:
            tail = "; bootutil_max_image_size() stops at the swap-info field, " +
                   formatHex(s->slotSize - sp.space) + " before the end (this mode keeps no swap status)";
            break;
        }
        const std::string name = nameOf(v, s->primary);
        if (sp.fits) {
            out.push_back(diagnostic(Severity::Info, "mcuboot.image-space",
                                     name + ": image space " + formatHexAndSize(sp.space) + " of " +
                                         formatHex(s->slotSize) + "; " + describeTrailer(c) + tail,
                                     {s->primary}));
            continue;
        }
        // A smaller BOOT_MAX_IMG_SECTORS, if the slots allow it, shrinks the status area.
        std::optional<Fix> fix;
        const std::uint64_t needed = neededMaxImgSectors(v);
        if (needed > 0 && needed < c.maxImgSectors) {
            Layout lowered = layout;
            const Fix lower = settingFix(kMaxImgSectorsSetting, std::to_string(needed),
                                         "Set BOOT_MAX_IMG_SECTORS to " + std::to_string(needed) +
                                             ", the most sectors of any slot, to shrink the status area");
            if (const auto again = mcubootImageSpace(applyFix(layout, lower), n); again && again->space.fits)
                fix = lower;
        }
        out.push_back(diagnostic(Severity::Error, "mcuboot.trailer-fit",
                                 name + " " + sizeNote(s->slotSize) +
                                     " has no room for an image: " + describeTrailer(c) + tail,
                                 {s->primary, s->secondary}, fix));
    }
    return out;
}

} // namespace flashplan
