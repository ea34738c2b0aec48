// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Writes a layout as C: a header with #defines for every partition's id, offset, size (and CPU address
/// where the device is mapped), Zephyr-style FIXED_PARTITION_ID()/_OFFSET()/_SIZE() macros, and a source
/// with the flash map in Zephyr's array form (default_flash_map[], flash_map_entries, flash_map) over one
/// `struct device` per flash device. They compile against Flashplan's flash_area header (core/capi), so
/// FlashMap::fromAreas can serve the table. Asked for "x.c" (or "x.h") it writes both x.c and x.h.
/// Partitions go by Zephyr's labels (withPlatformNames), as Zephyr code names them.
class CFlashMapExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
