// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/BootloaderProfile.h"
#include "util/Result.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flashplan {

/// What a setting's value is.
enum class SettingType {
    Number, ///< parseNumber() syntax: 256, 0x100, 4K
    Flag,   ///< y/n, 1/0, true/false, yes/no, on/off
};

/// One bootloader setting the rule packs read (Layout::bootloader.settings), by the bootloader's own name.
struct SettingInfo {
    BootloaderKind kind;   ///< the bootloader that reads it
    std::string_view name; ///< "BOOT_MAX_IMG_SECTORS"
    SettingType type;
    std::string_view meaning; ///< one line, for help and errors
};

/// Every setting Flashplan reads, by kind, in the order help lists them.
std::span<const SettingInfo> allSettings();
const SettingInfo* findSetting(BootloaderKind kind, std::string_view name);

/// Kconfig and C spellings of a boolean: y/n, 1/0, true/false, yes/no, on/off (case and blanks ignored).
std::optional<bool> parseFlag(std::string_view text);

/// Whether `name=value` is a setting of `bootloader`'s kind with a value of its type. Errors
/// (Errc::InvalidArgument) name the setting and, for an unknown name, list the known ones of that kind; a
/// kind without settings (none, or one Flashplan does not know) says so.
Result<void> checkSetting(const BootloaderProfile& bootloader, std::string_view name, std::string_view value);
/// The same for a kind.
Result<void> checkSetting(BootloaderKind kind, std::string_view name, std::string_view value);

} // namespace flashplan
