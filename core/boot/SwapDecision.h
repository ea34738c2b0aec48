// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/BootState.h"
#include "rules/McubootTrailer.h"
#include "util/Result.h"

#include <cstddef>
#include <optional>
#include <span>
#include <string>

// What MCUboot does with an image pair at the next boot, decided from both slots' trailers as bootutil
// decides it: boot_swap_tables and boot_swap_type_multi() (boot/bootutil/src/bootutil_public.c), then the
// check of the secondary slot's image in boot_validated_swap_type() and boot_validate_slot()
// (boot/bootutil/src/loader.c), as in mcu-tools/mcuboot at commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77.
namespace flashplan::mcuboot {

/// One row of boot_swap_tables (struct boot_swap_table): the trailer states of both slots that ask for
/// a swap type. Table values may be MagicState::Any / NotGood and FlagState::Any.
struct SwapTableRow {
    MagicState magicPrimary = MagicState::Any;
    MagicState magicSecondary = MagicState::Any;
    FlagState imageOkPrimary = FlagState::Any;
    FlagState imageOkSecondary = FlagState::Any;
    FlagState copyDonePrimary = FlagState::Any;
    /// copy_done_secondary_slot: a column of swap-using-offset's table only; Any in every other mode.
    FlagState copyDoneSecondary = FlagState::Any;
    SwapType swapType = SwapType::None;
};

/// boot_swap_tables for a mode, in bootutil's order (the first row that matches wins). Every mode but
/// swap-using-offset has three rows: test (secondary magic good, image_ok unset), perm (secondary magic
/// good, image_ok set), revert (primary magic good, image_ok unset, copy_done set). swap-using-offset
/// puts a revert row first (secondary magic good, image_ok unset, copy_done set) and has the
/// copy_done_secondary_slot column.
std::span<const SwapTableRow> swapTable(UpgradeMode mode);

/// boot_magic_compatible_check(): Any matches everything, NotGood everything but Good, any other value
/// itself.
bool magicCompatible(MagicState tableValue, MagicState value);
/// The flag test of boot_swap_type_multi(): Any matches everything, any other value itself.
bool flagCompatible(FlagState tableValue, FlagState value);
/// Whether a row matches the two slots' states (every column, copyDoneSecondary included).
bool rowMatches(const SwapTableRow& row, const SwapState& primary, const SwapState& secondary);

/// boot_swap_type_multi()'s answer and the row that gave it.
struct SwapTypeDecision {
    SwapType type = SwapType::None; ///< the row's type; None when no row matches
    std::optional<std::size_t> row; ///< index into swapTable(mode); nullopt when no row matches
    friend bool operator==(const SwapTypeDecision&, const SwapTypeDecision&) = default;
};

/// boot_swap_type_multi() for one image pair: the first row of swapTable(mode) that both states match,
/// else None. A secondary that cannot be read (nullopt) counts as all erased, as bootutil does ("is
/// unreachable. Treat it as empty"). image_num plays no part, as in bootutil.
SwapTypeDecision swapTypeMulti(UpgradeMode mode, const SwapState& primary,
                               const std::optional<SwapState>& secondary);

/// What MCUboot does to the secondary slot when it turns a requested upgrade down.
enum class SecondaryCleanup {
    None,            ///< leaves it as it is
    ScrambleTrailer, ///< swap_scramble_trailer_sectors(): the secondary holds no image (swap modes)
    EraseSlot,       ///< boot_scramble_slot(): the image in it is not valid
};
/// "none", "clear trailer", "erase slot".
std::string_view to_string(SecondaryCleanup cleanup);

/// What the next-boot decision is made from.
struct NextBootInput {
    UpgradeMode mode = UpgradeMode::SwapUsingScratch;
    SwapState primary;                  ///< readTrailer() of the primary slot
    std::optional<SwapState> secondary; ///< readTrailer() of the secondary; nullopt when unreadable
    /// What the secondary slot holds (boot_validate_slot()); only asked when the trailers request an
    /// upgrade (test, perm or revert).
    SlotImage secondaryImage = SlotImage::Valid;
    /// Why an Invalid image is invalid ("SHA256 mismatch"), for the reason and verdict.
    std::string secondaryProblem;
    /// boot_slots_compatible() (slotsCompatible()); anything but Compatible means no swap at all.
    Compatibility compatibility = Compatibility::Compatible;
};

/// What MCUboot does with the pair at the next boot.
struct NextBoot {
    /// boot_swap_type_multi(): what the trailers ask (computed even for incompatible slots, where
    /// bootutil does not ask).
    SwapType requested = SwapType::None;
    std::optional<std::size_t> row; ///< the row of swapTable() that asked it
    /// What the loader does: `requested`, or None when the slots are not compatible or the secondary's
    /// image turns the upgrade down. bootutil itself returns BOOT_SWAP_TYPE_NONE for a secondary image
    /// that is missing or not valid (boot_validate_slot() reports FIH_NO_BOOTABLE_IMAGE after erasing
    /// it), so `type` is never Fail here; `verdict()` names the failure instead.
    SwapType type = SwapType::None;
    SlotImage secondaryImage = SlotImage::Valid;             ///< as given, when it was asked; else Valid
    Compatibility compatibility = Compatibility::Compatible; ///< as given
    SecondaryCleanup cleanup = SecondaryCleanup::None;
    /// swap-using-move only: with no image in the secondary and the primary's trailer asking for a
    /// revert, MCUboot clears the primary's trailer too ("Cleared image %d primary slot trailer due to
    /// stuck revert").
    bool clearsPrimaryTrailer = false;
    /// One sentence on why: the row that matched and the states it matched, or why the upgrade is
    /// turned down.
    std::string reason;
    /// True when the trailers ask for an upgrade that the loader turns down.
    bool refused() const { return requested != SwapType::None && type == SwapType::None; }
    /// The word for users: "none", "test", "permanent", "revert", or "fail: <reason>" when a requested
    /// upgrade is turned down because the image in the secondary slot is not valid (MCUboot erases it
    /// and boots the primary) or the slots are not compatible. A request over an empty secondary is
    /// "none": there is nothing to swap to, and MCUboot clears the stale trailer.
    std::string verdict() const;
};

/// The next-boot decision: boot_slots_compatible(), then boot_swap_type_multi(), then, for test, perm and
/// revert, boot_validate_slot() of the secondary as boot_validated_swap_type() applies it:
/// - no image (ih_magic erased) or IMAGE_F_NON_BOOTABLE: None; in the swap modes MCUboot clears the
///   secondary's trailer (ScrambleTrailer), and in swap-using-move the primary's too when that asks for
///   a revert;
/// - an invalid image: None, and MCUboot erases the secondary slot (EraseSlot).
/// Not modelled: resuming a swap a reset interrupted (a status area with progress; readTrailer() tells
/// statusErased), MCUBOOT_BOOTSTRAP, downgrade prevention and the hooks. Errc::NotSupported for
/// direct-xip and ram-load, which pick a slot by version and never swap.
Result<NextBoot> nextBoot(const NextBootInput& input);

} // namespace flashplan::mcuboot
