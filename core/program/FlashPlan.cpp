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

std::uint64_t FlashImage::size() const {
    std::uint64_t n = 0;
    for (const FlashRun& r : runs)
        n += r.bytes.size();
    return n;
}

namespace {

/// `data` at `offset`, widened to whole write blocks and checked by the guard.
Result<FlashRun> blockRun(const PartitionGuard& guard, std::uint64_t offset,
                          std::span<const std::uint8_t> data) {
    const FlashDevice& d = guard.device();
    const std::uint64_t wbs = d.writeBlockSize;
    const std::uint64_t start = alignDown(offset, wbs);
    if (addOverflows(offset, data.size()))
        return makeError(Errc::OutOfRange, "the image does not fit in 64-bit offsets");
    const std::uint64_t end = alignUp(offset + data.size(), wbs);
    if (auto r = guard.checkWrite(start, end - start); !r)
        return r.error();
    FlashRun run;
    run.offset = start;
    run.bytes.assign(static_cast<std::size_t>(end - start), d.eraseValue);
    std::copy(data.begin(), data.end(), run.bytes.begin() + static_cast<std::ptrdiff_t>(offset - start));
    return run;
}

/// The sector a device offset lies in; the device's end when past it.
std::uint64_t sectorStart(const SectorMap& map, std::uint64_t offset) {
    const auto s = map.sectorAt(offset);
    return s ? s->offset : offset;
}

} // namespace

Result<FlashImage> prepareFlashImage(const PartitionGuard& guard, std::uint64_t offset,
                                     std::span<const std::uint8_t> data, std::span<const FlashRun> more) {
    std::vector<FlashRun> runs;
    auto first = blockRun(guard, offset, data);
    if (!first)
        return first.error();
    runs.push_back(std::move(*first));
    for (const FlashRun& m : more) {
        if (m.bytes.empty())
            continue;
        auto run = blockRun(guard, m.offset, m.bytes);
        if (!run)
            return run.error();
        runs.push_back(std::move(*run));
    }
    std::sort(runs.begin(), runs.end(),
              [](const FlashRun& a, const FlashRun& b) { return a.offset < b.offset; });
    const SectorMap& map = guard.device().sectors;
    FlashImage image;
    for (FlashRun& r : runs) {
        if (!image.runs.empty()) {
            FlashRun& last = image.runs.back();
            if (r.offset < last.end())
                return makeError(Errc::InvalidArgument,
                                 "the bytes at " + formatHex(r.offset) + " are given twice (" +
                                     formatHex(last.offset) + ".." + formatHex(last.end()) + " and " +
                                     formatHex(r.offset) + ".." + formatHex(r.end()) + ")");
            // One range per sector: a run that starts in the sector the last one ends in joins it.
            if (last.end() > 0 && sectorStart(map, last.end() - 1) == sectorStart(map, r.offset)) {
                last.bytes.resize(static_cast<std::size_t>(r.offset - last.offset),
                                  guard.device().eraseValue);
                last.bytes.insert(last.bytes.end(), r.bytes.begin(), r.bytes.end());
                continue;
            }
        }
        image.runs.push_back(std::move(r));
    }
    return image;
}

std::vector<Sector> sectorsTouched(const PartitionGuard& guard, const FlashImage& image) {
    std::vector<Sector> out;
    for (const FlashRun& r : image.runs)
        guard.device().sectors.forEachSector(r.offset, r.bytes.size(), [&](const Sector& s) {
            if (out.empty() || out.back().index != s.index)
                out.push_back(s);
            return true;
        });
    return out;
}

SectorBytes bytesIn(const FlashImage& image, const Sector& sector) {
    for (const FlashRun& r : image.runs) {
        const std::uint64_t from = std::max(sector.offset, r.offset);
        const std::uint64_t to = std::min(sector.end(), r.end());
        if (from < to)
            return {from, std::span(r.bytes).subspan(static_cast<std::size_t>(from - r.offset),
                                                     static_cast<std::size_t>(to - from))};
    }
    return {};
}

Result<FlashPlan> planFlash(const PartitionGuard& guard, const FlashImage& image,
                            std::span<const SectorState> states, bool full) {
    const std::vector<Sector> sectors = sectorsTouched(guard, image);
    if (!states.empty() && states.size() != sectors.size())
        return makeError(Errc::InvalidArgument, "a sector state is needed for each of the " +
                                                    std::to_string(sectors.size()) +
                                                    " sectors the image touches");
    const FlashDevice& device = guard.device();
    const bool eraseRequired = device.eraseRequired;
    FlashPlan plan;
    for (std::size_t i = 0; i < sectors.size(); ++i) {
        PlannedSector ps;
        ps.sector = sectors[i];
        ps.state = states.empty() ? SectorState::Unknown : states[i];
        const SectorBytes in = bytesIn(image, ps.sector);
        ps.writeOffset = in.offset;
        ps.writeLength = in.bytes.size();
        if (!full && ps.state == SectorState::Matches) {
            ps.writeLength = 0;
            ++plan.skipped;
        } else {
            // Devices written in place never erase; NOR erases unless the sector is known to be erased.
            ps.erase = eraseRequired && (full || ps.state != SectorState::Erased);
            if (eraseRequired) {
                // Erased flash already holds the erase value: leave the blocks of it at either end alone.
                const std::uint64_t wbs = device.writeBlockSize;
                const auto blank = [&](std::uint64_t at) {
                    const auto block =
                        in.bytes.subspan(static_cast<std::size_t>(at), static_cast<std::size_t>(wbs));
                    return std::all_of(block.begin(), block.end(),
                                       [&](std::uint8_t b) { return b == device.eraseValue; });
                };
                std::uint64_t from = 0, to = in.bytes.size();
                while (from < to && blank(from))
                    from += wbs;
                while (to > from && blank(to - wbs))
                    to -= wbs;
                ps.writeOffset = in.offset + from;
                ps.writeLength = to - from;
            }
            ps.write = ps.writeLength > 0;
            if (!ps.erase && !ps.write)
                ++plan.skipped; // erased already, and erased is all it needs to hold
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
