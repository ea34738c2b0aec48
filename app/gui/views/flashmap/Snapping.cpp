// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/Snapping.h"

#include "util/Alignment.h"

#include <algorithm>
#include <optional>

namespace flashplan::gui {

namespace {

std::uint64_t distance(std::uint64_t a, std::uint64_t b) {
    return a > b ? a - b : b - a;
}

std::uint64_t nearestOf(std::uint64_t x, std::uint64_t lo, std::uint64_t hi) {
    return distance(x, lo) <= distance(x, hi) ? lo : hi;
}

std::uint64_t reachBytes(const SnapTargets& t) {
    return static_cast<std::uint64_t>(t.reachPixels * t.bytesPerPixel);
}

/// The neighbour edge nearest to `x` within reach, if any.
std::optional<std::uint64_t> nearEdge(const SnapTargets& t, std::uint64_t x) {
    std::optional<std::uint64_t> best;
    for (std::uint64_t e : t.edges)
        if (distance(e, x) <= reachBytes(t) && (!best || distance(e, x) < distance(*best, x)))
            best = e;
    return best;
}

std::uint64_t nearestGrid(const SnapTargets& t, std::uint64_t x) {
    if (t.fine) {
        const std::uint64_t b = std::max<std::uint64_t>(1, t.writeBlock);
        return std::min(nearestOf(x, alignDown(x, b), alignUp(x, b)), t.deviceSize());
    }
    return nearestOf(x, t.sectors->boundaryAtOrBelow(x), t.sectors->boundaryAtOrAbove(x));
}

} // namespace

std::uint64_t snapEdge(const SnapTargets& t, std::uint64_t proposed) {
    proposed = std::min(proposed, t.deviceSize());
    if (auto e = nearEdge(t, proposed); e && *e <= t.deviceSize())
        return *e;
    return nearestGrid(t, proposed);
}

std::uint64_t snapBlock(const SnapTargets& t, std::uint64_t proposed, std::uint64_t size) {
    const std::uint64_t total = t.deviceSize();
    if (size >= total)
        return 0;
    const std::uint64_t last = total - size; // the highest start that keeps the block inside
    proposed = std::min(proposed, last);

    // A neighbour's edge within reach wins, for the start or for the end, whichever is nearer.
    std::optional<std::uint64_t> byNeighbour;
    if (auto e = nearEdge(t, proposed); e && *e <= last)
        byNeighbour = *e;
    if (auto e = nearEdge(t, proposed + size); e && *e >= size && *e - size <= last)
        if (!byNeighbour || distance(*e - size, proposed) < distance(*byNeighbour, proposed))
            byNeighbour = *e - size;
    if (byNeighbour)
        return *byNeighbour;

    if (t.fine)
        return std::min(nearestGrid(t, proposed), last / std::max<std::uint64_t>(1, t.writeBlock) *
                                                      std::max<std::uint64_t>(1, t.writeBlock));

    const SectorMap& map = *t.sectors;
    const auto fits = [&](std::uint64_t start) { return start <= last; };
    const auto aligned = [&](std::uint64_t start) { return fits(start) && map.isBoundary(start + size); };
    std::uint64_t lo = map.boundaryAtOrBelow(proposed);
    std::uint64_t hi = map.boundaryAtOrAbove(proposed);
    const std::uint64_t nearest = fits(hi) ? nearestOf(proposed, lo, hi) : lo;
    if (aligned(nearest))
        return nearest;
    // Walk outwards a few sectors for a start whose end is a boundary too; a handful of steps covers
    // every real map (runs of mixed sizes are short), and the nearest start is the answer otherwise.
    for (int step = 0; step < 64; ++step) {
        const bool loOk = aligned(lo), hiOk = aligned(hi);
        if (loOk || hiOk)
            return loOk && hiOk ? nearestOf(proposed, lo, hi) : (loOk ? lo : hi);
        if (lo > 0)
            lo = map.boundaryAtOrBelow(lo - 1);
        if (hi < last)
            hi = map.boundaryAtOrAbove(hi + 1);
    }
    return nearest;
}

} // namespace flashplan::gui
