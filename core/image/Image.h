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

/// The file formats a firmware image comes in.
enum class ImageFormat {
    Binary,   ///< raw bytes (.bin): no addresses of its own
    IntelHex, ///< Intel HEX records (.hex)
    SRecord,  ///< Motorola S-records (.srec, .s19, .s28, .s37, .mot)
    Elf,      ///< an ELF executable's PT_LOAD segments (.elf, .axf)
};

/// "bin", "hex", "srec", "elf": the names of --format and of the JSON output.
std::string_view to_string(ImageFormat format);
std::optional<ImageFormat> imageFormatFromString(std::string_view name);
/// "Raw binary", "Intel HEX", "Motorola S-record", "ELF": a format's name for people (file dialogs).
std::string_view imageFormatTitle(ImageFormat format);

/// A run of bytes at consecutive addresses.
struct Segment {
    std::uint64_t address = 0;
    std::vector<std::uint8_t> bytes;

    std::uint64_t size() const { return bytes.size(); }
    /// One past the last byte; never wraps (Image keeps address + size <= 2^64 - 1).
    std::uint64_t end() const { return address + bytes.size(); }
    friend bool operator==(const Segment&, const Segment&) = default;
};

/// A firmware image as a programmer sees it: bytes at addresses. Segments are sorted by address, never
/// overlap and never touch (touching runs are merged), so "the bytes at an address" has one answer.
/// Built through ImageBuilder, which refuses overlapping input.
class Image {
public:
    Image() = default;

    ImageFormat format = ImageFormat::Binary;
    /// False for a raw binary read without a base address: its addresses count from 0 and mean "from the
    /// start of wherever it is placed" (a slot's first byte). True when the addresses are the CPU addresses
    /// the file (or the caller's --base) gave.
    bool absolute = true;
    /// The entry point (ELF e_entry, Intel HEX type 03/05, S7/S8/S9), when the file names one. A type 03
    /// CS:IP is given as the linear address CS * 16 + IP.
    std::optional<std::uint64_t> startAddress;
    /// What the file says about itself, for people: an S0 header's text, an ELF's class and machine.
    std::string detail;

    const std::vector<Segment>& segments() const { return segments_; }
    bool empty() const { return segments_.empty(); }

    /// The first byte's address; 0 for an empty image.
    std::uint64_t lowestAddress() const;
    /// The last byte's address (inclusive); 0 for an empty image.
    std::uint64_t highestAddress() const;
    /// One past the last byte (lowestAddress() for an empty image).
    std::uint64_t endAddress() const;
    /// The number of bytes the segments hold (the gaps between segments not counted).
    std::uint64_t totalSize() const;

    /// The byte at `address`, if a segment holds it.
    std::optional<std::uint8_t> byteAt(std::uint64_t address) const;
    /// The bytes from `address` to the end of the segment that holds it; empty when none does. Header
    /// parsers read an image's first bytes through this.
    std::span<const std::uint8_t> bytesFrom(std::uint64_t address) const;

    /// The largest range flatten() builds (256 MiB): far beyond any microcontroller flash, small enough
    /// that an ELF with segments 3 GiB apart cannot exhaust memory.
    static constexpr std::uint64_t kMaxFlattenSize = 256ull << 20;
    /// The bytes of [from, from + size), with `fill` where no segment has a byte (use the flash's erase
    /// value, so gaps read as erased). Errc::OutOfRange when size exceeds kMaxFlattenSize or the range
    /// wraps past 2^64.
    Result<std::vector<std::uint8_t>> flatten(std::uint64_t from, std::uint64_t size,
                                              std::uint8_t fill = 0xff) const;
    /// flatten() over [lowestAddress(), endAddress()).
    Result<std::vector<std::uint8_t>> flatten(std::uint8_t fill = 0xff) const;

    friend bool operator==(const Image&, const Image&) = default;

private:
    friend class ImageBuilder;
    std::vector<Segment> segments_;
};

/// Collects the bytes of a file in the order it lists them (records, program headers) and makes an
/// Image of them: sorted, merged where runs touch, and refused where two runs overlap, naming both by
/// where they came from ("line 12", "program header 2").
class ImageBuilder {
public:
    /// `fileName` goes into errors; `unit` names what a piece came from ("line", "program header").
    ImageBuilder(std::string fileName, std::string unit)
        : file_(std::move(fileName)), unit_(std::move(unit)) {}

    /// Adds bytes at an address; `where` is the line number or index that errors quote. Empty runs are
    /// ignored. Errc::OutOfRange when the run would reach past address 2^64 - 1.
    Result<void> add(std::uint64_t address, std::span<const std::uint8_t> bytes, std::uint64_t where);

    /// The image; Errc::Schema naming both pieces when two of them overlap (at the first overlap, in
    /// address order).
    Result<Image> build(ImageFormat format) &&;

private:
    struct Piece {
        std::uint64_t address;
        std::uint64_t size;
        std::uint64_t poolOffset;
        std::uint64_t where;
    };
    std::string file_;
    std::string unit_;
    std::vector<Piece> pieces_;
    std::vector<std::uint8_t> pool_; ///< every piece's bytes, in the order they were added
};

} // namespace flashplan
