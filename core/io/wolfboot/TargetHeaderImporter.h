// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Reads wolfBoot's include/target.h: the macros WOLFBOOT_PARTITION_BOOT_ADDRESS, _UPDATE_ADDRESS,
/// _SWAP_ADDRESS, WOLFBOOT_PARTITION_SIZE and WOLFBOOT_SECTOR_SIZE (or the older FLASH_AREA_IMAGE_0_*,
/// FLASH_AREA_IMAGE_1_* and FLASH_AREA_IMAGE_SCRATCH_* offsets and sizes), plus FLASH_AREA_BOOTLOADER_*
/// for the bootloader's own area and EXT_FLASH / PART_BOOT_EXT / PART_UPDATE_EXT / PART_SWAP_EXT for
/// partitions on external flash. Values may be any C constant expression over the header's own macros
/// (casts, parentheses, arithmetic, U/UL suffixes); #if/#ifdef/#else are followed as a plain build with
/// no -D options would (cpp::preprocess in Mode::MacrosOnly; an #error or #warning that fires becomes a
/// warning). The layout is placed as a .config's is, without TARGET.
class TargetHeaderImporter final : public Importer {
public:
    /// High for a header that defines wolfBoot's partition macros, low for other C headers.
    int sniff(std::string_view text, std::string_view fileName) const override;
    /// Errors (with the file, the line and the macro): a preprocessor error, a value that does not
    /// evaluate, an address without its size macro, no partition macros at all, a partition --board cannot
    /// hold, partitions that overlap on memory-mapped flash.
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
};

} // namespace flashplan
