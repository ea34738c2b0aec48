// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Board.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <cstdint>
#include <string>

namespace flashplan {

/// What a user wants from a new layout; everything else is the designer's choice.
struct LayoutWishes {
    std::string profile = "mcuboot-swap-scratch"; ///< a profile id (model/BootloaderProfile.h)
    std::uint64_t bootloaderSize = 0; ///< 0: the profile's usual size (64 KiB); ignored for "none"
    std::uint64_t storageSize = 0;    ///< 0: no storage partition
    bool secondaryOnExternal = false; ///< put the secondary slot (UPDATE) on external flash
};

/// The bytes the application of image 0 may use: what the bootloader lets an image use of the primary slot
/// (MCUboot: bootutil_max_image_size(), the slot less its trailer; wolfBoot: the slot), less the header
/// images start with (the profile's header size: MCUboot's 0x200, wolfBoot's IMAGE_HEADER_SIZE); 0 when
/// the layout has no primary slot.
std::uint64_t applicationSpace(const Layout& layout);

/// Designs the layout that gives the application the most space on `board` while every rule that applies
/// passes (no error, no warning): a bootloader partition at the start of the code flash, the slots the
/// profile needs, sector-aligned and sector-compatible, a scratch or swap sector where the profile uses
/// one, the storage at the end of the code flash. The code flash is the board's first internal device,
/// or its first device when it has no internal one. Errors: an unknown profile, a board with no external
/// flash when the secondary slot should go there, wishes that leave no room for the slots.
Result<Layout> designLayout(const Board& board, const LayoutWishes& wishes);

} // namespace flashplan
