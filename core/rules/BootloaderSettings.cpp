// SPDX-License-Identifier: Apache-2.0
#include "rules/BootloaderSettings.h"

#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {

// Sources: MCUboot's bootutil (trailer and swap status sizing) and Zephyr's Kconfig; wolfBoot's
// include/target.h.in and options.mk. docs/rules.md explains each.
const std::array kSettings{
    SettingInfo{BootloaderKind::Mcuboot, "BOOT_MAX_IMG_SECTORS", SettingType::Number,
                "sectors per slot MCUboot can handle (Zephyr's CONFIG_BOOT_MAX_IMG_SECTORS)"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_BOOT_MAX_ALIGN", SettingType::Number,
                "width of each image trailer field"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_LOGICAL_SECTOR_SIZE", SettingType::Number,
                "MCUboot works on logical sectors of this size (0: physical sectors)"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_ENC_IMAGES", SettingType::Flag,
                "encrypted images: keys in the trailer"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_AES_256", SettingType::Flag,
                "32-byte image encryption keys"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_SWAP_SAVE_ENCTLV", SettingType::Flag,
                "the trailer keeps the encrypted key TLVs instead of the keys"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_ENCRYPT_RSA", SettingType::Flag, "RSA-OAEP key exchange"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_ENCRYPT_EC256", SettingType::Flag,
                "ECIES-P256 key exchange"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_ENCRYPT_X25519", SettingType::Flag,
                "ECIES-X25519 key exchange"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_ENCRYPT_KW", SettingType::Flag,
                "AES key wrap key exchange"},
    SettingInfo{BootloaderKind::Mcuboot, "MCUBOOT_HMAC_SHA512", SettingType::Flag,
                "HMAC-SHA512 in the ECIES key exchange"},
    SettingInfo{BootloaderKind::Wolfboot, "WOLFBOOT_SECTOR_SIZE", SettingType::Number,
                "what wolfBoot erases at once (the largest erase unit of BOOT, UPDATE and SWAP)"},
    SettingInfo{BootloaderKind::Wolfboot, "IMAGE_HEADER_SIZE", SettingType::Number,
                "the image header in front of the application (256)"},
    SettingInfo{BootloaderKind::Wolfboot, "EXT_FLASH", SettingType::Flag,
                "some partition lives on external flash"},
    SettingInfo{BootloaderKind::Wolfboot, "PART_BOOT_EXT", SettingType::Flag, "BOOT is on external flash"},
    SettingInfo{BootloaderKind::Wolfboot, "PART_UPDATE_EXT", SettingType::Flag,
                "UPDATE is on external flash"},
    SettingInfo{BootloaderKind::Wolfboot, "PART_SWAP_EXT", SettingType::Flag, "SWAP is on external flash"},
};

} // namespace

std::span<const SettingInfo> allSettings() {
    return kSettings;
}

const SettingInfo* findSetting(BootloaderKind kind, std::string_view name) {
    for (const SettingInfo& s : kSettings)
        if (s.kind == kind && s.name == name)
            return &s;
    return nullptr;
}

std::optional<bool> parseFlag(std::string_view text) {
    std::string t;
    for (char c : text)
        if (c != ' ' && c != '\t')
            t += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (std::string_view yes : {"y", "1", "true", "yes", "on"})
        if (t == yes)
            return true;
    for (std::string_view no : {"n", "0", "false", "no", "off"})
        if (t == no)
            return false;
    return std::nullopt;
}

Result<void> checkSetting(const BootloaderProfile& bootloader, std::string_view name,
                          std::string_view value) {
    if (const auto kind = bootloader.knownKind())
        return checkSetting(*kind, name, value);
    return makeError(Errc::InvalidArgument, std::string(name) + "=" + std::string(value) +
                                                ": a layout for bootloader '" + bootloader.kind +
                                                "' takes no settings Flashplan knows");
}

Result<void> checkSetting(BootloaderKind kind, std::string_view name, std::string_view value) {
    const std::string head = std::string(name) + "=" + std::string(value) + ": ";
    const SettingInfo* info = findSetting(kind, name);
    if (!info) {
        std::string known;
        for (const SettingInfo& s : kSettings)
            if (s.kind == kind)
                known += (known.empty() ? "" : ", ") + std::string(s.name);
        if (known.empty())
            return makeError(Errc::InvalidArgument, head + "a layout for bootloader '" +
                                                        std::string(to_string(kind)) + "' takes no settings");
        return makeError(Errc::InvalidArgument, head + "not a setting of " + std::string(to_string(kind)) +
                                                    " layouts (known: " + known + ")");
    }
    if (info->type == SettingType::Number && !parseNumber(std::string(value)))
        return makeError(Errc::InvalidArgument, head + "not a number (" + std::string(info->meaning) + ")");
    if (info->type == SettingType::Flag && !parseFlag(value))
        return makeError(Errc::InvalidArgument, head + "neither y nor n (1/0, true/false)");
    return {};
}

} // namespace flashplan
