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

/// Bytes for flash at a device offset.
struct FlashRun {
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> bytes;
    std::uint64_t end() const { return offset + bytes.size(); }
    friend bool operator==(const FlashRun&, const FlashRun&) = default;
};

/// The bytes that go to flash for a job: runs in address order, each widened to whole write blocks by the
/// erase value (so padding never changes a programmed byte), and no two in one sector: runs that share a
/// sector are joined, the gap filled with the erase value, so each sector has at most one range to
/// compare and write. An image is one run; an MCUboot slot's trailer area (erased, or a request) is
/// another.
struct FlashImage {
    std::vector<FlashRun> runs;
    /// Bytes over all runs.
    std::uint64_t size() const;
};

/// The image `data` at `offset` plus the runs of `more`. Errors: a range the guard does not let be
/// written (outside the partition, read-only), runs that overlap.
Result<FlashImage> prepareFlashImage(const PartitionGuard& guard, std::uint64_t offset,
                                     std::span<const std::uint8_t> data, std::span<const FlashRun> more = {});

/// The sectors an image touches, in order (device offsets).
std::vector<Sector> sectorsTouched(const PartitionGuard& guard, const FlashImage& image);

/// The part of `image` that falls in `sector`: its device offset and bytes (empty when none).
struct SectorBytes {
    std::uint64_t offset = 0;
    std::span<const std::uint8_t> bytes;
};
SectorBytes bytesIn(const FlashImage& image, const Sector& sector);

/// Plans the work: `states` has one entry per sector of sectorsTouched() (empty: all Unknown). A sector
/// that matches is skipped, an erased one only written, any other erased and written; `full` erases and
/// writes every sector whatever its state. On a device that erases, write blocks of the erase value at the
/// start and end of a sector's range are not written (the erase left them so): NOR with ECC (STM32L4, H7)
/// takes one program per double word, so programming 0xff there would spoil it for the bootloader's own
/// later writes (MCUboot's trailer). A sector whose range is all erase value is only erased. Errors: a state
/// count that does not match, or a plan the guard refuses (it is checked step by step before it is returned).
Result<FlashPlan> planFlash(const PartitionGuard& guard, const FlashImage& image,
                            std::span<const SectorState> states, bool full);

} // namespace flashplan
