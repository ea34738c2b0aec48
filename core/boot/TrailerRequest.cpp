// SPDX-License-Identifier: Apache-2.0
#include "boot/TrailerRequest.h"

#include <algorithm>
#include <array>

namespace flashplan::mcuboot {

namespace {

struct RequestName {
    UpgradeRequest request;
    std::string_view name;
};
constexpr std::array kRequestNames{
    RequestName{UpgradeRequest::None, "none"},
    RequestName{UpgradeRequest::Test, "test"},
    RequestName{UpgradeRequest::Permanent, "permanent"},
    RequestName{UpgradeRequest::Confirm, "confirm"},
};

constexpr std::uint8_t kFlagSet = 0x01; // BOOT_FLAG_SET, "written to flash!" (bootutil_public.h)

} // namespace

std::string_view to_string(UpgradeRequest request) {
    for (const RequestName& n : kRequestNames)
        if (n.request == request)
            return n.name;
    return "none";
}

std::optional<UpgradeRequest> upgradeRequestFromString(std::string_view text) {
    for (const RequestName& n : kRequestNames)
        if (n.name == text)
            return n.request;
    return std::nullopt;
}

// imgtool image.py Image.pad_to(): erased padding up to slot - len(boot_magic), then the magic; with
// --test or --confirm (and not --overwrite-only) the byte at -(magic_align_size + max_align), the first
// of the image_ok field, is 0x01 for --confirm and stays erased for --test.
TrailerBytes requestTrailer(const TrailerLayout& layout, UpgradeRequest request, std::uint8_t erasedValue) {
    TrailerBytes t{layout.areaStart, std::vector<std::uint8_t>(layout.areaSize(), erasedValue)};
    if (request == UpgradeRequest::None)
        return t;
    const BootMagic magic = bootMagic(layout.config.maxAlign);
    std::copy(magic.begin(), magic.end(), t.bytes.begin() + (layout.magic.offset - t.offset));
    const bool confirmed = request == UpgradeRequest::Permanent || request == UpgradeRequest::Confirm;
    if (confirmed && layout.config.mode != UpgradeMode::OverwriteOnly)
        t.bytes[layout.imageOk.offset - t.offset] = kFlagSet;
    return t;
}

// bootutil_public.c boot_set_next() with active: confirm is forced true; BOOT_MAGIC_GOOD with image_ok
// unset writes image_ok (copy_done deliberately unchecked, "to be able to confirm a padded image which
// has been programmed using a programming interface"); BOOT_MAGIC_UNSET writes nothing when active;
// BOOT_MAGIC_BAD is BOOT_EBADVECT. boot_write_trailer() pads the one byte to ALIGN_UP(1,
// flash_area_align()) with the erased value.
Result<std::optional<TrailerBytes>> setConfirmedWrite(const TrailerLayout& layout, const SwapState& current,
                                                      std::uint64_t writeAlign, std::uint8_t erasedValue) {
    if (writeAlign == 0 || (writeAlign & (writeAlign - 1)) != 0 || writeAlign > layout.config.maxAlign)
        return makeError(Errc::InvalidArgument, "the write alignment " + std::to_string(writeAlign) +
                                                    " is not a power of two up to BOOT_MAX_ALIGN " +
                                                    std::to_string(layout.config.maxAlign));
    switch (current.magic) {
    case MagicState::Good:
        if (current.imageOk != FlagState::Unset)
            return std::optional<TrailerBytes>{};
        break;
    case MagicState::Unset:
        return std::optional<TrailerBytes>{};
    default:
        return makeError(Errc::Schema, "the slot's trailer magic is bad; boot_set_confirmed() refuses it "
                                       "(BOOT_EBADVECT)");
    }
    TrailerBytes write{layout.imageOk.offset, std::vector<std::uint8_t>(writeAlign, erasedValue)};
    write.bytes[0] = kFlagSet;
    return std::optional<TrailerBytes>{std::move(write)};
}

} // namespace flashplan::mcuboot
