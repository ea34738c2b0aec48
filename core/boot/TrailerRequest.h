// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/BootState.h"
#include "boot/TrailerLayout.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// The bytes a programmer leaves in a slot's trailer area to ask MCUboot for something at the next boot,
// exactly as imgtool's padded images carry them (Image.pad_to() in scripts/imgtool/image.py), and the
// write MCUboot's own boot_set_confirmed() makes (bootutil_public.c), both as in mcu-tools/mcuboot at
// commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77.
namespace flashplan::mcuboot {

/// What a flashed slot's trailer asks of MCUboot.
enum class UpgradeRequest {
    /// The trailer area erased: no request. A flashed secondary waits; a flashed primary boots as it is
    /// (no row of the swap table matches an erased trailer). What a flash must leave unless asked.
    None,
    /// For a secondary slot, `imgtool sign --pad` (or --test): the magic only, image_ok erased. MCUboot
    /// swaps once (swap type test) and reverts at the following boot unless the image confirms itself.
    Test,
    /// For a secondary slot, `imgtool sign --pad --confirm`: the magic and image_ok set. MCUboot swaps for
    /// good (swap type perm).
    Permanent,
    /// For a primary slot, the bytes of `imgtool sign --pad --confirm` (identical to Permanent's): the
    /// magic and image_ok set, so the image counts as confirmed and no revert can follow.
    Confirm,
};

/// "none", "test", "permanent", "confirm" (the words of `flashplan-cli flash --mcuboot`).
std::string_view to_string(UpgradeRequest request);
/// The inverse of to_string(); nullopt for any other text.
std::optional<UpgradeRequest> upgradeRequestFromString(std::string_view text);

/// Bytes for a slot, at an offset from the slot's start.
struct TrailerBytes {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> bytes;
    std::uint64_t end() const { return offset + bytes.size(); }
    friend bool operator==(const TrailerBytes&, const TrailerBytes&) = default;
};

/// The whole trailer area of a slot, [layout.areaStart, layout.slotSize), as it must read after a flash
/// with `request`: every byte `erasedValue` except, for Test, Permanent and Confirm, the magic
/// (bootMagic(BOOT_MAX_ALIGN) in the last 16 bytes) and, for Permanent and Confirm, image_ok = 0x01 in
/// the first byte of its field. Equal byte for byte to the same range of `imgtool sign --pad [--confirm]
/// --align BOOT_WRITE_SZ --max-align BOOT_MAX_ALIGN --slot-size <slot> [-R <erased value>]`. In
/// overwrite-only imgtool (--overwrite-only) never writes image_ok, so Permanent and Confirm leave the
/// same bytes as Test there, as they do here. A programmer that writes these bytes over the erased area
/// may skip every write unit that holds only erased bytes.
TrailerBytes requestTrailer(const TrailerLayout& layout, UpgradeRequest request, std::uint8_t erasedValue);

/// The write boot_set_confirmed() makes on a primary slot whose trailer reads `current`, as
/// boot_set_next(fa, active = true, confirm = true) decides it (the swap modes and overwrite-only; not
/// MCUBOOT_DIRECT_XIP's variant):
/// - magic good and image_ok unset: one write of image_ok, ALIGN_UP(1, writeAlign) bytes at
///   layout.imageOk.offset, 0x01 then `erasedValue` bytes (boot_write_image_ok(), boot_write_trailer());
/// - magic good and image_ok already set (or bad), or magic unset: nothing to write (nullopt); bootutil
///   deliberately leaves an unset magic alone in the active slot;
/// - magic bad: Errc::Schema, bootutil's BOOT_EBADVECT.
/// `writeAlign` is flash_area_align() of the slot; Errc::InvalidArgument when it is 0, not a power of
/// two, or above BOOT_MAX_ALIGN.
Result<std::optional<TrailerBytes>> setConfirmedWrite(const TrailerLayout& layout, const SwapState& current,
                                                      std::uint64_t writeAlign, std::uint8_t erasedValue);

} // namespace flashplan::mcuboot
