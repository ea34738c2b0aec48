// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/SlotTrailer.h"
#include "boot/TrailerRequest.h"
#include "image/Image.h"
#include "model/Layout.h"
#include "program/FlashPlan.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>

namespace flashplan {

/// An image made by `imgtool sign --pad` fills its slot, trailer area included: the image proper, then
/// the erase value, then the trailer of the request it carries. Split, the image alone is what fits the
/// slot and the request is what the trailer area must hold.
struct UnpaddedImage {
    Image image; ///< the image up to its last byte that is not padding (the trailer area cut off)
    mcuboot::UpgradeRequest request = mcuboot::UpgradeRequest::None;
};

/// Whether `image`, placed in the slot of `trailer` at device offset `imageOffset` (where fitImage() put
/// its first byte), reaches into the slot's trailer area and holds there exactly the bytes
/// requestTrailer() gives for no request, a test or a permanent one (which is also what a confirm
/// leaves): then the image without that padding, and the request (Permanent read as Confirm for a
/// primary slot). nullopt when the image stops before the trailer area, or holds anything else there
/// (it is then simply too large for the slot).
std::optional<UnpaddedImage> unpadImage(const Image& image, std::uint64_t imageOffset, const Partition& slot,
                                        const mcuboot::SlotTrailer& trailer);

/// Whether a request may be written to this slot: test and permanent to a secondary slot, confirm to a
/// primary one. Errc::InvalidArgument naming the slot and the request otherwise.
Result<void> checkRequest(const mcuboot::SlotTrailer& trailer, const Partition& slot,
                          mcuboot::UpgradeRequest request);

/// What a flash leaves at the end of an MCUboot slot: the last `reserve` bytes (at least the trailer
/// area) erased, with the request's fields (requestTrailer()) written over them. Device offsets.
FlashRun trailerRun(const Partition& slot, const mcuboot::SlotTrailer& trailer, std::uint64_t reserve,
                    mcuboot::UpgradeRequest request);

} // namespace flashplan
