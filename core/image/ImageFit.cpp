// SPDX-License-Identifier: Apache-2.0
#include "image/ImageFit.h"

#include "util/Numbers.h"

#include <algorithm>

namespace flashplan {

namespace {

/// The CPU address of device offset 0 that an absolute image's addresses are relative to: the device's
/// base, else the start of its XIP window (an external NOR read in place).
std::optional<std::uint64_t> addressBase(const FlashDevice& device) {
    if (device.cpuBase)
        return device.cpuBase;
    if (device.xip)
        return device.xip->address;
    return std::nullopt;
}

/// "offset 0x80000..0x80200 (CPU 0x08080000..0x08080200)": a device range as the errors print it.
std::string rangeText(std::uint64_t begin, std::uint64_t end, std::optional<std::uint64_t> base) {
    std::string text = "offset " + formatHex(begin) + ".." + formatHex(end);
    if (base && !addOverflows(*base, end))
        text += " (CPU " + formatAddress(*base + begin) + ".." + formatAddress(*base + end) + ")";
    return text;
}

Error fitError(Errc code, const Partition& p, std::string message) {
    Error e = makeError(code, std::move(message));
    e.field = p.label;
    return e;
}

/// The partitions of the same device that are neither `p`, nor one of its ancestors (which contain it),
/// nor one of its descendants (which it contains): the ones an image for `p` must not touch.
std::vector<const Partition*> foreignPartitions(const Layout& layout, const Partition& p) {
    std::vector<const Partition*> out;
    for (const Partition& q : layout.partitions)
        if (&q != &p && q.device == p.device && !layout.isAncestor(q, p) && !layout.isAncestor(p, q))
            out.push_back(&q);
    std::sort(out.begin(), out.end(),
              [](const Partition* a, const Partition* b) { return a->offset < b->offset; });
    return out;
}

/// The first of `others` that shares a byte with [begin, end), or nullptr.
const Partition* firstOverlap(const std::vector<const Partition*>& others, std::uint64_t begin,
                              std::uint64_t end) {
    for (const Partition* q : others)
        if (q->offset < end && begin < q->end())
            return q;
    return nullptr;
}

/// The nearest ancestor of `p` that holds all of [begin, end), or nullptr.
const Partition* enclosingAncestor(const Layout& layout, const Partition& p, std::uint64_t begin,
                                   std::uint64_t end) {
    const Partition* best = nullptr;
    for (const Partition& q : layout.partitions)
        if (q.device == p.device && layout.isAncestor(q, p) && q.offset <= begin && end <= q.end() &&
            (!best || q.size < best->size))
            best = &q;
    return best;
}

} // namespace

Result<ImageFit> fitImage(const Image& image, const ImageHeader& header, const Layout& layout,
                          std::size_t partitionIndex, const FitOptions& options) {
    if (partitionIndex >= layout.partitions.size())
        return makeError(Errc::InvalidArgument,
                         "no partition with index " + std::to_string(partitionIndex) + " in the layout");
    const Partition& p = layout.partitions[partitionIndex];
    if (image.empty())
        return fitError(Errc::InvalidArgument, p, "the image has no bytes to place");
    const FlashDevice* device = layout.deviceOf(p);
    if (!device)
        return fitError(Errc::NotFound, p, "its device '" + p.device + "' is not on the board");
    const std::optional<std::uint64_t> base = addressBase(*device);
    if (image.absolute && !base)
        return fitError(Errc::NotSupported, p,
                        device->id + " has no CPU address, so an image with absolute addresses (from " +
                            formatAddress(image.lowestAddress()) +
                            ") cannot be placed on it; give the raw .bin instead");

    ImageFit fit;
    fit.partition = partitionIndex;
    fit.device = device->id;
    fit.trailerReserve = options.trailerReserve;
    const std::string where = p.label + " (" + rangeText(p.offset, p.end(), base) + ")";
    for (const Segment& s : image.segments()) {
        std::uint64_t offset = 0;
        if (image.absolute) {
            if (s.address < *base)
                return fitError(Errc::OutOfRange, p,
                                "the image's bytes at " + formatAddress(s.address) + ".." +
                                    formatAddress(std::min(s.end(), *base)) + " lie below " + device->id +
                                    ", which starts at " + formatAddress(*base));
            offset = s.address - *base;
        } else {
            const std::uint64_t relative = s.address - image.lowestAddress();
            if (addOverflows(p.offset, relative) || addOverflows(p.offset + relative, s.size()))
                return fitError(Errc::OutOfRange, p, "the image reaches past the end of the address space");
            offset = p.offset + relative;
        }
        fit.ranges.push_back(
            {offset, s.size(),
             base && !addOverflows(*base, offset) ? std::optional(*base + offset) : std::nullopt});
    }

    const auto others = foreignPartitions(layout, p);
    for (const PlacedRange& r : fit.ranges) {
        // The parts of the range before and after the partition, in address order.
        const std::pair<std::uint64_t, std::uint64_t> outside[] = {
            {r.offset, std::min(r.end(), p.offset)},
            {std::max(r.offset, p.end()), r.end()},
        };
        for (const auto& [begin, end] : outside) {
            if (begin >= end)
                continue;
            std::string message =
                "the image's bytes at " + rangeText(begin, end, base) + " lie outside " + where;
            if (const Partition* q = firstOverlap(others, begin, end))
                message += ", in " + q->label + " (overlap " +
                           rangeText(std::max(begin, q->offset), std::min(end, q->end()), base) + ")";
            else if (const Partition* parent = enclosingAncestor(layout, p, begin, end))
                message += ", in the rest of " + parent->label;
            else if (end > device->size())
                message += ", past the end of " + device->id + " (" + formatSize(device->size()) + ")";
            else
                message += ", in flash that no partition covers";
            return fitError(Errc::OutOfRange, p, message);
        }
        if (const Partition* q = firstOverlap(others, r.offset, r.end()))
            return fitError(Errc::OutOfRange, p,
                            "the image's bytes at " +
                                rangeText(std::max(r.offset, q->offset), std::min(r.end(), q->end()), base) +
                                " lie in " + q->label + " too, which overlaps " + p.label);
    }

    fit.offset = fit.ranges.front().offset;
    fit.end = fit.ranges.back().end();
    // A header that says the image spans further than its bytes (a truncated file) still claims the space.
    if (header.totalSize() > 0 && !addOverflows(fit.offset, header.totalSize()))
        fit.end = std::max(fit.end, fit.offset + header.totalSize());
    fit.used = fit.end - p.offset;
    fit.available = p.size > options.trailerReserve ? p.size - options.trailerReserve : 0;
    fit.fits = fit.used <= fit.available;
    fit.freeBytes = fit.fits ? fit.available - fit.used : 0;
    fit.shortfall = fit.fits ? 0 : fit.used - fit.available;
    return fit;
}

} // namespace flashplan
