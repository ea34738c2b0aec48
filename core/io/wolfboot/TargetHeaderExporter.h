// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Writes wolfBoot's include/target.h for a layout (wolfboot::planExport): WOLFBOOT_SECTOR_SIZE,
/// WOLFBOOT_PARTITION_SIZE and the BOOT, UPDATE and SWAP addresses (CPU addresses on memory-mapped flash,
/// offsets on external flash, with EXT_FLASH and PART_*_EXT for those), FLASH_AREA_BOOTLOADER_* for the
/// bootloader's own area, sizes in KiB in comments, wolfBoot's include guard, and _Static_asserts that
/// every partition is aligned to WOLFBOOT_SECTOR_SIZE and that none overlaps another on the same flash.
/// The header compiles on its own (gcc -fsyntax-only).
class TargetHeaderExporter final : public Exporter {
public:
    /// Errors (Errc::Schema, naming the partition): what planExport refuses for target.h (no slot0 or
    /// slot1, sizes that differ, no swap...), and a partition or WOLFBOOT_PARTITION_SIZE that is not a
    /// multiple of WOLFBOOT_SECTOR_SIZE (the header's own asserts would stop the build).
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
