// SPDX-License-Identifier: Apache-2.0
#include "io/mcuboot/KconfigExporter.h"

#include "rules/BootloaderSettings.h"
#include "rules/McubootView.h"
#include "util/Numbers.h"

#include <sstream>

namespace flashplan {

using namespace mcuboot;

namespace {

/// MCUboot's Kconfig choice for each mode (boot/zephyr/Kconfig, "Image upgrade modes").
std::string_view modeSymbol(UpgradeMode mode) {
    switch (mode) {
    case UpgradeMode::SwapUsingScratch:
        return "CONFIG_BOOT_SWAP_USING_SCRATCH";
    case UpgradeMode::SwapUsingMove:
        return "CONFIG_BOOT_SWAP_USING_MOVE";
    case UpgradeMode::SwapUsingOffset:
        return "CONFIG_BOOT_SWAP_USING_OFFSET";
    case UpgradeMode::OverwriteOnly:
        return "CONFIG_BOOT_UPGRADE_ONLY";
    case UpgradeMode::DirectXip:
        return "CONFIG_BOOT_DIRECT_XIP";
    case UpgradeMode::RamLoad:
        return "CONFIG_BOOT_RAM_LOAD";
    }
    return {};
}

/// The MCUboot settings that are a Kconfig flag of their own, when the layout sets them.
constexpr std::pair<std::string_view, std::string_view> kFlagSymbols[] = {
    {kSaveEncTlvSetting, "CONFIG_BOOT_SWAP_SAVE_ENCTLV"},
    {kEncryptRsaSetting, "CONFIG_BOOT_ENCRYPT_RSA"},
    {kEncryptEc256Setting, "CONFIG_BOOT_ENCRYPT_EC256"},
    {kEncryptX25519Setting, "CONFIG_BOOT_ENCRYPT_X25519"},
    {kAes256Setting, "CONFIG_BOOT_ENCRYPT_ALG_AES_256"},
    {kHmacSha512Setting, "CONFIG_BOOT_HMAC_SHA512"},
};

} // namespace

Result<std::vector<ExportedFile>> KconfigExporter::write(const Layout& layout,
                                                         const std::filesystem::path& outputPath,
                                                         const ExportOptions&) const {
    if (!layout.bootloader.is(BootloaderKind::Mcuboot))
        return makeError(Errc::NotSupported, "the layout is not made for MCUboot (bootloader '" +
                                                 layout.bootloader.kind +
                                                 "'): there are no MCUboot settings");
    const View view = viewOf(layout);
    if (!view.mode)
        return makeError(Errc::NotSupported, "the layout's MCUboot mode '" + layout.bootloader.mode +
                                                 "' is none Flashplan knows, so it has no Kconfig choice");
    const Settings& s = view.settings;
    std::ostringstream out;
    out << "# MCUboot's build settings for "
        << (layout.name.empty() ? std::string("this layout") : layout.name)
        << ", written by Flashplan:\n"
           "# the values its MCUboot rules checked the partitions with. Give it to MCUboot's build beside "
           "the\n"
           "# devicetree overlay, e.g. west build --sysbuild ... -- -Dmcuboot_EXTRA_CONF_FILE=<this file>\n";
    out << modeSymbol(*view.mode) << "=y\n";
    // The automatic count follows the flash, not the layout that was checked.
    out << "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=n\n";
    out << "CONFIG_BOOT_MAX_IMG_SECTORS=" << s.maxImgSectors << '\n';
    out << "CONFIG_MCUBOOT_BOOT_MAX_ALIGN=" << view.maxAlign << '\n';
    if (s.logicalSectorSize != 0)
        out << "CONFIG_MCUBOOT_LOGICAL_SECTOR_SIZE=" << formatHex(s.logicalSectorSize) << '\n';
    if (s.encryption.enabled) {
        out << "CONFIG_BOOT_ENCRYPT_IMAGE=y\n";
        for (const auto& [setting, symbol] : kFlagSymbols)
            if (const std::string* v = layout.bootloader.setting(setting); v && parseFlag(*v).value_or(false))
                out << symbol << "=y\n";
    }
    return std::vector<ExportedFile>{{outputPath, out.str()}};
}

} // namespace flashplan
