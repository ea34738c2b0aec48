// SPDX-License-Identifier: Apache-2.0
#include "program/FlashPlan.h"

#include "util/Alignment.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

const char* to_string(SectorState state) {
    switch (state) {
    case SectorState::Matches:
        return "matches";
    case SectorState::Erased:
        return "erased";
    case SectorState::Differs:
        return "differs";
    case SectorState::Unknown:
        return "unknown";
    }
    return "unknown";
}

SectorState classifySector(std::span<const std::uint8_t> current, std::span<const std::uint8_t> wanted,
                           std::uint8_t erasedValue) {
    if (current.size() != wanted.size())
        return SectorState::Unknown;
    if (std::equal(current.begin(), current.end(), wanted.begin()))
        return SectorState::Matches;
    if (std::all_of(current.begin(), current.end(), [&](std::uint8_t b) { return b == erasedValue; }))
        return SectorState::Erased;
    return SectorState::Differs;
}

Result<FlashImage> prepareFlashImage(const PartitionGuard& guard, std::uint64_t offset,
                                     std::span<const std::uint8_t> data) {
    const FlashDevice& d = guard.device();
    const std::uint64_t wbs = d.writeBlockSize;
    const std::uint64_t start = alignDown(offset, wbs);
    if (addOverflows(offset, data.size()))
        return makeError(Errc::OutOfRange, "the image does not fit in 64-bit offsets");
    const std::uint64_t end = alignUp(offset + data.size(), wbs);
    if (auto r = guard.checkWrite(start, end - start); !r)
        return r.error();
    FlashImage image;
    image.offset = start;
    image.bytes.assign(static_cast<std::size_t>(end - start), d.eraseValue);
    std::copy(data.begin(), data.end(), image.bytes.begin() + static_cast<std::ptrdiff_t>(offset - start));
    return image;
}

std::vector<Sector> sectorsTouched(const PartitionGuard& guard, const FlashImage& image) {
    std::vector<Sector> out;
    guard.device().sectors.forEachSector(image.offset, image.bytes.size(), [&](const Sector& s) {
        out.push_back(s);
        return true;
    });
    return out;
}

std::span<const std::uint8_t> bytesIn(const FlashImage& image, const Sector& sector) {
    const std::uint64_t from = std::max(sector.offset, image.offset);
    const std::uint64_t to = std::min(sector.end(), image.end());
    if (from >= to)
        return {};
    return std::span(image.bytes)
        .subspan(static_cast<std::size_t>(from - image.offset), static_cast<std::size_t>(to - from));
}

Result<FlashPlan> planFlash(const PartitionGuard& guard, const FlashImage& image,
                            std::span<const SectorState> states, bool full) {
    const std::vector<Sector> sectors = sectorsTouched(guard, image);
    if (!states.empty() && states.size() != sectors.size())
        return makeError(Errc::InvalidArgument, "a sector state is needed for each of the " +
                                                    std::to_string(sectors.size()) +
                                                    " sectors the image touches");
    const bool eraseRequired = guard.device().eraseRequired;
    FlashPlan plan;
    for (std::size_t i = 0; i < sectors.size(); ++i) {
        PlannedSector ps;
        ps.sector = sectors[i];
        ps.state = states.empty() ? SectorState::Unknown : states[i];
        const std::span<const std::uint8_t> bytes = bytesIn(image, ps.sector);
        ps.writeOffset = std::max(ps.sector.offset, image.offset);
        ps.writeLength = bytes.size();
        if (!full && ps.state == SectorState::Matches) {
            ps.writeLength = 0;
            ++plan.skipped;
        } else {
            // Devices written in place never erase; NOR erases unless the sector is known to be erased.
            ps.erase = eraseRequired && (full || ps.state != SectorState::Erased);
            ps.write = true;
        }
        if (ps.erase) {
            if (auto r = guard.checkErase(ps.sector.offset, ps.sector.size); !r)
                return r.error();
            plan.eraseBytes += ps.sector.size;
        }
        if (ps.write) {
            if (auto r = guard.checkWrite(ps.writeOffset, ps.writeLength); !r)
                return r.error();
            plan.writeBytes += ps.writeLength;
        }
        plan.sectors.push_back(ps);
    }
    return plan;
}

} // namespace flashplan
