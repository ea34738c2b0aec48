// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::wolfboot {

/// The partitions wolfBoot knows, in flash_area order (PART_BOOT 0, PART_UPDATE 1, PART_SWAP 2), after the
/// bootloader's own area.
enum class AreaKind { Bootloader, Boot, Update, Swap };

/// The label a Layout gives each area ("wolfboot", "boot", "update", "swap").
std::string_view labelOf(AreaKind kind);
/// Boot, Slot0, Slot1, Swap.
PartitionRole roleOf(AreaKind kind);

/// wolfBoot's address for "no partition here": dual-bank configurations (DUALBANK_SWAP=1) set
/// WOLFBOOT_PARTITION_SWAP_ADDRESS to 0xFFFFFFFF, erased flash.
constexpr std::uint64_t kNoPartitionAddress = 0xffffffff;

/// One partition as a wolfBoot file gives it, before it is placed on a flash device.
struct AreaSpec {
    AreaKind kind = AreaKind::Boot;
    /// A CPU address on memory-mapped flash; an offset on the external flash when `external`; an offset
    /// from the start of the internal flash when `deviceRelative` (FLASH_AREA_*_OFFSET).
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    bool external = false; ///< PART_*_EXT: reached through wolfBoot's ext_flash_* driver
    bool deviceRelative = false;
    int line = 0;      ///< where the address is written, for errors
    std::string field; ///< the variable or macro that gives the address
};

/// A wolfBoot partition layout in wolfBoot's own terms: what a .config and a target.h both say.
struct PartitionSpec {
    std::vector<AreaSpec> areas;             ///< at most one of each kind
    std::optional<std::uint64_t> sectorSize; ///< WOLFBOOT_SECTOR_SIZE
    std::string target;                      ///< TARGET=, empty when the file does not say
    FlashKind externalKind = FlashKind::Spi; ///< the bus of an inferred external flash (QSPI_FLASH...)
};

/// Places the areas on flash devices and makes the layout of an import: the board named by --board
/// (options.boardId), which must hold every area; else the board the TARGET table names, when it holds
/// them (else a warning says why not); else devices inferred from the areas (internal flash from the
/// 16 MiB-aligned block of the lowest CPU address, an external one from the offsets), each with
/// inferredGeometryNote(). Partitions are labelled and given roles (labelOf, roleOf), the bootloader
/// area is read-only, and the layout's bootloader is {kind "wolfboot", WOLFBOOT_SECTOR_SIZE}.
/// Errors name `fileName`, the area's line and field: an unknown --board, an area --board cannot hold,
/// two areas on memory-mapped flash that overlap (as wolfBoot's target.h refuses them). Areas on the
/// external flash that overlap are imported with a warning, since wolfBoot does not check them either.
Result<ImportResult> placePartitions(const PartitionSpec& spec, const ImportOptions& options,
                                     const std::string& fileName);

} // namespace flashplan::wolfboot
