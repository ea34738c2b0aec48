// SPDX-License-Identifier: Apache-2.0
#include "program/SlotRequest.h"

#include <algorithm>

namespace flashplan {

using mcuboot::UpgradeRequest;

std::optional<UnpaddedImage> unpadImage(const Image& image, std::uint64_t imageOffset, const Partition& slot,
                                        const mcuboot::SlotTrailer& trailer) {
    const mcuboot::TrailerLayout& layout = trailer.trailer;
    const std::uint64_t areaOffset = slot.offset + layout.areaStart; // device offset
    if (image.empty() || imageOffset < slot.offset || imageOffset >= areaOffset)
        return std::nullopt;
    const std::uint64_t areaAddress = image.lowestAddress() + (areaOffset - imageOffset);
    if (image.endAddress() <= areaAddress || image.endAddress() > areaAddress + layout.areaSize())
        return std::nullopt;
    // The area as the image has it; bytes it does not give read as erased, as they would be.
    auto area = image.flatten(areaAddress, layout.areaSize(), trailer.erasedValue);
    if (!area)
        return std::nullopt;
    std::optional<UpgradeRequest> found;
    for (UpgradeRequest r : {UpgradeRequest::None, UpgradeRequest::Test, UpgradeRequest::Permanent}) {
        const mcuboot::TrailerBytes want = mcuboot::requestTrailer(layout, r, trailer.erasedValue);
        if (want.offset == layout.areaStart && want.bytes == *area) {
            found = r;
            break;
        }
    }
    if (!found)
        return std::nullopt;
    if (*found == UpgradeRequest::Permanent && trailer.isPrimary())
        found = UpgradeRequest::Confirm;

    // The image proper: everything below the area, less the erased padding imgtool put before it.
    std::uint64_t end = image.lowestAddress();
    for (const Segment& s : image.segments()) {
        const std::uint64_t to = std::min(s.end(), areaAddress);
        for (std::uint64_t a = to; a > s.address; --a)
            if (s.bytes[static_cast<std::size_t>(a - 1 - s.address)] != trailer.erasedValue) {
                end = std::max(end, a);
                break;
            }
    }
    if (end == image.lowestAddress())
        return std::nullopt; // all padding: nothing to flash
    ImageBuilder builder("", "segment");
    std::uint64_t index = 0;
    for (const Segment& s : image.segments()) {
        if (s.address >= end)
            break;
        const auto n = static_cast<std::size_t>(std::min(s.end(), end) - s.address);
        if (!builder.add(s.address, std::span(s.bytes).first(n), index++))
            return std::nullopt;
    }
    auto built = std::move(builder).build(image.format);
    if (!built)
        return std::nullopt;
    UnpaddedImage out{std::move(*built), *found};
    out.image.absolute = image.absolute;
    out.image.startAddress = image.startAddress;
    out.image.detail = image.detail;
    return out;
}

Result<void> checkRequest(const mcuboot::SlotTrailer& trailer, const Partition& slot,
                          UpgradeRequest request) {
    const bool primary = trailer.isPrimary();
    const bool fits = request == UpgradeRequest::None ||
                      (primary ? request == UpgradeRequest::Confirm : request != UpgradeRequest::Confirm);
    if (fits)
        return {};
    Error e = makeError(Errc::InvalidArgument,
                        std::string("a ") + std::string(mcuboot::to_string(request)) + " request is for " +
                            (primary ? "the secondary slot (MCUboot swaps it in)"
                                     : "the primary slot (it confirms the image that runs)") +
                            ", and " + slot.label + " is the " + (primary ? "primary" : "secondary") +
                            " slot of image " + std::to_string(trailer.image) + "; " +
                            (primary ? "confirm" : "test or permanent") + " is what it takes");
    e.field = slot.label;
    return e;
}

FlashRun trailerRun(const Partition& slot, const mcuboot::SlotTrailer& trailer, std::uint64_t reserve,
                    UpgradeRequest request) {
    const mcuboot::TrailerBytes bytes =
        mcuboot::requestTrailer(trailer.trailer, request, trailer.erasedValue);
    const std::uint64_t start = std::min(slot.size - std::min(reserve, slot.size), bytes.offset);
    FlashRun run;
    run.offset = slot.offset + start;
    run.bytes.assign(static_cast<std::size_t>(slot.size - start), trailer.erasedValue);
    std::copy(bytes.bytes.begin(), bytes.bytes.end(),
              run.bytes.begin() + static_cast<std::ptrdiff_t>(bytes.offset - start));
    return run;
}

} // namespace flashplan
