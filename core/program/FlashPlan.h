// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/SectorMap.h"
#include "program/PartitionGuard.h"
#include "util/Result.h"

#include <cstdint>
#include <span>
#include <vector>

namespace flashplan {

/// What a sector of flash holds compared with what an image wants there.
enum class SectorState {
    Matches, ///< already the image's bytes: nothing to do
    Erased,  ///< still erased where the image goes: write without erasing
    Differs, ///< anything else: erase, then write
    Unknown, ///< not compared (a full flash): erase, then write
};

const char* to_string(SectorState state);

/// Compares what a sector holds with what the image wants in the same range. `current` and `wanted`
/// have the same length; `erasedValue` is the device's erase value.
SectorState classifySector(std::span<const std::uint8_t> current, std::span<const std::uint8_t> wanted,
                           std::uint8_t erasedValue);

/// The work for one sector the image touches.
struct PlannedSector {
    Sector sector;                 ///< device offsets
    std::uint64_t writeOffset = 0; ///< device offset of the first byte to write (write-block aligned)
    std::uint64_t writeLength = 0; ///< bytes to write (whole write blocks; 0 when skipped)
    SectorState state = SectorState::Unknown;
    bool erase = false;
    bool write = false;
};

/// Which sectors to erase and write to put `data` at device offset `offset` of a guarded partition.
struct FlashPlan {
    std::vector<PlannedSector> sectors;
    std::uint64_t eraseBytes = 0;
    std::uint64_t writeBytes = 0;
    std::size_t skipped = 0;
};

/// The bytes that go to flash for an image: `data` placed at `offset`, widened to whole write blocks by
/// the erase value (so padding never changes a programmed byte). Errors: the range is not one the guard
/// lets be written (outside the partition, read-only).
struct FlashImage {
    std::uint64_t offset = 0; ///< device offset, write-block aligned
    std::vector<std::uint8_t> bytes;
    std::uint64_t end() const { return offset + bytes.size(); }
};
Result<FlashImage> prepareFlashImage(const PartitionGuard& guard, std::uint64_t offset,
                                     std::span<const std::uint8_t> data);

/// The sectors an image touches, in order (device offsets).
std::vector<Sector> sectorsTouched(const PartitionGuard& guard, const FlashImage& image);

/// The part of `image` that falls in `sector`.
std::span<const std::uint8_t> bytesIn(const FlashImage& image, const Sector& sector);

/// Plans the work: `states` has one entry per sector of sectorsTouched() (empty: all Unknown). A sector
/// that matches is skipped, an erased one only written, any other erased and written; `full` erases and
/// writes every sector whatever its state. Errors: a state count that does not match, or a plan the guard
/// refuses (it is checked step by step before it is returned).
Result<FlashPlan> planFlash(const PartitionGuard& guard, const FlashImage& image,
                            std::span<const SectorState> states, bool full);

} // namespace flashplan
