// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/TrailerLayout.h"
#include "model/Layout.h"
#include "rules/McubootTrailer.h"
#include "util/Result.h"

#include <cstddef>
#include <cstdint>
#include <optional>

// A slot partition of an MCUboot layout with everything needed to clear, request, read and judge its
// trailer: the trailer layout bootutil uses for it, the device's erased value and write alignment, and
// the pair's compatibility. The bridge from a Layout to the pure functions of core/boot, for the flash
// job, `flashplan-cli inspect` and the GUI.
namespace flashplan::mcuboot {

struct SlotTrailer {
    int image = 0;             ///< Partition::imageIndex of the pair
    std::size_t partition = 0; ///< the slot asked about, an index into Layout::partitions
    std::size_t primary = 0;   ///< the pair's primary slot (role slot0)
    std::size_t secondary = 0; ///< the pair's secondary slot (role slot1)
    UpgradeMode mode = UpgradeMode::SwapUsingScratch;
    /// trailerLayout() of this slot's size with the pair's TrailerConfig: BOOT_WRITE_SZ as boot_write_sz()
    /// takes it (the primary's write block, or the scratch's when larger in swap-using-scratch; the same
    /// for both slots of a pair), BOOT_MAX_ALIGN, BOOT_MAX_IMG_SECTORS and encryption from the layout's
    /// settings.
    TrailerLayout trailer;
    std::uint8_t erasedValue = 0xff; ///< the slot's device's erase value (flash_area_erased_val())
    std::uint64_t writeAlign = 1;    ///< the slot's device write block (flash_area_align())
    /// boot_slots_compatible() of the pair, with the scratch size and BOOT_MAX_IMG_SECTORS: what
    /// nextBoot() takes as NextBootInput::compatibility.
    Compatibility compatibility = Compatibility::Compatible;
    bool isPrimary() const { return partition == primary; }
};

/// The trailer of `partition` when it is the primary or secondary slot of an image of an MCUboot layout
/// (bootloader kind "mcuboot" with a known mode) that has exactly one of each on known devices; nullopt
/// for any other partition or layout (its trailer is none of MCUboot's business). An error when the
/// layout's settings give a trailer bootutil could not use (trailerLayout()'s errors, with the slot's
/// label in Error::field).
Result<std::optional<SlotTrailer>> slotTrailer(const Layout& layout, std::size_t partition);

} // namespace flashplan::mcuboot
