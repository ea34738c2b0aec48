// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "rules/McubootTrailer.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace flashplan {

// The MCUboot rule pack: what MCUboot (mcu-tools/mcuboot, checked against commit 2d4bacc3) would refuse
// or log about a layout, said while it is edited. Applies when Layout::bootloader.kind is "mcuboot";
// the mode is Layout::bootloader.mode, the settings Layout::bootloader.settings by MCUboot's names
// (BOOT_MAX_IMG_SECTORS, MCUBOOT_BOOT_MAX_ALIGN, MCUBOOT_LOGICAL_SECTOR_SIZE, MCUBOOT_ENC_IMAGES,
// MCUBOOT_AES_256, MCUBOOT_SWAP_SAVE_ENCTLV, MCUBOOT_ENCRYPT_{RSA,EC256,X25519,KW}, MCUBOOT_HMAC_SHA512).
// Image pairs are the slot0/slot1 partitions of each Partition::imageIndex. Rule ids:
//   mcuboot.mode             bootloader mode is not an MCUboot upgrade mode                  (error)
//   mcuboot.setting          a setting that does not parse, or settings that contradict      (error)
//   mcuboot.missing-boot     no boot partition                                               (error)
//   mcuboot.missing-slot     an image without its primary or secondary slot                  (error)
//   mcuboot.duplicate-role   two primaries or two secondaries for one image, two scratches   (error)
//   mcuboot.missing-scratch  swap-using-scratch without a scratch partition                  (error)
//   mcuboot.unused-scratch   a scratch partition in a mode that does not use one             (warning)
//   mcuboot.slot-size        slot sizes the mode does not accept (error, fix); accepted but  (warning, fix)
//                            not optimal (swap-using-move/-offset), or unequal slots in
//                            direct-xip / ram-load
//   mcuboot.sector-compat    sectors of the two slots that boot_slots_compatible() rejects   (error, fix)
//   mcuboot.scratch-size     a scratch smaller than a group of sectors swapped through it    (error, fix)
//   mcuboot.max-img-sectors  a slot (or scratch) with more sectors than BOOT_MAX_IMG_SECTORS (error, fix)
//   mcuboot.max-align        BOOT_MAX_ALIGN below a write block, or outside 8..32 in swap    (error, fix)
//                            modes
//   mcuboot.logical-sector   MCUBOOT_LOGICAL_SECTOR_SIZE that does not suit a slot           (error, fix)
//   mcuboot.trailer-fit      the trailer leaves the primary slot no room for an image        (error, fix)
//   mcuboot.image-space      per primary slot: the image space and the trailer size          (info)

std::vector<Diagnostic> checkMcubootRoles(const Layout& layout);
std::vector<Diagnostic> checkMcubootSettings(const Layout& layout);
std::vector<Diagnostic> checkMcubootSlotSizes(const Layout& layout);
std::vector<Diagnostic> checkMcubootSectorCompatibility(const Layout& layout);
std::vector<Diagnostic> checkMcubootScratch(const Layout& layout);
std::vector<Diagnostic> checkMcubootMaxImgSectors(const Layout& layout);
std::vector<Diagnostic> checkMcubootTrailer(const Layout& layout);

/// Every check above.
std::vector<Diagnostic> checkMcuboot(const Layout& layout);

/// True when the layout is made for MCUboot (bootloader kind "mcuboot").
bool isMcubootLayout(const Layout& layout);

/// The image space of one image's primary slot, as bootutil_max_image_size() computes it.
struct McubootImageSpace {
    int image = 0;
    std::size_t primary = 0;    ///< index of the primary slot in Layout::partitions
    std::size_t secondary = 0;  ///< index of the secondary slot
    std::uint64_t slotSize = 0; ///< size of the primary slot
    mcuboot::TrailerConfig config;
    mcuboot::ImageSpace space; ///< space.space is the largest image; space.fits false when there is none
};

/// The image space of image `imageIndex`'s primary slot: the largest signed image (header, body, TLVs)
/// MCUboot accepts there, with the trailer figures behind it. Pure; for auto-layout. nullopt when the
/// layout is not an MCUboot layout of a known mode, the image does not have exactly one primary and one
/// secondary slot on known devices, or the slots are not compatible (bootutil's app_max_size() is then 0).
std::optional<McubootImageSpace> mcubootImageSpace(const Layout& layout, int imageIndex);

/// mcubootImageSpace() of every image that has one, in image order.
std::vector<McubootImageSpace> mcubootImageSpaces(const Layout& layout);

} // namespace flashplan
