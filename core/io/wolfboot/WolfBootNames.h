// SPDX-License-Identifier: Apache-2.0
#pragma once
// The names wolfBoot gives its settings, the same in a .config (make variables) and a target.h (macros).

#include "io/wolfboot/WolfBootPlacement.h"

#include <array>
#include <string_view>

namespace flashplan::wolfboot {

inline constexpr std::string_view kTarget = "TARGET";
inline constexpr std::string_view kSectorSize = "WOLFBOOT_SECTOR_SIZE";
inline constexpr std::string_view kPartitionSize = "WOLFBOOT_PARTITION_SIZE";
inline constexpr std::string_view kNoPartitions = "WOLFBOOT_NO_PARTITIONS";
inline constexpr std::string_view kExtFlash = "EXT_FLASH";
inline constexpr std::string_view kNoXip = "NO_XIP";
inline constexpr std::string_view kNoSwapExt = "NO_SWAP_EXT";

/// Layout properties that keep .config variables: "wolfboot.config.<NAME>".
inline constexpr std::string_view kPropertyPrefix = "wolfboot.config.";

/// A partition's address variable and its PART_*_EXT switch.
struct NamedArea {
    AreaKind kind;
    std::string_view addressName;
    std::string_view extName;
};
inline constexpr std::array kNamedAreas{
    NamedArea{AreaKind::Boot, "WOLFBOOT_PARTITION_BOOT_ADDRESS", "PART_BOOT_EXT"},
    NamedArea{AreaKind::Update, "WOLFBOOT_PARTITION_UPDATE_ADDRESS", "PART_UPDATE_EXT"},
    NamedArea{AreaKind::Swap, "WOLFBOOT_PARTITION_SWAP_ADDRESS", "PART_SWAP_EXT"},
};

} // namespace flashplan::wolfboot
