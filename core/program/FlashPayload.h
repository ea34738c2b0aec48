// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/ImageFit.h"
#include "model/Layout.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace flashplan {

/// The bytes a programmer puts into a partition for an image, and where: the image's first to last byte
/// as one run (gaps between its segments filled with the device's erase value), at the device offset
/// fitImage() placed it.
struct FlashPayload {
    ImageFit fit;
    std::uint64_t offset = 0; ///< device offset of bytes[0]
    std::vector<std::uint8_t> bytes;
};

/// The bytes at the end of a partition that its bootloader keeps for itself and an image may not use:
/// MCUboot's image trailer for a primary or secondary slot of an MCUboot layout (slot size less the
/// largest image bootutil accepts), 0 anywhere else.
std::uint64_t bootloaderReserve(const Layout& layout, std::size_t partition);

/// Fits `image` into `partition` (counting its header, TLVs and `reserve`, by default bootloaderReserve())
/// and flattens it. Errors, before any byte moves: those of fitImage() (bytes outside the partition or in
/// another one, with the exact range), and imageTooLarge() when the image does not fit.
Result<FlashPayload> payloadFor(const Image& image, const ImageHeader& header, const Layout& layout,
                                std::size_t partition, std::optional<std::uint64_t> reserve = std::nullopt);

/// Errc::OutOfRange for a placement that does not fit: how many bytes the image needs and how many the
/// partition has, the trailer named when there is one.
Error imageTooLarge(const ImageFit& fit, const Partition& partition);

} // namespace flashplan
