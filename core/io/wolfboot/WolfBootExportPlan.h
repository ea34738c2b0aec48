// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/wolfboot/WolfBootPlacement.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flashplan::wolfboot {

/// A partition as wolfBoot names it.
struct PlannedArea {
    const Partition* partition = nullptr;
    /// wolfBoot's address: the CPU address on memory-mapped flash, the offset on external flash.
    std::uint64_t address = 0;
    bool external = false; ///< on a flash that is not memory-mapped (wolfBoot's PART_*_EXT)
    const FlashDevice* device = nullptr;
};

/// What of a layout goes into a wolfBoot file, and under which name.
struct ExportPlan {
    std::optional<PlannedArea> bootloader; ///< role boot: the bootloader itself
    std::optional<PlannedArea> boot;       ///< role slot0: WOLFBOOT_PARTITION_BOOT_ADDRESS
    std::optional<PlannedArea> update;     ///< role slot1: WOLFBOOT_PARTITION_UPDATE_ADDRESS
    std::optional<PlannedArea> swap;       ///< role swap, else scratch: WOLFBOOT_PARTITION_SWAP_ADDRESS
    bool swapIsScratch = false;            ///< the swap is the layout's (MCUboot) scratch area
    /// No swap partition, but the file the layout came from gave WOLFBOOT_PARTITION_SWAP_ADDRESS (the
    /// 0xFFFFFFFF of dual-bank targets, kept as the property
    /// "wolfboot.config.WOLFBOOT_PARTITION_SWAP_ADDRESS").
    std::optional<std::string> swapMarker;
    std::optional<std::uint64_t> partitionSize; ///< WOLFBOOT_PARTITION_SIZE, when boot or update exists
    std::uint64_t sectorSize = 0;               ///< WOLFBOOT_SECTOR_SIZE; 0 when there is nothing to size
    std::string sectorSizeSource;               ///< where sectorSize comes from, a phrase for a comment
    std::vector<const Partition*> others;       ///< partitions wolfBoot has no name for

    /// The area of a kind.
    const std::optional<PlannedArea>& area(AreaKind kind) const {
        return kind == AreaKind::Bootloader ? bootloader
               : kind == AreaKind::Boot     ? boot
               : kind == AreaKind::Update   ? update
                                            : swap;
    }
};

/// What a format needs of a layout.
struct PlanRules {
    bool requireBootAndUpdate = true;  ///< target.h: BOOT and UPDATE must exist
    bool requireSwap = true;           ///< target.h: a swap (or scratch, or the dual-bank marker)
    bool allowExternalOverlap = false; ///< .config: as wolfBoot, overlap on external flash is not checked
};

/// The property that keeps a WOLFBOOT_PARTITION_SWAP_ADDRESS the layout has no swap partition for.
inline constexpr const char* kSwapAddressProperty = "wolfboot.config.WOLFBOOT_PARTITION_SWAP_ADDRESS";

/// Maps a layout onto wolfBoot's partitions: slot0 is BOOT, slot1 UPDATE, swap SWAP (a scratch area stands
/// in when there is no swap), boot the bootloader itself. WOLFBOOT_SECTOR_SIZE is the layout's
/// bootloader setting, else the largest erase sector the partitions cover. Errors (Errc::Schema, naming
/// the partition): what the rules require is missing; two partitions of a role (or of image 1: wolfBoot
/// boots one image); boot and update of different sizes; a swap smaller than a sector; partitions on
/// two external flashes (wolfBoot drives one); overlapping partitions; an unusable sector size setting.
Result<ExportPlan> planExport(const Layout& layout, const PlanRules& rules);

/// True when the layout has a partition wolfBoot would name (slot0, slot1, swap or scratch).
bool hasWolfBootPartitions(const Layout& layout);

/// What wolfBoot is built with for a layout, by the names of its .config and target.h, in their order:
/// WOLFBOOT_SECTOR_SIZE, WOLFBOOT_PARTITION_SIZE (when BOOT or UPDATE exists) and the address of each
/// partition there is (WOLFBOOT_PARTITION_BOOT_ADDRESS, _UPDATE_, _SWAP_). Empty when the layout has no
/// partition wolfBoot names; errors: what planExport() refuses for a .config.
Result<std::vector<std::pair<std::string, std::string>>> buildSettings(const Layout& layout);

} // namespace flashplan::wolfboot
