// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The bootloaders Flashplan knows, as data: one table of profiles (BootloaderProfile.cpp) says for each
// its kind, upgrade mode, the partitions it needs, their usual labels and the image header size. Code
// asks the table or the typed accessors of BootloaderProfile; the words "mcuboot" and
// "swap-using-scratch" appear in that table only, where files are read and written.
namespace flashplan {

/// Which bootloader a layout is made for.
enum class BootloaderKind { None, Mcuboot, Wolfboot };

/// "none", "mcuboot", "wolfboot": the words of .flashplan files (bootloader/@kind) and the JSON shapes.
std::string_view to_string(BootloaderKind kind);
std::optional<BootloaderKind> bootloaderKindFromString(std::string_view text);

/// MCUboot's upgrade modes (the only bootloader with modes), by the names .flashplan files use.
enum class UpgradeMode {
    SwapUsingScratch, ///< "swap-using-scratch": MCUBOOT_SWAP_USING_SCRATCH
    SwapUsingMove,    ///< "swap-using-move": MCUBOOT_SWAP_USING_MOVE
    SwapUsingOffset,  ///< "swap-using-offset": MCUBOOT_SWAP_USING_OFFSET
    OverwriteOnly,    ///< "overwrite-only": MCUBOOT_OVERWRITE_ONLY
    DirectXip,        ///< "direct-xip": MCUBOOT_DIRECT_XIP
    RamLoad,          ///< "ram-load": MCUBOOT_RAM_LOAD
};

std::string_view to_string(UpgradeMode mode);
std::optional<UpgradeMode> upgradeModeFromString(std::string_view text);

/// The bootloader a layout is made for, and its settings (e.g. BOOT_MAX_IMG_SECTORS). `kind` and `mode`
/// hold the words as the file wrote them, so that a word Flashplan does not know survives a round trip
/// and a rule can name it; decisions go through knownKind(), is() and upgradeMode().
struct BootloaderProfile {
    std::string kind = "none"; ///< bootloader/@kind as written; see knownKind()
    std::string mode;          ///< bootloader/@mode as written; empty when the kind has no modes
    std::vector<std::pair<std::string, std::string>> settings;

    /// The kind, or nullopt when `kind` is a word Flashplan does not know.
    std::optional<BootloaderKind> knownKind() const { return bootloaderKindFromString(kind); }
    /// True when the layout is made for this bootloader.
    bool is(BootloaderKind k) const { return knownKind() == k; }
    /// MCUboot's upgrade mode, or nullopt when `mode` is empty or not a mode.
    std::optional<UpgradeMode> upgradeMode() const { return upgradeModeFromString(mode); }
    /// Sets `kind` and `mode` to the words of a kind and mode; the settings stay.
    void set(BootloaderKind k, std::optional<UpgradeMode> m = std::nullopt);

    const std::string* setting(std::string_view name) const {
        for (const auto& [k, v] : settings)
            if (k == name)
                return &v;
        return nullptr;
    }
    friend bool operator==(const BootloaderProfile&, const BootloaderProfile&) = default;
};

/// A setting as a number (parseNumber syntax), nullopt when absent or not a number.
std::optional<std::uint64_t> numericSetting(const BootloaderProfile& bootloader, std::string_view name);

/// How the sizes of the two slots relate in a mode, in sectors of the primary's flash.
enum class SlotRelation {
    Equal,            ///< the same size (scratch, overwrite-only, direct-xip, ram-load, wolfBoot)
    PrimaryOneMore,   ///< swap-using-move: the primary one sector larger, the sector the swap moves through
    SecondaryOneMore, ///< swap-using-offset: the secondary one sector larger
};

/// The partitions a profile's layout has.
struct SlotShape {
    bool boot = true;      ///< a partition for the bootloader itself (role boot)
    bool secondary = true; ///< a secondary slot (MCUboot slot1, wolfBoot UPDATE)
    SlotRelation relation = SlotRelation::Equal;
    /// A further area beside the slots: Scratch (MCUboot swap-using-scratch), Swap (wolfBoot's one-sector
    /// SWAP), or nullopt.
    std::optional<PartitionRole> extra;
};

/// The labels a new layout gives its partitions: the ones the bootloader's port looks up (MCUboot's
/// Zephyr port: sysflash.h; wolfBoot: the areas of target.h). Empty where the profile has no such area.
struct ProfileLabels {
    std::string_view boot, primary, secondary, extra, storage;
};

/// A bootloader profile as the CLI and the GUI name it: "mcuboot-swap-scratch" is MCUboot's
/// swap-using-scratch upgrade mode.
struct ProfileInfo {
    std::string_view id;    ///< "mcuboot-swap-scratch"
    std::string_view title; ///< "MCUboot, swap using scratch"
    BootloaderKind kind = BootloaderKind::None;
    std::optional<UpgradeMode> mode; ///< nullopt for kinds without modes
    SlotShape shape;
    ProfileLabels labels;
    /// The header images for this bootloader start with, when nothing says otherwise: MCUboot's 0x200
    /// (imgtool --header-size, Zephyr's CONFIG_ROM_START_OFFSET with MCUboot), wolfBoot's 256
    /// (IMAGE_HEADER_SIZE); 0 without a bootloader.
    std::uint64_t headerSize = 0;
};

/// Every profile, in the order menus show them.
std::span<const ProfileInfo> allProfiles();

/// The profile with this id; also accepts "<kind>-<mode>" spelled out ("mcuboot-swap-using-scratch").
const ProfileInfo* findProfile(std::string_view id);
/// The profile a layout's bootloader is, or nullptr when its kind/mode pair is not a known profile.
const ProfileInfo* profileOf(const BootloaderProfile& bootloader);
/// The first profile of a kind (in allProfiles() order): what a kind's labels and header size are
/// when the mode does not matter or is unknown.
const ProfileInfo& firstProfileOf(BootloaderKind kind);

/// Sets the layout's bootloader kind and mode from a profile, keeping its settings.
void applyProfile(BootloaderProfile& bootloader, const ProfileInfo& profile);

} // namespace flashplan
