// SPDX-License-Identifier: Apache-2.0
#include "model/Platform.h"

#include "model/Layout.h"
#include "util/NameTable.h"

#include <algorithm>

namespace flashplan {

namespace {
constexpr NameTable<Platform, 5> kPlatformNames{{
    {Platform::Generic, "generic"},
    {Platform::Zephyr, "zephyr"},
    {Platform::PartitionManager, "partition-manager"},
    {Platform::Wolfboot, "wolfboot"},
    {Platform::EspIdf, "esp-idf"},
}};
} // namespace

std::string_view to_string(Platform platform) {
    return nameIn(kPlatformNames, platform, "generic");
}

std::optional<Platform> platformFromString(std::string_view text) {
    return valueIn(kPlatformNames, text);
}

Platform platformOf(const Layout& layout) {
    if (layout.platform != Platform::Generic)
        return layout.platform;
    if (layout.bootloader.is(BootloaderKind::Wolfboot))
        return Platform::Wolfboot;
    return Platform::Generic;
}

std::optional<std::uint64_t> platformReservedEnd(const Layout& layout, const FlashDevice& device) {
    if (platformOf(layout) != Platform::EspIdf)
        return std::nullopt;
    // ESP-IDF's default CONFIG_PARTITION_TABLE_OFFSET, and the 4 KiB sector the table fills.
    constexpr std::uint64_t kDefaultTableOffset = 0x8000, kTableSector = 0x1000;
    bool any = false;
    std::optional<std::uint64_t> table;
    for (const Partition& p : layout.partitions) {
        if (p.device != device.id)
            continue;
        any = true;
        // A partition_table row places the table: the bootloader's area ends where it starts.
        const std::string* type = findProperty(p.properties, "esp-idf.type");
        if (type && *type == "partition_table")
            table = std::min(table.value_or(p.offset), p.offset);
    }
    if (!any)
        return std::nullopt;
    return table.value_or(kDefaultTableOffset + kTableSector);
}

} // namespace flashplan
