// SPDX-License-Identifier: Apache-2.0
#include "boot/TrailerReader.h"

#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::mcuboot {

namespace {

constexpr std::uint8_t kFlagSet = 0x01;

bool allErased(std::span<const std::uint8_t> bytes, std::uint8_t erasedValue) {
    return std::all_of(bytes.begin(), bytes.end(), [&](std::uint8_t b) { return b == erasedValue; });
}

// bootutil_public.c boot_read_flag(): an erased byte is BOOT_FLAG_UNSET, else boot_flag_decode() gives
// BOOT_FLAG_SET for exactly 1 and BOOT_FLAG_BAD for anything else.
FlagState decodeFlag(std::uint8_t flag, std::uint8_t erasedValue) {
    if (flag == erasedValue)
        return FlagState::Unset;
    return flag == kFlagSet ? FlagState::Set : FlagState::Bad;
}

} // namespace

Result<TrailerRead> readTrailer(const TrailerLayout& layout, std::span<const std::uint8_t> tail,
                                std::uint8_t erasedValue) {
    const std::uint64_t needed = layout.slotSize - layout.stateStart();
    if (tail.size() < needed || tail.size() > layout.slotSize)
        return makeError(Errc::OutOfRange, "reading a trailer needs the last " + formatHex(needed) +
                                               " bytes of the " + formatHex(layout.slotSize) +
                                               "-byte slot, not " + formatHex(tail.size()));
    const std::uint64_t tailStart = layout.slotSize - tail.size();
    const auto at = [&](const TrailerField& f) { return tail.subspan(f.offset - tailStart, f.size); };
    const auto covers = [&](std::uint64_t offset) { return offset >= tailStart; };

    TrailerRead r;
    // boot_read_swap_state(): the magic is unset when all 16 bytes are erased, else boot_magic_decode()
    // compares it with BOOT_IMG_MAGIC.
    const auto magic = at(layout.magic);
    std::copy(magic.begin(), magic.end(), r.magic.begin());
    r.magicMaxAlign = magicMaxAlign(magic);
    if (allErased(magic, erasedValue))
        r.state.magic = MagicState::Unset;
    else
        r.state.magic = r.magic == bootMagic(layout.config.maxAlign) ? MagicState::Good : MagicState::Bad;

    // BOOT_GET_SWAP_TYPE / BOOT_GET_IMAGE_NUM; an erased swap_info, or a type above
    // BOOT_SWAP_TYPE_REVERT, reads as BOOT_SWAP_TYPE_NONE with image 0.
    r.swapInfo = at(layout.swapInfo)[0];
    const std::uint8_t type = r.swapInfo & 0x0f;
    if (r.swapInfo == erasedValue || type > static_cast<std::uint8_t>(SwapType::Revert)) {
        r.state.swapType = SwapType::None;
        r.state.imageNum = 0;
    } else {
        // A nibble of 0 is no BOOT_SWAP_TYPE_* either; bootutil keeps it as it is, and so do we.
        r.state.swapType = static_cast<SwapType>(type);
        r.state.imageNum = static_cast<std::uint8_t>(r.swapInfo >> 4);
    }

    r.copyDone = at(layout.copyDone)[0];
    r.state.copyDone = decodeFlag(r.copyDone, erasedValue);
    r.imageOk = at(layout.imageOk)[0];
    r.state.imageOk = decodeFlag(r.imageOk, erasedValue);

    if (covers(layout.swapSize.offset)) {
        const auto s = at(layout.swapSize).first(4);
        if (!allErased(s, erasedValue))
            r.swapSize = std::uint32_t(s[0]) | std::uint32_t(s[1]) << 8 | std::uint32_t(s[2]) << 16 |
                         std::uint32_t(s[3]) << 24;
    }
    if (covers(layout.status.offset))
        r.statusErased = allErased(at(layout.status), erasedValue);
    if (covers(layout.areaStart))
        r.areaErased = allErased(tail.subspan(layout.areaStart - tailStart), erasedValue);
    return r;
}

} // namespace flashplan::mcuboot
