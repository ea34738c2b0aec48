// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <vector>

namespace flashplan {

// The wolfBoot rule pack (layouts whose bootloader kind is "wolfboot"), in wolfBoot's names: the BOOT
// partition is role slot0, UPDATE slot1, SWAP swap. Settings are read from the layout's bootloader
// settings, else from the .config variables a wolfBoot import keeps ("wolfboot.config.<NAME>").
// Checks against erase units are errors on a known sector map and warnings, saying so, on an inferred one
// (FlashDevice::geometryInferred); what follows from a stated WOLFBOOT_SECTOR_SIZE alone stays an error.
// Rule ids:
//   wolfboot.partitions      BOOT or UPDATE missing or given twice; SWAP missing           (error; warning;
//                            none by design (WOLFBOOT_NO_PARTITIONS, DISK_SDCARD,           info)
//                            DISK_EMMC)
//   wolfboot.partition-size  BOOT and UPDATE differ (both are WOLFBOOT_PARTITION_SIZE)      (error, fix)
//   wolfboot.sector-size     WOLFBOOT_SECTOR_SIZE smaller than, or not a multiple of, an erase unit the
//                            partitions cover                                              (error; warning)
//   wolfboot.alignment       a partition's address or size not a multiple of WOLFBOOT_SECTOR_SIZE (a size
//                            always: the last erase runs past the partition)          (error, fix; warning)
//   wolfboot.swap-size       SWAP not exactly one WOLFBOOT_SECTOR_SIZE                 (error, fix; warning)
//   wolfboot.image-header    where the 256-byte header (IMAGE_HEADER_SIZE) puts the entry point (info);
//                            a partition too small to hold it                              (error)
//   wolfboot.external        a partition on external flash without EXT_FLASH and its PART_<NAME>_EXT,
//                            or those set for a partition in internal flash                (error; info
//                            when the layout states no flags at all)

std::vector<Diagnostic> checkWolfBoot(const Layout& layout);

/// The WOLFBOOT_SECTOR_SIZE a layout uses: its setting, else the largest erase unit its BOOT, UPDATE and
/// SWAP partitions cover (0 when it has none of them).
std::uint64_t wolfBootSectorSize(const Layout& layout);

/// The IMAGE_HEADER_SIZE a layout uses: its setting (or the .config variable it was imported with), else
/// the wolfBoot profile's header size, 256.
std::uint64_t wolfBootHeaderSize(const Layout& layout);

} // namespace flashplan
