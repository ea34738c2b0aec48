// SPDX-License-Identifier: Apache-2.0
// The swap-type decision. The tables are boot_swap_tables of bootutil_public.c (mcu-tools/mcuboot at
// commit 2d4bacc3), row for row, written out as data; the rest follows boot_swap_type_multi() there and
// boot_validated_swap_type() / boot_validate_slot() in loader.c.
#include "boot/SwapDecision.h"

#include <array>

namespace flashplan::mcuboot {

namespace {

using M = MagicState;
using F = FlagState;

// Every mode but swap-using-offset.
constexpr std::array kSwapTable{
    SwapTableRow{M::Any, M::Good, F::Any, F::Unset, F::Any, F::Any, SwapType::Test},
    SwapTableRow{M::Any, M::Good, F::Any, F::Set, F::Any, F::Any, SwapType::Perm},
    SwapTableRow{M::Good, M::Any, F::Unset, F::Any, F::Set, F::Any, SwapType::Revert},
};

// MCUBOOT_SWAP_USING_OFFSET: a revert row first, keyed on the secondary's copy_done.
constexpr std::array kSwapTableOffset{
    SwapTableRow{M::Any, M::Good, F::Any, F::Unset, F::Any, F::Set, SwapType::Revert},
    SwapTableRow{M::Any, M::Good, F::Any, F::Unset, F::Any, F::Any, SwapType::Test},
    SwapTableRow{M::Any, M::Good, F::Any, F::Set, F::Any, F::Any, SwapType::Perm},
    SwapTableRow{M::Good, M::Any, F::Unset, F::Any, F::Set, F::Any, SwapType::Revert},
};

std::string_view requestWord(SwapType type) {
    switch (type) {
    case SwapType::Test:
        return "a test swap";
    case SwapType::Perm:
        return "a permanent swap";
    case SwapType::Revert:
        return "a revert";
    default:
        return "nothing";
    }
}

// "row 1 of boot_swap_tables (secondary: magic good, image_ok unset)": the columns that are not Any.
std::string describeRow(std::size_t index, const SwapTableRow& row) {
    std::string primary, secondary;
    const auto add = [](std::string& to, std::string_view name, std::string_view value) {
        to += (to.empty() ? "" : ", ") + std::string(name) + " " + std::string(value);
    };
    if (row.magicPrimary != M::Any)
        add(primary, "magic", to_string(row.magicPrimary));
    if (row.imageOkPrimary != F::Any)
        add(primary, "image_ok", to_string(row.imageOkPrimary));
    if (row.copyDonePrimary != F::Any)
        add(primary, "copy_done", to_string(row.copyDonePrimary));
    if (row.magicSecondary != M::Any)
        add(secondary, "magic", to_string(row.magicSecondary));
    if (row.imageOkSecondary != F::Any)
        add(secondary, "image_ok", to_string(row.imageOkSecondary));
    if (row.copyDoneSecondary != F::Any)
        add(secondary, "copy_done", to_string(row.copyDoneSecondary));
    std::string text = "row " + std::to_string(index + 1) + " of boot_swap_tables (";
    if (!primary.empty())
        text += "primary: " + primary + (secondary.empty() ? "" : "; ");
    if (!secondary.empty())
        text += "secondary: " + secondary;
    return text + ")";
}

} // namespace

std::span<const SwapTableRow> swapTable(UpgradeMode mode) {
    if (mode == UpgradeMode::SwapUsingOffset)
        return kSwapTableOffset;
    return kSwapTable;
}

bool magicCompatible(MagicState tableValue, MagicState value) {
    switch (tableValue) {
    case M::Any:
        return true;
    case M::NotGood:
        return value != M::Good;
    default:
        return tableValue == value;
    }
}

bool flagCompatible(FlagState tableValue, FlagState value) {
    return tableValue == F::Any || tableValue == value;
}

bool rowMatches(const SwapTableRow& row, const SwapState& primary, const SwapState& secondary) {
    return magicCompatible(row.magicPrimary, primary.magic) &&
           magicCompatible(row.magicSecondary, secondary.magic) &&
           flagCompatible(row.imageOkPrimary, primary.imageOk) &&
           flagCompatible(row.imageOkSecondary, secondary.imageOk) &&
           flagCompatible(row.copyDonePrimary, primary.copyDone) &&
           flagCompatible(row.copyDoneSecondary, secondary.copyDone);
}

SwapTypeDecision swapTypeMulti(UpgradeMode mode, const SwapState& primary,
                               const std::optional<SwapState>& secondary) {
    const SwapState& second = secondary ? *secondary : kErasedSwapState;
    const auto table = swapTable(mode);
    for (std::size_t i = 0; i < table.size(); ++i)
        if (rowMatches(table[i], primary, second))
            return {table[i].swapType, i};
    return {};
}

std::string_view to_string(SecondaryCleanup cleanup) {
    switch (cleanup) {
    case SecondaryCleanup::None:
        return "none";
    case SecondaryCleanup::ScrambleTrailer:
        return "clear trailer";
    case SecondaryCleanup::EraseSlot:
        return "erase slot";
    }
    return "none";
}

std::string NextBoot::verdict() const {
    if (refused() && (secondaryImage == SlotImage::Invalid || compatibility != Compatibility::Compatible))
        return "fail: " + reason;
    switch (type) {
    case SwapType::Test:
        return "test";
    case SwapType::Perm:
        return "permanent";
    case SwapType::Revert:
        return "revert";
    default:
        return "none";
    }
}

Result<NextBoot> nextBoot(const NextBootInput& input) {
    if (input.mode == UpgradeMode::DirectXip || input.mode == UpgradeMode::RamLoad)
        return makeError(Errc::NotSupported, std::string(to_string(input.mode)) +
                                                 " boots the slot with the higher version and never swaps");
    NextBoot r;
    const SwapTypeDecision asked = swapTypeMulti(input.mode, input.primary, input.secondary);
    r.requested = asked.type;
    r.row = asked.row;
    r.compatibility = input.compatibility;
    // loader.c boot_prepare_image_for_update(): slots that are not compatible are never swapped (bootutil
    // does not even ask the table then; `requested` still says what the trailers hold).
    if (input.compatibility != Compatibility::Compatible) {
        r.reason = std::string(bootutilMessage(input.compatibility));
        return r;
    }
    r.type = asked.type;
    if (!asked.row) {
        r.reason = "no row of boot_swap_tables matches the trailers";
        return r;
    }
    const std::string row = describeRow(*asked.row, swapTable(input.mode)[*asked.row]);
    // boot_validated_swap_type(): an upgrade (BOOT_IS_UPGRADE) needs a valid image in the secondary.
    r.secondaryImage = input.secondaryImage;
    switch (input.secondaryImage) {
    case SlotImage::Valid:
        r.reason = row;
        break;
    case SlotImage::NoImage:
    case SlotImage::NotBootable:
        // boot_validate_slot(): FIH_NO_BOOTABLE_IMAGE; in the swap modes the secondary's trailer is
        // scrambled so a stale request cannot block later uploads.
        r.type = SwapType::None;
        r.cleanup = isSwapMode(input.mode) ? SecondaryCleanup::ScrambleTrailer : SecondaryCleanup::None;
        // swap-using-move: the swap type is asked again with the secondary's trailer gone; a revert left
        // in the primary is "stuck" and cleared too.
        r.clearsPrimaryTrailer =
            input.mode == UpgradeMode::SwapUsingMove &&
            swapTypeMulti(input.mode, input.primary, kErasedSwapState).type == SwapType::Revert;
        r.reason =
            row + " asks for " + std::string(requestWord(asked.type)) + ", but the secondary slot " +
            (input.secondaryImage == SlotImage::NoImage ? "holds no image" : "holds a non-bootable image") +
            (r.cleanup == SecondaryCleanup::ScrambleTrailer ? "; MCUboot clears its trailer" : "") +
            (r.clearsPrimaryTrailer ? " and the primary's" : "");
        break;
    case SlotImage::Invalid:
        // boot_validate_slot(): "Image in the secondary slot is not valid!", boot_scramble_slot(), then
        // FIH_NO_BOOTABLE_IMAGE, which boot_validated_swap_type() turns into BOOT_SWAP_TYPE_NONE.
        r.type = SwapType::None;
        r.cleanup = SecondaryCleanup::EraseSlot;
        r.reason =
            (input.secondaryProblem.empty() ? std::string("the image in the secondary slot is not valid")
                                            : input.secondaryProblem) +
            "; " + row + " asks for " + std::string(requestWord(asked.type)) +
            ", but MCUboot erases the secondary slot and boots the primary";
        break;
    }
    return r;
}

} // namespace flashplan::mcuboot
