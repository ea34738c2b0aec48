// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <vector>

namespace flashplan {

// The Zephyr rule pack: the conventions Zephyr and MCUboot's Zephyr port rely on. It applies to layouts
// that use MCUboot or came from a devicetree (properties "zephyr.*" or "dts.*"). Rule ids:
//   zephyr.mcuboot-label    a slot, scratch or boot partition not labelled as MCUboot's Zephyr port looks it
//                           up (sysflash.h: slot<2i>_partition / slot<2i+1>_partition for image i,
//                           scratch_partition, boot_partition); not on the Partition Manager, which
//                           names them itself (mcuboot, mcuboot_primary...)                (warning)
//   zephyr.code-partition   the chosen zephyr,code-partition names no partition, or, with MCUboot, not
//                           image 0's primary slot                                        (error)
//   zephyr.storage-sectors  a storage partition of fewer than 2 whole sectors: NVS and ZMS refuse to
//                           mount with fewer, and settings have nowhere to rotate          (warning)

bool usesZephyrConventions(const Layout& layout);

std::vector<Diagnostic> checkMcubootLabels(const Layout& layout);
std::vector<Diagnostic> checkCodePartition(const Layout& layout);
std::vector<Diagnostic> checkStorageSectors(const Layout& layout);

std::vector<Diagnostic> checkZephyr(const Layout& layout);

/// The layout property that holds a chosen node's partition ("zephyr.chosen.zephyr,code-partition").
inline constexpr const char* kCodePartitionProperty = "zephyr.chosen.zephyr,code-partition";

} // namespace flashplan
