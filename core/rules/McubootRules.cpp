// SPDX-License-Identifier: Apache-2.0
// The MCUboot rule pack: roles and settings here, slot geometry in McubootSlotRules.cpp. What each rule
// checks, and the words it quotes, come from mcu-tools/mcuboot at commit 2d4bacc3:
// boot/bootutil/src/swap_scratch.c, swap_move.c, swap_offset.c (boot_slots_compatible, app_max_size),
// bootutil_misc.c (boot_write_sz, bootutil_max_image_size, boot_verify_logical_sectors), bootutil_public.c
// (boot_write_trailer), loader.c (context_boot_go) and docs/design.md. The arithmetic lives in
// McubootTrailer.cpp.
#include "rules/McubootRules.h"

#include "rules/McubootView.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

using namespace mcuboot;

namespace {

/// Zephyr's label for an image's slot: slot0_partition/slot1_partition for image 0, slot2/slot3 for 1...
std::string zephyrSlotLabel(int image, bool secondary) {
    return "slot" + std::to_string(2 * image + (secondary ? 1 : 0)) + "_partition";
}

} // namespace

bool isMcubootLayout(const Layout& layout) {
    return layout.bootloader.is(BootloaderKind::Mcuboot);
}

std::vector<Diagnostic> checkMcubootRoles(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    if (!v.mode)
        out.push_back(diagnostic(Severity::Error, "mcuboot.mode",
                                 (layout.bootloader.mode.empty()
                                      ? std::string("the MCUboot profile has no upgrade mode")
                                      : "'" + layout.bootloader.mode + "' is not an MCUboot upgrade mode") +
                                     "; MCUboot has swap-using-scratch, swap-using-move, swap-using-offset, "
                                     "overwrite-only, direct-xip and ram-load",
                                 {}));
    if (v.boots.empty())
        out.push_back(diagnostic(Severity::Error, "mcuboot.missing-boot",
                                 "no boot partition (role boot): MCUboot runs from a partition of its own "
                                 "(Zephyr's boot_partition, flash area FLASH_AREA_BOOTLOADER)",
                                 {}));

    // Images are numbered from 0 without gaps (BOOT_IMAGE_NUMBER pairs, FLASH_AREA_IMAGE_PRIMARY(i)).
    if (v.images.empty())
        out.push_back(
            diagnostic(Severity::Error, "mcuboot.missing-slot",
                       "no image slots: MCUboot needs a primary slot (role slot0, Zephyr's slot0_partition) "
                       "and a secondary slot (role slot1, slot1_partition)",
                       {}));
    const int last = v.images.empty() ? -1 : std::max(0, v.images.rbegin()->first);
    const int first = v.images.empty() ? 0 : std::min(0, v.images.begin()->first);
    for (int n = first; n <= last; ++n) {
        const auto it = v.images.find(n);
        const std::string image = "image " + std::to_string(n);
        if (n < 0) {
            if (it != v.images.end()) {
                std::vector<std::size_t> idx = it->second.primaries;
                idx.insert(idx.end(), it->second.secondaries.begin(), it->second.secondaries.end());
                out.push_back(diagnostic(Severity::Error, "mcuboot.missing-slot",
                                         listNames(v, idx) + ": image number " + std::to_string(n) +
                                             " is not an MCUboot image; images are numbered from 0",
                                         idx));
            }
            continue;
        }
        if (it == v.images.end()) {
            out.push_back(diagnostic(
                Severity::Error, "mcuboot.missing-slot",
                image + " has no slots: MCUboot needs a primary slot (role slot0, Zephyr's " +
                    zephyrSlotLabel(n, false) + ") and a secondary slot (role slot1, " +
                    zephyrSlotLabel(n, true) + ") for every image from 0 to " + std::to_string(last),
                {}));
            continue;
        }
        const ImageSlots& s = it->second;
        if (s.primaries.empty())
            out.push_back(diagnostic(Severity::Error, "mcuboot.missing-slot",
                                     image + " has a secondary slot (" + listNames(v, s.secondaries) +
                                         ") but no primary slot (role slot0, Zephyr's " +
                                         zephyrSlotLabel(n, false) + ") to boot from",
                                     s.secondaries));
        if (s.secondaries.empty())
            out.push_back(diagnostic(Severity::Error, "mcuboot.missing-slot",
                                     image + " has a primary slot (" + listNames(v, s.primaries) +
                                         ") but no secondary slot (role slot1, Zephyr's " +
                                         zephyrSlotLabel(n, true) + ") to receive updates in",
                                     s.primaries));
        if (s.primaries.size() > 1)
            out.push_back(diagnostic(Severity::Error, "mcuboot.duplicate-role",
                                     image + " has " + std::to_string(s.primaries.size()) +
                                         " primary slots (" + listNames(v, s.primaries) +
                                         "); MCUboot opens one, FLASH_AREA_IMAGE_PRIMARY(" +
                                         std::to_string(n) + ")",
                                     s.primaries));
        if (s.secondaries.size() > 1)
            out.push_back(diagnostic(Severity::Error, "mcuboot.duplicate-role",
                                     image + " has " + std::to_string(s.secondaries.size()) +
                                         " secondary slots (" + listNames(v, s.secondaries) +
                                         "); MCUboot opens one, FLASH_AREA_IMAGE_SECONDARY(" +
                                         std::to_string(n) + ")",
                                     s.secondaries));
    }

    if (!v.mode)
        return out;
    if (*v.mode == UpgradeMode::SwapUsingScratch) {
        if (v.scratches.empty()) {
            std::vector<std::size_t> slots;
            for (const auto& [n, img] : v.images) {
                slots.insert(slots.end(), img.primaries.begin(), img.primaries.end());
                slots.insert(slots.end(), img.secondaries.begin(), img.secondaries.end());
            }
            std::sort(slots.begin(), slots.end());
            out.push_back(diagnostic(Severity::Error, "mcuboot.missing-scratch",
                                     "swap-using-scratch needs a scratch partition (role scratch, Zephyr's "
                                     "scratch_partition, FLASH_AREA_IMAGE_SCRATCH) to swap the slots through",
                                     slots));
        } else if (v.scratches.size() > 1) {
            out.push_back(diagnostic(Severity::Error, "mcuboot.duplicate-role",
                                     std::to_string(v.scratches.size()) + " scratch partitions (" +
                                         listNames(v, v.scratches) +
                                         "); MCUboot opens one, FLASH_AREA_IMAGE_SCRATCH, for all images",
                                     v.scratches));
        }
    } else {
        for (std::size_t i : v.scratches)
            out.push_back(diagnostic(Severity::Warning, "mcuboot.unused-scratch",
                                     nameOf(v, i) + ": " + std::string(to_string(*v.mode)) +
                                         " does not use a scratch area; its " +
                                         formatSize(layout.partitions[i].size) + " could go to the slots",
                                     {i}));
    }
    return out;
}

std::vector<Diagnostic> checkMcubootSettings(const Layout& layout) {
    std::vector<Diagnostic> out;
    const View v = viewOf(layout);
    for (const std::string& problem : v.settings.problems)
        out.push_back(diagnostic(Severity::Error, "mcuboot.setting", problem, {}));
    if (!v.mode)
        return out;

    // BOOT_MAX_ALIGN. Every trailer field is BOOT_MAX_ALIGN wide and boot_write_trailer()
    // (bootutil_public.c) refuses a write block larger than that; the swap modes accept 8..32 only
    // (_Static_assert in bootutil_public.h).
    const std::uint64_t align = v.maxAlign;
    const bool set = v.settings.maxAlign.has_value();
    const std::uint64_t suggested = defaultMaxAlign(v.largestWriteBlock);
    const bool suggestionOk = !isSwapMode(*v.mode) || (suggested >= 8 && suggested <= 32);
    const auto alignFix = [&]() -> std::optional<Fix> {
        if (!set || !suggestionOk || suggested == align)
            return std::nullopt;
        return settingFix(kMaxAlignSetting, std::to_string(suggested),
                          "Set MCUBOOT_BOOT_MAX_ALIGN to " + std::to_string(suggested) +
                              ", the largest write block of the slots (at least 8)");
    };
    std::vector<std::size_t> widest;
    std::string widestDevice;
    for (const Area& a : physicalAreas(v))
        if (a.device->writeBlockSize > align) {
            widest.push_back(a.index);
            widestDevice = a.device->id;
        }
    if (set && !isPowerOfTwo(align))
        out.push_back(diagnostic(
            Severity::Error, "mcuboot.max-align",
            "MCUBOOT_BOOT_MAX_ALIGN=" + std::to_string(align) +
                " is not a power of two; bootutil aligns the trailer fields with ALIGN_UP/ALIGN_DOWN "
                "masks",
            {}, alignFix()));
    if (!widest.empty())
        out.push_back(diagnostic(Severity::Error, "mcuboot.max-align",
                                 "BOOT_MAX_ALIGN=" + std::to_string(align) + " is smaller than the " +
                                     std::to_string(v.largestWriteBlock) + "-byte write block of " +
                                     widestDevice + " (" + listNames(v, widest) +
                                     "): boot_write_trailer() cannot write a trailer field there",
                                 widest, alignFix()));
    if (isSwapMode(*v.mode) && (align < 8 || align > 32))
        out.push_back(diagnostic(
            Severity::Error, "mcuboot.max-align",
            "BOOT_MAX_ALIGN=" + std::to_string(align) +
                (set ? std::string(" (MCUBOOT_BOOT_MAX_ALIGN)")
                     : " (from the " + std::to_string(v.largestWriteBlock) + "-byte write block)") +
                ": MCUboot stops the build with \"Unsupported value for MCUBOOT_BOOT_MAX_ALIGN for "
                "SWAP upgrade modes\" (8 to 32)",
            {}, alignFix()));

    // MCUBOOT_LOGICAL_SECTOR_SIZE (boot_verify_logical_sectors() in bootutil_misc.c; Kconfig: a power of
    // two, a multiple of the hardware sectors in size and alignment).
    const std::uint64_t logical = v.settings.logicalSectorSize;
    if (logical == 0)
        return out;
    const std::vector<Area> areas = physicalAreas(v);
    std::optional<Fix> fix;
    if (const auto better = proposeLogicalSectorSize(areas); better && *better != logical)
        fix = settingFix(kLogicalSectorSetting, formatHex(*better),
                         "Set MCUBOOT_LOGICAL_SECTOR_SIZE to " + formatHexAndSize(*better) +
                             ", the smallest that suits every slot");
    const std::string name = "MCUBOOT_LOGICAL_SECTOR_SIZE=" + formatHex(logical);
    if (!isPowerOfTwo(logical)) {
        out.push_back(
            diagnostic(Severity::Error, "mcuboot.logical-sector",
                       name + " is not a power of two, which MCUboot's build asserts (offsets are rounded "
                              "by masking)",
                       {}, fix));
        return out;
    }
    for (const Area& a : areas)
        if (const auto why = logicalSectorProblem(a, logical))
            out.push_back(
                diagnostic(Severity::Error, "mcuboot.logical-sector",
                           nameOf(v, a.index) + ": " + name + " does not suit it: " + *why +
                               " (boot_verify_logical_sectors(): logical sectors must be whole multiples of "
                               "the erase sectors, in size and alignment)",
                           {a.index}, fix));
    return out;
}

std::vector<Diagnostic> checkMcuboot(const Layout& layout) {
    std::vector<Diagnostic> out;
    for (auto check :
         {checkMcubootRoles, checkMcubootSettings, checkMcubootSlotSizes, checkMcubootSectorCompatibility,
          checkMcubootScratch, checkMcubootMaxImgSectors, checkMcubootTrailer}) {
        auto found = check(layout);
        out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
    return out;
}

std::optional<McubootImageSpace> mcubootImageSpace(const Layout& layout, int imageIndex) {
    if (!isMcubootLayout(layout))
        return std::nullopt;
    return imageSpaceOf(viewOf(layout), imageIndex);
}

std::vector<McubootImageSpace> mcubootImageSpaces(const Layout& layout) {
    std::vector<McubootImageSpace> out;
    if (!isMcubootLayout(layout))
        return out;
    const View v = viewOf(layout);
    for (const auto& [n, unused] : v.images)
        if (auto s = imageSpaceOf(v, n))
            out.push_back(std::move(*s));
    return out;
}

} // namespace flashplan