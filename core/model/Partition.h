// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flashplan {

/// What a partition is for, in the words of Zephyr, MCUboot and wolfBoot.
enum class PartitionRole {
    Boot,     ///< the bootloader itself (Zephyr boot_partition, wolfBoot's own area)
    Slot0,    ///< primary image slot (MCUboot slot0 / primary, wolfBoot BOOT partition)
    Slot1,    ///< secondary image slot (MCUboot slot1 / secondary, wolfBoot UPDATE partition)
    Scratch,  ///< MCUboot swap-using-scratch scratch area
    Swap,     ///< wolfBoot SWAP sector
    Storage,  ///< settings, NVS, littlefs, FAT...
    Reserved, ///< owned by something else (keys, factory image); not to be written by the app
    Custom,   ///< anything else
};

std::string_view to_string(PartitionRole role);
std::optional<PartitionRole> partitionRoleFromString(std::string_view text);

/// A label a C compiler and the devicetree compiler both accept: [A-Za-z_][A-Za-z0-9_]*.
bool isValidLabel(std::string_view label);

/// Facts a file format carries that the model has no field for, kept so that an import followed by an
/// export gives the file back: keys are "<format>.<name>" ("esp-idf.type", "dts.label-property"), in
/// insertion order, each key once.
using Properties = std::vector<std::pair<std::string, std::string>>;

/// The value of a property, or nullptr.
const std::string* findProperty(const Properties& properties, std::string_view key);
/// Sets (or replaces) a property.
void setProperty(Properties& properties, std::string_view key, std::string value);

/// A fixed-size area on one flash device. Offsets are device-relative, as Zephyr's fa_off.
struct Partition {
    std::string label;  ///< the DTS node label, e.g. "slot0_partition"; a C identifier
    std::string device; ///< FlashDevice::id on the layout's board
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    bool readOnly = false;
    PartitionRole role = PartitionRole::Custom;
    int imageIndex = 0; ///< MCUboot multi-image pair number (0 for single-image layouts)
    std::string image;  ///< path of the image to program into this partition, if one is assigned
    /// Label of the partition this one lies inside (DTS nested partitions, Partition Manager spans);
    /// empty at the top level. A child may share bytes with its ancestors and need not be sector-aligned.
    std::string parent;
    Properties properties;

    std::uint64_t end() const { return offset + size; }
    friend bool operator==(const Partition&, const Partition&) = default;
};

} // namespace flashplan
