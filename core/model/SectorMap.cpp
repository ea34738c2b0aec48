// SPDX-License-Identifier: Apache-2.0
#include "model/SectorMap.h"

#include "util/Numbers.h"

#include <algorithm>
#include <cctype>

namespace flashplan {

Result<SectorMap> SectorMap::fromRuns(std::span<const SectorRun> runs) {
    SectorMap map;
    for (const SectorRun& run : runs) {
        if (run.count == 0 || run.size == 0)
            return makeError(Errc::InvalidArgument, "a sector run needs a count and a size above zero (got " +
                                                        std::to_string(run.count) + "x" +
                                                        std::to_string(run.size) + ")");
        if (run.count > UINT64_MAX / run.size || addOverflows(map.total_, run.count * run.size) ||
            addOverflows(map.sectorCount_, run.count))
            return makeError(Errc::OutOfRange, "the sector map is larger than 2^64 bytes");
        if (!map.runs_.empty() && map.runs_.back().size == run.size) {
            map.runs_.back().count += run.count;
        } else {
            map.runs_.push_back(run);
            map.runOffset_.push_back(map.total_);
            map.runFirst_.push_back(map.sectorCount_);
        }
        map.total_ += run.count * run.size;
        map.sectorCount_ += run.count;
    }
    return map;
}

Result<SectorMap> SectorMap::uniform(std::uint64_t count, std::uint64_t size) {
    const SectorRun run{count, size};
    return fromRuns(std::span(&run, 1));
}

Result<SectorMap> SectorMap::parse(std::string_view text) {
    std::vector<SectorRun> runs;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ',' || std::isspace(static_cast<unsigned char>(text[pos]))))
            ++pos;
        if (pos == text.size())
            break;
        std::size_t end = pos;
        while (end < text.size() && text[end] != ',' && !std::isspace(static_cast<unsigned char>(text[end])))
            ++end;
        const std::string_view item = text.substr(pos, end - pos);
        const std::size_t x = item.find_first_of("xX*");
        // "0x..." sizes contain an 'x' too: the separator is the first x that is not part of a 0x prefix.
        std::size_t sep = x;
        if (sep == 1 && item[0] == '0' && item[1] != '*')
            sep = item.find_first_of("xX*", 2);
        if (sep == std::string_view::npos)
            return makeError(Errc::Parse,
                             "sector run '" + std::string(item) + "' is not of the form <count>x<size>");
        auto count = parseNumber(item.substr(0, sep));
        if (!count)
            return count.error();
        auto size = parseNumber(item.substr(sep + 1));
        if (!size)
            return size.error();
        runs.push_back({*count, *size});
        pos = end;
    }
    if (runs.empty())
        return makeError(Errc::Parse, "the sector map is empty");
    return fromRuns(runs);
}

Result<SectorMap> SectorMap::head(std::uint64_t length) const {
    if (length == 0 || length > total_)
        return makeError(Errc::OutOfRange, "cannot keep the first " + formatHex(length) + " bytes of a " +
                                               formatHex(total_) + "-byte sector map");
    if (!isBoundary(length)) {
        const Sector s = *sectorAt(length);
        return makeError(Errc::Misaligned, formatHex(length) + " falls inside the " + formatSize(s.size) +
                                               " sector at " + formatHex(s.offset));
    }
    std::vector<SectorRun> runs;
    std::uint64_t at = 0;
    for (const SectorRun& r : runs_) {
        const std::uint64_t count = std::min(r.count, (length - at) / r.size);
        runs.push_back({count, r.size});
        at += count * r.size;
        if (at == length)
            break;
    }
    return fromRuns(runs);
}

std::uint64_t SectorMap::smallestSector() const {
    std::uint64_t best = 0;
    for (const SectorRun& r : runs_)
        best = best == 0 ? r.size : std::min(best, r.size);
    return best;
}

std::uint64_t SectorMap::largestSector() const {
    std::uint64_t best = 0;
    for (const SectorRun& r : runs_)
        best = std::max(best, r.size);
    return best;
}

std::size_t SectorMap::runIndexAt(std::uint64_t offset) const {
    // The last run that starts at or before offset.
    const auto it = std::upper_bound(runOffset_.begin(), runOffset_.end(), offset);
    return static_cast<std::size_t>(it - runOffset_.begin()) - 1;
}

std::optional<Sector> SectorMap::sectorAt(std::uint64_t offset) const {
    if (offset >= total_)
        return std::nullopt;
    const std::size_t r = runIndexAt(offset);
    const std::uint64_t i = (offset - runOffset_[r]) / runs_[r].size;
    return Sector{runFirst_[r] + i, runOffset_[r] + i * runs_[r].size, runs_[r].size};
}

std::optional<Sector> SectorMap::sectorByIndex(std::uint64_t index) const {
    if (index >= sectorCount_)
        return std::nullopt;
    const auto it = std::upper_bound(runFirst_.begin(), runFirst_.end(), index);
    const auto r = static_cast<std::size_t>(it - runFirst_.begin()) - 1;
    const std::uint64_t i = index - runFirst_[r];
    return Sector{index, runOffset_[r] + i * runs_[r].size, runs_[r].size};
}

bool SectorMap::isBoundary(std::uint64_t offset) const {
    if (offset == total_)
        return true;
    const auto s = sectorAt(offset);
    return s && s->offset == offset;
}

std::uint64_t SectorMap::boundaryAtOrBelow(std::uint64_t offset) const {
    if (offset >= total_)
        return total_;
    return sectorAt(offset)->offset;
}

std::uint64_t SectorMap::boundaryAtOrAbove(std::uint64_t offset) const {
    if (offset >= total_)
        return total_;
    const Sector s = *sectorAt(offset);
    return s.offset == offset ? offset : s.end();
}

std::uint64_t SectorMap::largestSectorIn(std::uint64_t offset, std::uint64_t length) const {
    if (length == 0 || offset >= total_)
        return 0;
    // Whole runs are inspected, not sectors, so this stays O(runs) even for a huge range.
    const std::uint64_t end = length > total_ - offset ? total_ : offset + length;
    std::uint64_t best = 0;
    for (std::size_t r = runIndexAt(offset); r < runs_.size() && runOffset_[r] < end; ++r)
        best = std::max(best, runs_[r].size);
    return best;
}

std::string SectorMap::toString() const {
    std::string out;
    for (const SectorRun& r : runs_) {
        if (!out.empty())
            out += ", ";
        out += std::to_string(r.count) + "x" + formatSizeWithSuffix(r.size);
    }
    return out;
}

} // namespace flashplan
