// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

// The words bootutil uses for what an image trailer says, with bootutil's numbers: the BOOT_SWAP_TYPE_*,
// BOOT_MAGIC_* and BOOT_FLAG_* constants of boot/bootutil/include/bootutil/bootutil_public.h and its
// struct boot_swap_state, as in mcu-tools/mcuboot at commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77.
// The values are bootutil's, so a swap_info byte or a log line maps one to one.
namespace flashplan::mcuboot {

/// BOOT_SWAP_TYPE_*: what the bootloader does with an image pair, and the low nibble of swap_info.
enum class SwapType : std::uint8_t {
    None = 1,     ///< BOOT_SWAP_TYPE_NONE: boot the primary slot
    Test = 2,     ///< BOOT_SWAP_TYPE_TEST: swap to the secondary; revert at the next boot unless confirmed
    Perm = 3,     ///< BOOT_SWAP_TYPE_PERM: swap to the secondary for good
    Revert = 4,   ///< BOOT_SWAP_TYPE_REVERT: swap back (a tested image was not confirmed)
    Fail = 5,     ///< BOOT_SWAP_TYPE_FAIL: the image to run is not valid
    Panic = 0xff, ///< BOOT_SWAP_TYPE_PANIC: an unrecoverable error
};

/// BOOT_MAGIC_*: what the 16 magic bytes at the end of a slot say. Any and NotGood only appear in the
/// swap table, never in a slot.
enum class MagicState : std::uint8_t {
    Good = 1,    ///< BOOT_MAGIC_GOOD: the magic of this BOOT_MAX_ALIGN
    Bad = 2,     ///< BOOT_MAGIC_BAD: written, but not that magic
    Unset = 3,   ///< BOOT_MAGIC_UNSET: all 16 bytes erased
    Any = 4,     ///< BOOT_MAGIC_ANY (table only)
    NotGood = 5, ///< BOOT_MAGIC_NOTGOOD (table only)
};

/// BOOT_FLAG_*: a one-byte trailer flag (copy_done, image_ok). Any only appears in the swap table.
enum class FlagState : std::uint8_t {
    Set = 1,   ///< BOOT_FLAG_SET: the byte is 0x01 (bootutil writes exactly that)
    Bad = 2,   ///< BOOT_FLAG_BAD: written, but not 0x01
    Unset = 3, ///< BOOT_FLAG_UNSET: the byte is erased
    Any = 4,   ///< BOOT_FLAG_ANY (table only)
};

/// struct boot_swap_state: a slot's trailer as boot_read_swap_state() (bootutil_public.c) decodes it.
struct SwapState {
    MagicState magic = MagicState::Unset;
    /// BOOT_GET_SWAP_TYPE(swap_info); None when swap_info is erased or its type is above Revert.
    SwapType swapType = SwapType::None;
    FlagState copyDone = FlagState::Unset;
    FlagState imageOk = FlagState::Unset;
    /// BOOT_GET_IMAGE_NUM(swap_info): the image the boot status belongs to; 0 with swapType None.
    std::uint8_t imageNum = 0;
    friend bool operator==(const SwapState&, const SwapState&) = default;
};

/// The state of a slot whose trailer is all erased (what bootutil assumes for an unreachable secondary).
inline constexpr SwapState kErasedSwapState{};

/// What boot_validate_slot() (bootutil/src/loader.c) finds in a slot before an upgrade uses it.
enum class SlotImage {
    Valid,       ///< a header bootutil accepts and an image bootutil_img_validate() passes
    NoImage,     ///< ih_magic erased (boot_check_header_erased()): no bootable image
    NotBootable, ///< IMAGE_F_NON_BOOTABLE set: no bootable image
    Invalid,     ///< a header boot_check_header_valid() refuses, or a failed hash or signature check
};

/// "none", "test", "perm", "revert", "fail", "panic": the words of bootutil's "Swap type: %s" log line;
/// "unknown" for a value no BOOT_SWAP_TYPE_* has (a swap_info byte whose low nibble is 0).
std::string_view to_string(SwapType type);
/// "good", "bad", "unset" (the words of BOOT_LOG_SWAP_STATE in swap_move.c), "any", "notgood".
std::string_view to_string(MagicState magic);
/// "set", "bad", "unset", "any".
std::string_view to_string(FlagState flag);
/// "valid", "no image", "not bootable", "invalid".
std::string_view to_string(SlotImage image);

} // namespace flashplan::mcuboot
