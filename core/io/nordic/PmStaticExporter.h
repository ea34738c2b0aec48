// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Writes a layout as a pm_static.yml that the Partition Manager reads: one mapping per partition, in
/// layout order, with hex `address` and `size` in the addressing of its region (regionOfDevice), `region`
/// where it is not flash_primary or the imported file named it, `end_address` = address + size (unless the
/// imported file's own inconsistent value is kept in pm.end_address), and the keys kept as pm.<key>
/// properties, in the order pm.keys recorded. A partition that others have as parent is a container: it
/// gets `span` (its pm.span, else the list of its children). Errors: a label used twice or empty (YAML keys
/// are unique), a partition on a device the board lacks, an address past 64 bits, a pm.<key> property that
/// is not a YAML value. Partitions go by the Partition Manager's names (withPlatformNames): a Zephyr
/// layout's boot_partition, slot0_partition, slot3_partition are mcuboot, mcuboot_primary,
/// mcuboot_secondary_1.
class PmStaticExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
