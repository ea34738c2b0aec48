// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Writes the Kconfig fragment MCUboot's Zephyr build reads (`-Dmcuboot_EXTRA_CONF_FILE=<file>`, beside
/// the devicetree overlay): the upgrade mode (CONFIG_BOOT_SWAP_USING_SCRATCH, ..._MOVE, ..._OFFSET,
/// CONFIG_BOOT_UPGRADE_ONLY, CONFIG_BOOT_DIRECT_XIP, CONFIG_BOOT_RAM_LOAD), CONFIG_BOOT_MAX_IMG_SECTORS
/// with the automatic count turned off, CONFIG_MCUBOOT_BOOT_MAX_ALIGN, CONFIG_MCUBOOT_LOGICAL_SECTOR_SIZE
/// when set, and the encryption settings: the values the MCUboot rules checked the layout with, so the
/// build uses what was checked. Errc::NotSupported for a layout that is not made for MCUboot, or names no
/// mode Flashplan knows.
class KconfigExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
