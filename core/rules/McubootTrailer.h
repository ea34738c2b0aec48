// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/BootloaderProfile.h"
#include "model/SectorMap.h"

#include <cstdint>
#include <optional>
#include <string_view>

// MCUboot's image trailer and slot arithmetic, as bootutil computes it, with no layout in sight: numbers
// and sector lists in, numbers out. The reference is mcu-tools/mcuboot at commit 2d4bacc3; each function
// names the bootutil function (and file) it follows. Sector lists are SectorMaps whose offsets are
// relative to the start of the slot, as flash_area_get_sectors() reports them.
namespace flashplan::mcuboot {

/// MCUboot's upgrade modes: the model's enum (model/BootloaderProfile.h), named here as bootutil does.
using flashplan::UpgradeMode;

/// The swap modes: they keep swap status, and MCUBOOT_BOOT_MAX_ALIGN must lie in 8..32 for them.
bool isSwapMode(UpgradeMode mode);
/// The modes that read both slots' sectors (boot_read_sectors) and check boot_slots_compatible(): the
/// swap modes and overwrite-only. direct-xip and ram-load never copy between slots.
bool comparesSlots(UpgradeMode mode);

/// Which key exchange encrypted images use; it decides BOOT_ENC_TLV_SIZE (enc_key_public.h).
enum class KeyExchange { Rsa2048, Ec256, X25519, Kw };

/// MCUBOOT_ENC_IMAGES and the options that change what the trailer stores for it.
struct Encryption {
    bool enabled = false;    ///< MCUBOOT_ENC_IMAGES
    bool aes256 = false;     ///< MCUBOOT_AES_256: 32-byte keys, else 16 (BOOT_ENC_KEY_SIZE)
    bool saveEncTlv = false; ///< MCUBOOT_SWAP_SAVE_ENCTLV: store the encrypted key TLVs instead
    KeyExchange exchange = KeyExchange::Ec256; ///< only matters with saveEncTlv
    bool hmacSha512 = false;                   ///< MCUBOOT_HMAC_SHA512 (X25519 only)
};

/// BOOT_ENC_KEY_SIZE: 16, or 32 with MCUBOOT_AES_256.
std::uint64_t encKeySize(const Encryption& encryption);
/// BOOT_ENC_TLV_SIZE for the key exchange: RSA 256; AES-KW key + 8; ECIES public key (65 for P-256, 32
/// for X25519) + HMAC tag (32, or 64 with SHA-512) + key.
std::uint64_t encTlvSize(const Encryption& encryption);

/// MCUBOOT_MAX_IMG_SECTORS when Zephyr's CONFIG_BOOT_MAX_IMG_SECTORS is left at its default.
inline constexpr std::uint64_t kDefaultMaxImgSectors = 128;
/// BOOT_MAGIC_SZ (bootutil_public.h).
inline constexpr std::uint64_t kBootMagicSize = 16;

/// BOOT_MAX_ALIGN when MCUBOOT_BOOT_MAX_ALIGN is not set: 8 (bootutil_public.h), or the write block
/// size when larger, as Zephyr derives CONFIG_MCUBOOT_BOOT_MAX_ALIGN from the flash's write-block-size.
std::uint64_t defaultMaxAlign(std::uint64_t largestWriteBlock);

/// What the trailer arithmetic depends on.
struct TrailerConfig {
    UpgradeMode mode = UpgradeMode::SwapUsingScratch;
    std::uint64_t maxImgSectors = kDefaultMaxImgSectors; ///< BOOT_MAX_IMG_SECTORS
    /// BOOT_WRITE_SZ, as boot_write_sz() (bootutil_misc.c) sets it: the write block of the primary slot,
    /// or of the scratch area in swap-using-scratch when that is larger.
    std::uint64_t writeSize = 1;
    std::uint64_t maxAlign = 8; ///< BOOT_MAX_ALIGN
    Encryption encryption;
};

/// BOOT_MAGIC_ALIGN_SIZE: the 16-byte magic padded to BOOT_MAX_ALIGN.
std::uint64_t magicAlignSize(const TrailerConfig& config);
/// BOOT_STATUS_STATE_COUNT (bootutil_area.h): 3 for swap-using-move (1 move + 2 swap states), 2 for
/// swap-using-offset, 3 for every other mode, overwrite-only included.
std::uint64_t statusStateCount(UpgradeMode mode);
/// boot_status_entry_sz(): the status of one sector swap, BOOT_STATUS_STATE_COUNT * BOOT_WRITE_SZ.
std::uint64_t statusEntrySize(const TrailerConfig& config);
/// boot_status_sz(): BOOT_STATUS_MAX_ENTRIES (= BOOT_MAX_IMG_SECTORS) status entries. The current
/// bootutil sizes this area in overwrite-only too (older releases left it out).
std::uint64_t statusSize(const TrailerConfig& config);
/// boot_trailer_info_sz(): encryption keys (or key TLVs), swap_size, swap_info, copy_done, image_ok, the
/// swap-using-offset TLV sizes, and the magic, each field BOOT_MAX_ALIGN wide.
std::uint64_t trailerInfoSize(const TrailerConfig& config);
/// boot_trailer_sz(BOOT_WRITE_SZ): status area plus trailer info.
std::uint64_t trailerSize(const TrailerConfig& config);
/// boot_scratch_trailer_sz(BOOT_WRITE_SZ): the trailer the scratch area keeps, one status entry plus
/// trailer info (swap-using-scratch).
std::uint64_t scratchTrailerSize(const TrailerConfig& config);
/// boot_swap_info_off() (bootutil_public.c, bootutil_misc.h) for a slot of this size: where the swap-info
/// field starts; nullopt when the slot is too small to hold the fields behind it.
std::optional<std::uint64_t> swapInfoOffset(const TrailerConfig& config, std::uint64_t slotSize);

/// The sectors of [offset, offset + size) on a device, relative to `offset`, the first and last clipped
/// to the range. Empty when the range holds no byte of the device.
SectorMap slotSectors(const SectorMap& device, std::uint64_t offset, std::uint64_t size);
/// MCUBOOT_LOGICAL_SECTOR_SIZE: a slot of `size` bytes seen as size / logical sectors of `logical` bytes
/// (boot_initialize_area() in bootutil_misc.c). Empty when fewer than one fits.
SectorMap logicalSectors(std::uint64_t size, std::uint64_t logical);

/// boot_slots_compatible()'s verdicts, with the words MCUboot logs for them.
enum class Compatibility {
    Compatible,
    TooManySectors,       ///< "Cannot upgrade: more sectors than allowed"
    NotCompatibleAmount,  ///< "Cannot upgrade: not a compatible amount of sectors" (move, offset)
    NotSameLayout,        ///< "Cannot upgrade: not same sector layout" (move, offset)
    NonCompatibleSectors, ///< "Cannot upgrade: slots have non-compatible sectors" (scratch, overwrite)
    NotAllFitScratch,     ///< "Cannot upgrade: not all sectors fit inside scratch" (scratch)
    NotCompatible,        ///< "Cannot upgrade: slots are not compatible" (scratch, overwrite)
};

/// The sentence MCUboot logs (BOOT_LOG_WRN) for a verdict; empty for Compatible.
std::string_view bootutilMessage(Compatibility verdict);

struct CompatibilityResult {
    Compatibility verdict = Compatibility::Compatible;
    /// swap-using-move / -offset: the slots are compatible but not the optimal one sector apart, which
    /// MCUboot only logs at debug level ("Non-optimal sector distribution").
    bool nonOptimal = false;
    /// swap-using-scratch: the largest group of sectors swapped at once (both slots' sectors up to a
    /// common boundary), which the scratch area must hold. Overwrite-only: 0.
    std::uint64_t largestGroup = 0;
    std::uint64_t largestGroupAt = 0; ///< where that group starts, relative to the slots
    /// Where the walk stopped on a failure: an offset in the slots (relative to their start).
    std::uint64_t at = 0;
};

/// boot_slots_compatible() for a mode (swap_scratch.c for swap-using-scratch and overwrite-only,
/// swap_move.c, swap_offset.c), on the sector lists of the primary and secondary slot. `scratchSize` is
/// the scratch area's size (swap-using-scratch; nullopt skips that test) and `maxImgSectors` the
/// BOOT_MAX_IMG_SECTORS limit (nullopt skips it). direct-xip and ram-load never compare slots: always
/// Compatible.
CompatibilityResult slotsCompatible(UpgradeMode mode, const SectorMap& primary, const SectorMap& secondary,
                                    std::optional<std::uint64_t> scratchSize = std::nullopt,
                                    std::optional<std::uint64_t> maxImgSectors = std::nullopt);

/// The space an image may use in its primary slot, and what the trailer costs.
struct ImageSpace {
    std::uint64_t trailer = 0;        ///< boot_trailer_sz(BOOT_WRITE_SZ)
    std::uint64_t scratchTrailer = 0; ///< boot_scratch_trailer_sz(BOOT_WRITE_SZ), swap-using-scratch only
    /// swap-using-scratch: the padding app_max_size_adjust_to_trailer() puts between image and trailer so
    /// the scratch trailer fits when the first trailer sector goes through the scratch.
    std::uint64_t padding = 0;
    /// swap-using-move / -offset: the trailer rounded up to whole sectors (app_max_size()).
    std::uint64_t trailerSectors = 0;
    /// swap-using-move / -offset: the spare sector the swap moves through (primary for move, secondary
    /// for offset).
    std::uint64_t spareSector = 0;
    /// bootutil_max_image_size(): the largest image (header, body and TLVs) the slot takes; 0 when none.
    std::uint64_t space = 0;
    /// False when the trailer (with padding or spare sector) leaves no room, or the slots are not
    /// compatible (app_max_size() then returns 0).
    bool fits = false;
};

/// bootutil_max_image_size() for the primary slot (bootutil_misc.c): app_max_size() in the swap modes
/// (swap_scratch.c with app_max_size_adjust_to_trailer(), swap_move.c, swap_offset.c), and
/// boot_swap_info_off() in overwrite-only (the smaller of the two slots), direct-xip and ram-load. The
/// sector lists are physical or logical sectors, as MCUboot would see them. The scratch area's size is
/// not needed: app_max_size()'s scratch test is slotsCompatible()'s.
ImageSpace imageSpace(const TrailerConfig& config, const SectorMap& primary, const SectorMap& secondary);

} // namespace flashplan::mcuboot
