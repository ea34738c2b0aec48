// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/SectorMap.h"

#include <cstdint>
#include <vector>

namespace flashplan::gui {

/// What a dragged edge or block snaps to on one device: the neighbours' edges when one is within reach
/// on screen, else the device's sector boundaries (asked of the core SectorMap). With `fine` (Shift held)
/// only the write-block grid applies, for layouts that are not sector-aligned on purpose.
struct SnapTargets {
    const SectorMap* sectors = nullptr;
    std::uint64_t writeBlock = 1;
    std::vector<std::uint64_t> edges; ///< starts and ends of the other partitions on the device
    double bytesPerPixel = 1;
    double reachPixels = 8;
    bool fine = false;

    std::uint64_t deviceSize() const { return sectors->totalSize(); }
};

/// Where an edge dropped at `proposed` lands: a neighbour's edge within reach, else the nearest sector
/// boundary (write-block multiple when fine), within [0, device size].
std::uint64_t snapEdge(const SnapTargets& targets, std::uint64_t proposed);

/// Where a block of `size` bytes dropped with its start at `proposed` lands: its start or end on a
/// neighbour's edge within reach, else its start on the nearest sector boundary, preferring one where its
/// end falls on a boundary too (so it stays aligned on maps of mixed sector sizes); always inside the
/// device when it fits.
std::uint64_t snapBlock(const SnapTargets& targets, std::uint64_t proposed, std::uint64_t size);

} // namespace flashplan::gui
