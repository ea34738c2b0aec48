// SPDX-License-Identifier: Apache-2.0
#pragma once
// Partition Manager regions and Flashplan devices. A pm_static.yml places each partition in a region
// (flash_primary, external_flash, sram_primary, otp, ram_flash, ...) by address; Flashplan places it on a
// device by offset. This maps one onto the other, both ways.

#include "io/nordic/PmEntry.h"
#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <string>
#include <vector>

namespace flashplan::pm {

/// Where the regions of one file went.
struct RegionMap {
    struct Region {
        std::string name;   ///< the region
        std::string device; ///< FlashDevice::id
        std::uint64_t base; ///< the address of the device's offset 0 in the region's addressing
    };
    Board board;          ///< the database board, plus devices inferred for regions it lacks
    std::string boardRef; ///< the database id when the board is unchanged, else empty
    std::vector<Region> regions;
    std::vector<Diagnostic> notes;

    const Region* find(std::string_view region) const;
};

/// Places every region the entries use on a device, in order of first use. With `board` (--board),
/// flash_primary goes to the board's internal flash that holds its addresses, external_flash to the
/// board's first external flash (Errc::NotFound, naming the partitions, when it has none), and any other
/// region to a device inferred from the file and added to the board. Without a board every region becomes
/// an inferred device named after it (inferDevice), with an inferredGeometryNote.
/// `parents` (parallel to `entries`) leaves nested partitions out of the sector size guess: only top-level
/// partitions are erased as a whole.
Result<RegionMap> mapRegions(const std::vector<PmEntry>& entries, const std::vector<std::string>& parents,
                             const Board* board, const std::string& fileName);

/// The region a device's partitions are written in: the layout's "pm.region.<device>" property when the
/// import set one, else flash_primary for internal flash and external_flash for the rest.
std::string regionOfDevice(const Layout& layout, const FlashDevice& device);

/// The address of the device's offset 0 as pm_static.yml counts: the CPU address for on-chip memory,
/// 0 for external flash (the Partition Manager gives external flash offsets, not XIP addresses).
std::uint64_t regionBase(const FlashDevice& device);

} // namespace flashplan::pm
