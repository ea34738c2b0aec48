// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/BootState.h"
#include "boot/TrailerLayout.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <span>

// Reading a slot's trailer as bootutil reads it: boot_read_swap_state() (bootutil_public.c), with
// boot_magic_decode() (bootutil_misc.h), boot_read_flag() and bootutil_buffer_is_erased(), as in
// mcu-tools/mcuboot at commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77; plus the raw fields an inspector
// wants to show beside it.
namespace flashplan::mcuboot {

/// What a slot's trailer holds.
struct TrailerRead {
    /// boot_read_swap_state(): magic good (this BOOT_MAX_ALIGN's magic), bad or unset (all 16 bytes
    /// erased); swap type and image number from swap_info (None and 0 when swap_info is erased or its
    /// type is above Revert); copy_done and image_ok set (0x01), unset (erased) or bad (anything else).
    SwapState state;
    BootMagic magic{};                          ///< the 16 magic bytes as read
    std::optional<std::uint64_t> magicMaxAlign; ///< magicMaxAlign(magic): whose magic it is, if anyone's
    std::uint8_t swapInfo = 0;                  ///< the raw swap_info byte
    std::uint8_t copyDone = 0;                  ///< the raw copy_done byte
    std::uint8_t imageOk = 0;                   ///< the raw image_ok byte
    /// swap_size (boot_read_swap_size(), little-endian), nullopt when its four bytes are erased or were
    /// not among the bytes given.
    std::optional<std::uint32_t> swapSize;
    /// Whether every byte of the status area is erased (no swap progress recorded); nullopt when the
    /// bytes given do not reach back to layout.status.
    std::optional<bool> statusErased;
    /// Whether the whole trailer area [layout.areaStart, slot end) is erased: no request and no stale
    /// trailer; nullopt when the bytes given do not reach back to layout.areaStart.
    std::optional<bool> areaErased;
};

/// Reads the trailer of a slot from `tail`, the last tail.size() bytes of the slot (so tail's last byte
/// is the slot's last byte). `tail` must cover at least [layout.stateStart(), slot end), the fields
/// boot_read_swap_state() reads; longer tails add swapSize, statusErased and areaErased. Errc::OutOfRange
/// when `tail` is shorter than that, or longer than the slot.
Result<TrailerRead> readTrailer(const TrailerLayout& layout, std::span<const std::uint8_t> tail,
                                std::uint8_t erasedValue);

} // namespace flashplan::mcuboot
