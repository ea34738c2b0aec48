// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "rules/McubootTrailer.h"
#include "util/Result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

// Where bootutil keeps each field of an MCUboot image trailer in a slot, and the magic it writes there.
// Follows mcu-tools/mcuboot at commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77: boot_magic_off(),
// boot_image_ok_off(), boot_copy_done_off(), boot_swap_size_off(), boot_unprotected_tlv_sizes_off()
// (boot/bootutil/src/bootutil_misc.h), boot_swap_info_off() and boot_img_magic (bootutil_public.c),
// boot_enc_key_off() and boot_status_off() (bootutil_misc.c), boot_trailer_sz() (bootutil_area.c), and
// what imgtool's Image.pad_to() (scripts/imgtool/image.py) writes at the same places.
//
// From the end of a slot of size S, with A = BOOT_MAX_ALIGN (S a multiple of A):
//
//   [S - BOOT_MAGIC_ALIGN_SIZE, S)  magic area: erased bytes, then the 16 magic bytes at S - 16
//   image_ok   A bytes below it     the flag is the field's first byte (0x01 when set), the rest erased
//   copy_done  A bytes below that
//   swap_info  A bytes              swap type (low nibble) and image number (high nibble)
//   (swap-using-offset: the unprotected TLV sizes of both slots, A bytes)
//   swap_size  A bytes              a little-endian uint32
//   (MCUBOOT_ENC_IMAGES: the key, or key TLV, of slot 0 then of slot 1, each rounded up to A)
//   status     BOOT_MAX_IMG_SECTORS x BOOT_STATUS_STATE_COUNT x BOOT_WRITE_SZ bytes, from S -
//   boot_trailer_sz()
namespace flashplan::mcuboot {

inline constexpr std::size_t kMagicSize = 16; ///< BOOT_MAGIC_SZ

using BootMagic = std::array<std::uint8_t, kMagicSize>;

/// BOOT_IMG_MAGIC, the 16 bytes boot_img_magic holds for a BOOT_MAX_ALIGN: with BOOT_MAX_ALIGN 8 the
/// classic 77 c2 95 f3 60 d2 ef 7f 35 52 50 0f 2c b6 79 80; otherwise BOOT_MAX_ALIGN as a little-endian
/// uint16 (the `align` member of union boot_img_magic_t on a little-endian target, which imgtool writes
/// for its default --endian little) followed by 2d e1 5d 29 41 0b 8d 77 67 9c 11 0f 1f 8a. A bootloader
/// built with one BOOT_MAX_ALIGN reads the magic of another as BOOT_MAGIC_BAD.
BootMagic bootMagic(std::uint64_t maxAlign);

/// The BOOT_MAX_ALIGN a magic was written for: 8 for the classic magic, the uint16 in its first two bytes
/// for the other form; nullopt when the 16 bytes are no MCUboot magic at all.
std::optional<std::uint64_t> magicMaxAlign(std::span<const std::uint8_t> magic);

/// A field of the trailer: its offset from the start of the slot and its size.
struct TrailerField {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint64_t end() const { return offset + size; }
    friend bool operator==(const TrailerField&, const TrailerField&) = default;
};

/// Every field of the trailer of one slot, as bootutil places it.
struct TrailerLayout {
    TrailerConfig config;
    std::uint64_t slotSize = 0;
    /// boot_magic_off(): the 16 magic bytes, the last of the slot.
    TrailerField magic;
    /// What boot_write_magic() writes: BOOT_MAGIC_ALIGN_SIZE bytes from ALIGN_DOWN(boot_magic_off(),
    /// BOOT_MAX_ALIGN), erased bytes and then the magic (16 bytes with BOOT_MAX_ALIGN 8, 32 with 32).
    TrailerField magicArea;
    TrailerField imageOk;  ///< boot_image_ok_off(), BOOT_MAX_ALIGN bytes; the flag is the first byte
    TrailerField copyDone; ///< boot_copy_done_off(), BOOT_MAX_ALIGN bytes; the flag is the first byte
    TrailerField swapInfo; ///< boot_swap_info_off(), BOOT_MAX_ALIGN bytes; swap_info is the first byte
    /// boot_unprotected_tlv_sizes_off(): swap-using-offset only, BOOT_MAX_ALIGN bytes.
    std::optional<TrailerField> unprotectedTlvSizes;
    TrailerField swapSize; ///< boot_swap_size_off(), BOOT_MAX_ALIGN bytes; a uint32 first
    /// boot_enc_key_off(slot 0) and (slot 1) with MCUBOOT_ENC_IMAGES, each BOOT_ENC_KEY_ALIGN_SIZE (or
    /// BOOT_ENC_TLV_ALIGN_SIZE) bytes; empty without encryption.
    std::vector<TrailerField> encKeys;
    /// The swap status entries: boot_status_sz(BOOT_WRITE_SZ) bytes from slot - boot_trailer_sz().
    TrailerField status;
    /// Where the trailer starts: slot - boot_trailer_sz(BOOT_WRITE_SZ), the status area's first byte.
    std::uint64_t trailerStart = 0;
    /// The trailer area, [areaStart, slotSize): the bytes that must read erased for "no request", and
    /// that a request writes. In the swap modes trailerStart, as the swap keeps status there and an
    /// image ends before it; in overwrite-only, direct-xip and ram-load the start of swap_info, because
    /// bootutil_max_image_size() lets an image run up to it (the status area is never written there).
    std::uint64_t areaStart = 0;
    /// The first byte boot_read_swap_state() reads (swap_info): a reader needs [stateStart, slotSize).
    std::uint64_t stateStart() const { return swapInfo.offset; }
    std::uint64_t areaSize() const { return slotSize - areaStart; }
};

/// The trailer of a slot of `slotSize` bytes for `config` (mode, BOOT_MAX_IMG_SECTORS, BOOT_WRITE_SZ,
/// BOOT_MAX_ALIGN, encryption). Errors, all before anything is computed:
/// - Errc::InvalidArgument: BOOT_MAX_ALIGN is not a power of two, or lies outside 8..32 in a swap mode
///   (bootutil_public.h's _Static_assert); BOOT_WRITE_SZ is 0, not a power of two, or above
///   BOOT_MAX_ALIGN (boot_write_trailer() asserts it is not).
/// - Errc::Misaligned: the slot size is not a multiple of BOOT_MAX_ALIGN (boot_image_ok_off() rounds
///   down, imgtool does not, so the two would disagree about image_ok).
/// - Errc::OutOfRange: boot_trailer_sz() is larger than the slot.
Result<TrailerLayout> trailerLayout(const TrailerConfig& config, std::uint64_t slotSize);

} // namespace flashplan::mcuboot
