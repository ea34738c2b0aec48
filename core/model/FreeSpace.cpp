// SPDX-License-Identifier: Apache-2.0
#include "model/FreeSpace.h"

#include "model/Platform.h"

#include <algorithm>

namespace flashplan {

std::vector<FreeRange> freeRanges(const Layout& layout, const FlashDevice& device) {
    const std::uint64_t size = device.size();
    struct Covered {
        std::uint64_t from, to;
        std::size_t index;
    };
    std::vector<Covered> covered;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        if (p.device != device.id || p.size == 0 || p.offset >= size)
            continue;
        // Clipped to the device without computing offset + size, which may pass 2^64.
        covered.push_back({p.offset, p.size > size - p.offset ? size : p.offset + p.size, i});
    }
    // By start, and of those starting together the larger first: a range is "before" a parent, not the
    // child at its start.
    std::sort(covered.begin(), covered.end(), [](const Covered& a, const Covered& b) {
        return a.from != b.from ? a.from < b.from : a.to > b.to;
    });
    std::vector<FreeRange> out;
    std::uint64_t cursor = std::min(size, platformReservedEnd(layout, device).value_or(0));
    std::optional<std::size_t> before;
    for (const Covered& c : covered) {
        if (c.from > cursor)
            out.push_back({cursor, c.from, before, c.index});
        if (c.to > cursor) {
            cursor = c.to;
            before = c.index;
        }
    }
    if (cursor < size)
        out.push_back({cursor, size, before, std::nullopt});
    return out;
}

} // namespace flashplan
