// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace flashplan {

/// A stretch of a device that no partition covers, with the partitions around it.
struct FreeRange {
    std::uint64_t from = 0; ///< device offset of the first free byte
    std::uint64_t to = 0;   ///< device offset past the last free byte
    /// The partition (index into Layout::partitions) whose covered part ends at `from`: of those that
    /// start below it, the one that reaches furthest; nullopt at the start of the device.
    std::optional<std::size_t> before;
    /// The partition that starts at `to` (the largest, when several do); nullopt at the end of the device.
    std::optional<std::size_t> after;
};

/// The free ranges of one device of the layout, in address order: what the editor hatches and the
/// generic.free-space findings list, from this one computation. A partition covers the part of it that
/// lies on the device: one that runs past the device's end covers up to the end (that it runs past is
/// generic.outside-device's finding), one that starts at or past the end covers nothing, as do empty
/// partitions and those of other devices. Nested partitions cover what their parents cover. The area the
/// platform keeps for itself at the start of the device (platformReservedEnd(): ESP-IDF's bootloader and
/// partition table) is not free.
std::vector<FreeRange> freeRanges(const Layout& layout, const FlashDevice& device);

} // namespace flashplan
