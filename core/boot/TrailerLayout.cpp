// SPDX-License-Identifier: Apache-2.0
// The trailer's fields, placed as bootutil places them (mcu-tools/mcuboot at commit 2d4bacc3; the
// comments name the function). Written from reading that source, not copied from it.
#include "boot/TrailerLayout.h"

#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::mcuboot {

namespace {

// boot_img_magic in bootutil_public.c; the same bytes as imgtool's Image.boot_magic.
constexpr BootMagic kClassicMagic{0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                  0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
// The 14 bytes after the uint16 align of the BOOT_MAX_ALIGN != 8 form.
constexpr std::array<std::uint8_t, 14> kAlignedMagicTail{0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d,
                                                         0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a};

bool isPowerOfTwo(std::uint64_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

constexpr std::uint64_t alignDown(std::uint64_t value, std::uint64_t align) {
    return value / align * align;
}
constexpr std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
    return (value + align - 1) / align * align;
}

} // namespace

BootMagic bootMagic(std::uint64_t maxAlign) {
    if (maxAlign == 8)
        return kClassicMagic;
    BootMagic m{};
    m[0] = static_cast<std::uint8_t>(maxAlign & 0xff);
    m[1] = static_cast<std::uint8_t>((maxAlign >> 8) & 0xff);
    std::copy(kAlignedMagicTail.begin(), kAlignedMagicTail.end(), m.begin() + 2);
    return m;
}

std::optional<std::uint64_t> magicMaxAlign(std::span<const std::uint8_t> magic) {
    if (magic.size() != kMagicSize)
        return std::nullopt;
    if (std::equal(magic.begin(), magic.end(), kClassicMagic.begin()))
        return 8;
    if (std::equal(magic.begin() + 2, magic.end(), kAlignedMagicTail.begin()))
        return std::uint64_t(magic[0]) | std::uint64_t(magic[1]) << 8;
    return std::nullopt;
}

Result<TrailerLayout> trailerLayout(const TrailerConfig& config, std::uint64_t slotSize) {
    const std::uint64_t a = config.maxAlign;
    if (!isPowerOfTwo(a))
        return makeError(Errc::InvalidArgument,
                         "BOOT_MAX_ALIGN " + std::to_string(a) + " is not a power of two");
    if (isSwapMode(config.mode) && (a < 8 || a > 32))
        return makeError(Errc::InvalidArgument, "BOOT_MAX_ALIGN " + std::to_string(a) +
                                                    " is outside 8..32, which " +
                                                    std::string(to_string(config.mode)) + " requires");
    if (!isPowerOfTwo(config.writeSize) || config.writeSize > a)
        return makeError(Errc::InvalidArgument, "the write size " + std::to_string(config.writeSize) +
                                                    " is not a power of two up to BOOT_MAX_ALIGN " +
                                                    std::to_string(a));
    if (slotSize % a != 0)
        return makeError(Errc::Misaligned, "the slot size " + formatHex(slotSize) +
                                               " is not a multiple of BOOT_MAX_ALIGN " + std::to_string(a));
    const std::uint64_t trailer = trailerSize(config);
    if (trailer > slotSize)
        return makeError(Errc::OutOfRange, "the trailer (" + formatHex(trailer) +
                                               " bytes) is larger than the " + formatHex(slotSize) +
                                               "-byte slot");

    TrailerLayout t;
    t.config = config;
    t.slotSize = slotSize;
    // bootutil_misc.h: boot_magic_off() = size - BOOT_MAGIC_SZ.
    t.magic = {slotSize - kMagicSize, kMagicSize};
    // bootutil_public.c boot_write_magic(): BOOT_MAGIC_ALIGN_SIZE bytes from ALIGN_DOWN(off, BOOT_MAX_ALIGN).
    const std::uint64_t magicAlign = magicAlignSize(config);
    t.magicArea = {alignDown(t.magic.offset, a), magicAlign};
    // boot_image_ok_off() = ALIGN_DOWN(boot_magic_off() - BOOT_MAX_ALIGN, BOOT_MAX_ALIGN).
    t.imageOk = {alignDown(t.magic.offset - a, a), a};
    // boot_copy_done_off() = image_ok - BOOT_MAX_ALIGN; boot_swap_info_off() = copy_done - BOOT_MAX_ALIGN.
    t.copyDone = {t.imageOk.offset - a, a};
    t.swapInfo = {t.copyDone.offset - a, a};
    std::uint64_t below = t.swapInfo.offset;
    if (config.mode == UpgradeMode::SwapUsingOffset) {
        // boot_unprotected_tlv_sizes_off() = swap_info - BOOT_MAX_ALIGN.
        t.unprotectedTlvSizes = TrailerField{below - a, a};
        below -= a;
    }
    // boot_swap_size_off() = swap_info (or the TLV sizes) - BOOT_MAX_ALIGN.
    t.swapSize = {below - a, a};
    below -= a;
    if (config.encryption.enabled) {
        // bootutil_misc.c boot_enc_key_off(slot) = swap_size - (slot + 1) * BOOT_ENC_KEY_ALIGN_SIZE (or
        // BOOT_ENC_TLV_ALIGN_SIZE with MCUBOOT_SWAP_SAVE_ENCTLV).
        const std::uint64_t one = alignUp(
            config.encryption.saveEncTlv ? encTlvSize(config.encryption) : encKeySize(config.encryption), a);
        for (int slot = 0; slot < 2; ++slot)
            t.encKeys.push_back({t.swapSize.offset - (slot + 1) * one, one});
    }
    // bootutil_misc.c boot_status_off() = size - boot_trailer_sz(); the entries fill boot_status_sz().
    t.trailerStart = slotSize - trailer;
    t.status = {t.trailerStart, statusSize(config)};
    // bootutil_misc.c bootutil_max_image_size(): app_max_size() in the swap modes keeps the image below the
    // trailer; the other modes return boot_swap_info_off().
    t.areaStart = isSwapMode(config.mode) ? t.trailerStart : t.swapInfo.offset;
    return t;
}

} // namespace flashplan::mcuboot
