// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// `count` consecutive erase sectors of `size` bytes each.
struct SectorRun {
    std::uint64_t count = 0;
    std::uint64_t size = 0;
    friend bool operator==(const SectorRun&, const SectorRun&) = default;
};

/// One erase sector, located: its index on the device, its device-relative offset and its size.
struct Sector {
    std::uint64_t index = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint64_t end() const { return offset + size; }
    friend bool operator==(const Sector&, const Sector&) = default;
};

/// The erase geometry of one flash device as runs of equal sectors in address order, e.g. the
/// STM32F407's 4x16K, 1x64K, 7x128K. Memory is O(runs), never one object per sector; every lookup by
/// offset or index is O(log runs). Adjacent runs of equal size are merged, so two maps of the same
/// geometry compare equal however they were written.
class SectorMap {
public:
    SectorMap() = default;

    /// Builds a map from runs in address order. Errors: a run with zero count or zero size
    /// (Errc::InvalidArgument), a total size that does not fit 64 bits (Errc::OutOfRange).
    static Result<SectorMap> fromRuns(std::span<const SectorRun> runs);
    static Result<SectorMap> uniform(std::uint64_t count, std::uint64_t size);
    /// Parses "4x16K, 1x64K, 7x128K" (runs separated by commas or blanks, sizes as parseNumber takes).
    static Result<SectorMap> parse(std::string_view text);

    const std::vector<SectorRun>& runs() const { return runs_; }
    bool empty() const { return runs_.empty(); }
    std::uint64_t totalSize() const { return total_; }
    std::uint64_t sectorCount() const { return sectorCount_; }
    std::uint64_t smallestSector() const;
    std::uint64_t largestSector() const;

    /// The sector that holds `offset`, or nullopt past the end.
    std::optional<Sector> sectorAt(std::uint64_t offset) const;
    /// The sector with this index, or nullopt past the last one.
    std::optional<Sector> sectorByIndex(std::uint64_t index) const;

    /// True at the start of every sector and at totalSize() (the end of the last one).
    bool isBoundary(std::uint64_t offset) const;
    /// The nearest sector boundary at or below / at or above `offset` (clamped to [0, totalSize()]).
    std::uint64_t boundaryAtOrBelow(std::uint64_t offset) const;
    std::uint64_t boundaryAtOrAbove(std::uint64_t offset) const;

    /// Calls fn(const Sector&) for every sector that overlaps [offset, offset+length), in order, and
    /// stops early when fn returns false. O(log runs + sectors visited).
    template <class Fn>
    void forEachSector(std::uint64_t offset, std::uint64_t length, Fn&& fn) const;

    /// The map of the first `length` bytes: the runs up to there, the last one cut short. Errors: `length`
    /// is zero, past the end, or not on a sector boundary (Errc::Misaligned, naming the sector it cuts).
    Result<SectorMap> head(std::uint64_t length) const;

    /// The largest sector size among the sectors that overlap [offset, offset+length); 0 if none.
    std::uint64_t largestSectorIn(std::uint64_t offset, std::uint64_t length) const;

    /// "4x16K, 1x64K, 7x128K": the form parse() reads.
    std::string toString() const;

    friend bool operator==(const SectorMap& a, const SectorMap& b) { return a.runs_ == b.runs_; }

private:
    std::size_t runIndexAt(std::uint64_t offset) const; // precondition: offset < total_

    std::vector<SectorRun> runs_;
    std::vector<std::uint64_t> runOffset_; // device offset where run i starts
    std::vector<std::uint64_t> runFirst_;  // index of the first sector of run i
    std::uint64_t total_ = 0;
    std::uint64_t sectorCount_ = 0;
};

template <class Fn>
void SectorMap::forEachSector(std::uint64_t offset, std::uint64_t length, Fn&& fn) const {
    if (length == 0 || offset >= total_)
        return;
    const std::uint64_t end = (length > total_ - offset) ? total_ : offset + length;
    for (std::size_t r = runIndexAt(offset); r < runs_.size() && runOffset_[r] < end; ++r) {
        const SectorRun& run = runs_[r];
        std::uint64_t i = offset > runOffset_[r] ? (offset - runOffset_[r]) / run.size : 0;
        for (; i < run.count; ++i) {
            const Sector s{runFirst_[r] + i, runOffset_[r] + i * run.size, run.size};
            if (s.offset >= end)
                return;
            if (!fn(s))
                return;
        }
    }
}

} // namespace flashplan
