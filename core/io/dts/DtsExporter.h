// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// A Layout to a Zephyr devicetree overlay that replaces the partitions of every flash device that has
/// some: the flash node is referred to by its label (&flash0, or what the layout's dts.flash.<device>
/// says), its `partitions` node is deleted and written afresh, with nested partitions nested, and the
/// chosen entries (zephyr.chosen.*) are written again. ExportOptions::dtsStyle "classic" (the default)
/// writes fixed-partitions (fixed-subpartitions for nested ones); "mapped" writes Zephyr 4.x's
/// zephyr,mapped-partition form for internal flash (external flash keeps fixed-partitions, which is all
/// Zephyr allows there). dtc accepts the result after the board's devicetree. Partitions go by Zephyr's
/// labels (withPlatformNames): a pm_static.yml's mcuboot_primary is slot0_partition.
class DtsExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

/// The overlay text. Errors (Errc::Schema, naming the partition or device in `field`): a label that is
/// not a C identifier or is used twice, a device the board lacks or that has no DTS-usable label, a
/// parent that is missing, on another device, or does not contain its child, a chosen entry naming no
/// partition; Errc::InvalidArgument for an unknown dtsStyle.
Result<std::string> writeDtsOverlay(const Layout& layout, const ExportOptions& options);

} // namespace flashplan
