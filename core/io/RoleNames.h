// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Partition.h"

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

} // namespace flashplan
