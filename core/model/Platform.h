// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace flashplan {

struct Layout;
struct FlashDevice;

/// The platform a layout is built, flashed and booted by: what decides whether a finding breaks something
/// (an error) or only matters elsewhere (a warning naming where). Importers set it from the format they
/// read; a layout made in the editor has none (Generic) and gets its bootloader's (platformOf()).
enum class Platform {
    Generic,          ///< no platform known: every rule at its strictest
    Zephyr,           ///< a devicetree's fixed-partitions, read through flash_map
    PartitionManager, ///< nRF Connect SDK's Partition Manager (pm_static.yml): containers, spans, app
    Wolfboot,         ///< wolfBoot's target.h / .config partitions
    EspIdf,           ///< ESP-IDF's partition table (gen_esp32part.py)
};

/// "generic", "zephyr", "partition-manager", "wolfboot", "esp-idf": the words of .flashplan files.
std::string_view to_string(Platform platform);
std::optional<Platform> platformFromString(std::string_view text);

/// The layout's platform: the one its importer set, else wolfBoot's when its bootloader is wolfBoot (the
/// only bootloader that is its own platform: MCUboot runs on Zephyr, on the Partition Manager and bare),
/// else Generic. The board does not decide it: one board (an nRF52840 DK) runs several.
Platform platformOf(const Layout& layout);

/// The end of the area at the start of `device` that the layout's platform keeps for itself, so that it is
/// neither free space nor a partition: ESP-IDF's second-stage bootloader and partition table (0x0..0x9000
/// with the table at its default CONFIG_PARTITION_TABLE_OFFSET 0x8000; up to a partition_table row's offset
/// when the file places the table). Nullopt for other platforms, and on a device with none of the layout's
/// partitions.
std::optional<std::uint64_t> platformReservedEnd(const Layout& layout, const FlashDevice& device);

} // namespace flashplan
