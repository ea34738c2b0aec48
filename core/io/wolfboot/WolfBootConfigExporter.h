// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Writes a wolfBoot .config: the variables the layout kept ("wolfboot.config.<NAME>" properties, in their
/// order), then the partition variables made from the layout (wolfboot::planExport): WOLFBOOT_SECTOR_SIZE,
/// WOLFBOOT_PARTITION_SIZE, the BOOT, UPDATE and SWAP addresses (CPU addresses on memory-mapped flash,
/// offsets on external flash) and EXT_FLASH, with NO_XIP or NO_SWAP_EXT when the placement needs them.
/// Every line is NAME?=VALUE, as wolfBoot's `make config` writes them, so the command line still
/// overrides. A layout without wolfBoot partitions (x86 and EFI targets) gives its variables only.
class WolfBootConfigExporter final : public Exporter {
public:
    /// Errors (Errc::Schema): what planExport refuses; a placement the switches cannot express (UPDATE on
    /// memory-mapped flash with SWAP on external flash, a UART_FLASH=1 kept from the file with every
    /// partition on memory-mapped flash...); partitions while WOLFBOOT_NO_PARTITIONS=1 is kept.
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
