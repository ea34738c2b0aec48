// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"
#include "model/Partition.h"

#include <string>
#include <string_view>

namespace flashplan {

/// The role (and MCUboot image number) a partition name usually means in Zephyr, MCUboot and the nRF
/// Partition Manager: "slot1_partition" and "mcuboot_secondary" are slot1 of image 0, "slot2_partition"
/// and "mcuboot_primary_1" slot0 of image 1, "storage_partition" storage. Names it does not know are
/// Custom. Importers use it for files that say nothing of roles; the table is data, in RoleNames.cpp.
struct RoleGuess {
    PartitionRole role = PartitionRole::Custom;
    int imageIndex = 0;
};
RoleGuess roleFromName(std::string_view name);

/// Whose names a file format writes: the devicetree labels of Zephyr (and its C flash map), or the
/// partition names of the nRF Connect SDK's Partition Manager.
enum class NameScheme { Zephyr, PartitionManager };

/// The name a platform gives the partition of a role and MCUboot image: Zephyr's "slot2_partition" is
/// the Partition Manager's "mcuboot_primary_1" (NCS include/flash_map_pm.h maps the one onto the other).
/// Empty when the platform has no name for it (custom, reserved, wolfBoot's swap).
std::string platformName(PartitionRole role, int imageIndex, NameScheme scheme);

/// The layout with its partitions named in `scheme`'s words, for an exporter: a partition whose label is
/// the name another platform gives its role and image (a "slot0_partition" of role slot0, written to a
/// pm_static.yml) takes `scheme`'s name ("mcuboot_primary"), and what names it (children's parents, layout
/// properties such as dts.chosen.* whose value is the label) follows. A label of the user's own, or one
/// whose role says otherwise (a "storage_partition" of role custom), is kept; so is any label whose new
/// name another partition already has.
Layout withPlatformNames(const Layout& layout, NameScheme scheme);

} // namespace flashplan
