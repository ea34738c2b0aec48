// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flashplan {

/// A bootloader profile as the CLI and the GUI name it: "mcuboot-swap-scratch" is MCUboot's
/// swap-using-scratch upgrade mode. The kind and mode are what BootloaderProfile stores.
struct ProfileInfo {
    std::string_view id;    ///< "mcuboot-swap-scratch"
    std::string_view kind;  ///< "mcuboot"
    std::string_view mode;  ///< "swap-using-scratch"; empty for kinds without modes
    std::string_view title; ///< "MCUboot, swap using scratch"
};

/// Every profile, in the order menus show them.
std::span<const ProfileInfo> allProfiles();

/// The profile with this id; also accepts "<kind>-<mode>" spelled out ("mcuboot-swap-using-scratch").
const ProfileInfo* findProfile(std::string_view id);
/// The profile a layout's bootloader is, or nullptr when its kind/mode pair is not a known profile.
const ProfileInfo* profileOf(const BootloaderProfile& bootloader);

/// Sets the layout's bootloader kind and mode from a profile, keeping its settings.
void applyProfile(BootloaderProfile& bootloader, const ProfileInfo& profile);

/// A setting as a number (parseNumber syntax), nullopt when absent or not a number.
std::optional<std::uint64_t> numericSetting(const BootloaderProfile& bootloader, std::string_view name);

} // namespace flashplan
