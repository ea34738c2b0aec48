// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"
#include "image/ImageHeader.h"
#include "model/Layout.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flashplan {

/// What the caller knows that the image does not say.
struct FitOptions {
    /// Bytes at the end of the slot that the bootloader keeps for itself (MCUboot's image trailer with
    /// its swap status, wolfBoot's partition state); the image may not reach into them. The size depends
    /// on the bootloader's configuration, so the caller works it out.
    std::uint64_t trailerReserve = 0;
};

/// One segment of the image where it lands: device offset, size, and CPU address when the device is
/// memory-mapped.
struct PlacedRange {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::optional<std::uint64_t> cpuAddress;
    std::uint64_t end() const { return offset + size; }
    friend bool operator==(const PlacedRange&, const PlacedRange&) = default;
};

/// Where an image lands in a partition, and whether it fits once its header, TLVs and the trailer
/// reserve are counted.
struct ImageFit {
    std::size_t partition = 0; ///< index into Layout::partitions
    std::string device;        ///< FlashDevice::id
    std::vector<PlacedRange> ranges;
    std::uint64_t offset = 0; ///< device offset of the image's first byte
    /// Device offset one past the last byte the image occupies: its last byte, or the end of what its
    /// header says it spans (header + payload + TLVs), whichever is further.
    std::uint64_t end = 0;
    std::uint64_t used = 0;      ///< bytes of the partition from its start up to `end`
    std::uint64_t available = 0; ///< partition size less the trailer reserve (0 when the reserve is larger)
    std::uint64_t trailerReserve = 0;
    bool fits = false;           ///< used <= available
    std::uint64_t freeBytes = 0; ///< available - used when it fits, else 0
    std::uint64_t shortfall = 0; ///< used - available when it does not fit, else 0
};

/// Places `image` in partition `partitionIndex` of `layout`. An image with absolute addresses (HEX,
/// S-record, ELF, a .bin given a base) lands where its CPU addresses say, turned into device offsets
/// through the device's cpuBase (or its XIP window); a relative raw binary starts at the partition's
/// first byte.
///
/// Errors, each naming the partition in Error::field:
/// - Errc::InvalidArgument: no such partition, or an empty image;
/// - Errc::NotFound: the partition's device is not on the board;
/// - Errc::NotSupported: absolute addresses on a device that has no CPU address;
/// - Errc::OutOfRange: bytes outside the partition (below the device, past its end, in flash no
///   partition covers, or in another partition) or in another partition that overlaps it; the message
///   gives the exact range in hex, as device offsets and CPU addresses, and the other partition's label.
/// A placement that lands inside the partition but reaches into the trailer reserve is not an error: it
/// returns fits = false with the shortfall.
Result<ImageFit> fitImage(const Image& image, const ImageHeader& header, const Layout& layout,
                          std::size_t partitionIndex, const FitOptions& options = {});

} // namespace flashplan
