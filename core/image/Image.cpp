// SPDX-License-Identifier: Apache-2.0
#include "image/Image.h"

#include "util/Numbers.h"

#include <algorithm>
#include <array>

namespace flashplan {

namespace {

struct FormatName {
    ImageFormat format;
    std::string_view name;
    std::string_view title;
};
constexpr std::array kFormatNames{
    FormatName{ImageFormat::Binary, "bin", "Raw binary"},
    FormatName{ImageFormat::IntelHex, "hex", "Intel HEX"},
    FormatName{ImageFormat::SRecord, "srec", "Motorola S-record"},
    FormatName{ImageFormat::Elf, "elf", "ELF"},
};

/// "0x08000000..0x08000200": a half-open range of CPU addresses as the errors print it.
std::string rangeText(std::uint64_t begin, std::uint64_t end) {
    return formatAddress(begin) + ".." + formatAddress(end);
}

} // namespace

std::string_view to_string(ImageFormat format) {
    for (const FormatName& f : kFormatNames)
        if (f.format == format)
            return f.name;
    return "bin";
}

std::string_view imageFormatTitle(ImageFormat format) {
    for (const FormatName& f : kFormatNames)
        if (f.format == format)
            return f.title;
    return "Raw binary";
}

std::optional<ImageFormat> imageFormatFromString(std::string_view name) {
    for (const FormatName& f : kFormatNames)
        if (f.name == name)
            return f.format;
    return std::nullopt;
}

std::uint64_t Image::lowestAddress() const {
    return segments_.empty() ? 0 : segments_.front().address;
}

std::uint64_t Image::highestAddress() const {
    return segments_.empty() ? 0 : segments_.back().end() - 1;
}

std::uint64_t Image::endAddress() const {
    return segments_.empty() ? 0 : segments_.back().end();
}

std::uint64_t Image::totalSize() const {
    std::uint64_t total = 0;
    for (const Segment& s : segments_)
        total += s.size();
    return total;
}

std::span<const std::uint8_t> Image::bytesFrom(std::uint64_t address) const {
    // The first segment that ends after `address` is the only one that can hold it.
    const auto it = std::upper_bound(segments_.begin(), segments_.end(), address,
                                     [](std::uint64_t a, const Segment& s) { return a < s.end(); });
    if (it == segments_.end() || address < it->address)
        return {};
    return std::span<const std::uint8_t>(it->bytes).subspan(static_cast<std::size_t>(address - it->address));
}

std::optional<std::uint8_t> Image::byteAt(std::uint64_t address) const {
    const auto bytes = bytesFrom(address);
    if (bytes.empty())
        return std::nullopt;
    return bytes.front();
}

Result<std::vector<std::uint8_t>> Image::flatten(std::uint64_t from, std::uint64_t size,
                                                 std::uint8_t fill) const {
    if (size > kMaxFlattenSize)
        return makeError(Errc::OutOfRange, "cannot flatten " + formatSize(size) + " (the limit is " +
                                               formatSize(kMaxFlattenSize) + ")");
    if (addOverflows(from, size))
        return makeError(Errc::OutOfRange, "the range at " + formatAddress(from) + " wraps past 2^64");
    std::vector<std::uint8_t> out(static_cast<std::size_t>(size), fill);
    const std::uint64_t to = from + size;
    for (const Segment& s : segments_) {
        const std::uint64_t begin = std::max(from, s.address);
        const std::uint64_t end = std::min(to, s.end());
        if (begin >= end)
            continue;
        std::copy(s.bytes.begin() + static_cast<std::ptrdiff_t>(begin - s.address),
                  s.bytes.begin() + static_cast<std::ptrdiff_t>(end - s.address),
                  out.begin() + static_cast<std::ptrdiff_t>(begin - from));
    }
    return out;
}

Result<std::vector<std::uint8_t>> Image::flatten(std::uint8_t fill) const {
    return flatten(lowestAddress(), endAddress() - lowestAddress(), fill);
}

Result<void> ImageBuilder::add(std::uint64_t address, std::span<const std::uint8_t> bytes,
                               std::uint64_t where) {
    if (bytes.empty())
        return {};
    // end() must stay representable, so the last byte may sit at 2^64 - 2 at most.
    if (addOverflows(address, bytes.size()) || address + bytes.size() == UINT64_MAX) {
        Error e = makeError(Errc::OutOfRange, formatSize(bytes.size()) + " at " + formatAddress(address) +
                                                  " reach past the end of the address space");
        e.where.file = file_;
        if (unit_ == "line")
            e.where.line = static_cast<int>(std::min<std::uint64_t>(where, INT32_MAX));
        return e;
    }
    pieces_.push_back({address, bytes.size(), pool_.size(), where});
    pool_.insert(pool_.end(), bytes.begin(), bytes.end());
    return {};
}

Result<Image> ImageBuilder::build(ImageFormat format) && {
    // Files list their runs in address order almost always; stable_sort keeps that cheap and keeps the
    // file's order among equal addresses, so the error names the earlier piece first.
    std::stable_sort(pieces_.begin(), pieces_.end(),
                     [](const Piece& a, const Piece& b) { return a.address < b.address; });
    Image image;
    image.format = format;
    const Piece* reach = nullptr; // the piece that reaches furthest among those seen so far
    for (const Piece& p : pieces_) {
        if (reach && p.address < reach->address + reach->size) {
            const Piece& first = reach->where <= p.where ? *reach : p;
            const Piece& second = reach->where <= p.where ? p : *reach;
            const std::uint64_t overlapBegin = p.address;
            const std::uint64_t overlapEnd = std::min(p.address + p.size, reach->address + reach->size);
            Error e =
                makeError(Errc::Schema, unit_ + " " + std::to_string(second.where) + " (" +
                                            rangeText(second.address, second.address + second.size) +
                                            ") overlaps " + unit_ + " " + std::to_string(first.where) + " (" +
                                            rangeText(first.address, first.address + first.size) + ") at " +
                                            rangeText(overlapBegin, overlapEnd));
            e.where.file = file_;
            if (unit_ == "line")
                e.where.line = static_cast<int>(std::min<std::uint64_t>(second.where, INT32_MAX));
            return e;
        }
        if (!reach || p.address + p.size > reach->address + reach->size)
            reach = &p;
        const auto first = pool_.begin() + static_cast<std::ptrdiff_t>(p.poolOffset);
        const auto last = first + static_cast<std::ptrdiff_t>(p.size);
        if (!image.segments_.empty() && image.segments_.back().end() == p.address)
            image.segments_.back().bytes.insert(image.segments_.back().bytes.end(), first, last);
        else
            image.segments_.push_back(Segment{p.address, std::vector<std::uint8_t>(first, last)});
    }
    return image;
}

} // namespace flashplan
