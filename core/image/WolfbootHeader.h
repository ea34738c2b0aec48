// SPDX-License-Identifier: Apache-2.0
#pragma once
// wolfBoot's manifest header, as wolfSSL/wolfBoot include/wolfboot/wolfboot.h and docs/firmware_image.md
// define it (all numbers little-endian):
//
//   offset 0   magic "WOLF" (WOLFBOOT_MAGIC 0x464c4f57)
//   offset 4   image size: the firmware after the header, the header not included
//   offset 8   (IMAGE_HEADER_OFFSET) TLVs up to IMAGE_HEADER_SIZE (256 by default; 512 or 1024 for the
//              larger keys): u16 type, u16 length, value. A byte 0xff is one byte of padding (the
//              signing tool fills the header with 0xff and aligns tags), a tag never starts at an odd
//              offset, type 0x0000 (HDR_END) ends the list. Tags: 0x01 version (u32), 0x02 timestamp
//              (u64), 0x03 SHA256, 0x04 image type (u16: low nibble the partition id, high byte the
//              auth key type), 0x10 public key hint, 0x13/0x14 SHA3-384/SHA384, 0x20 signature...
//   IMAGE_HEADER_SIZE                 the firmware, image size bytes
//
// The walk follows wolfBoot_find_header() in src/libwolfboot.c: padding and odd offsets skipped, a tag
// whose length runs past the header ends it.

#include "model/Diagnostic.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flashplan {

/// One tag of the header: its offset from the image's first byte, type and value length.
struct WolfbootTlv {
    std::uint16_t type = 0;
    std::uint16_t length = 0;
    std::uint64_t offset = 0;
    friend bool operator==(const WolfbootTlv&, const WolfbootTlv&) = default;
};

/// What a wolfBoot image's header says, and what is wrong with it.
struct WolfbootHeader {
    static constexpr std::uint32_t kMagic = 0x464c4f57;  ///< "WOLF" read as a little-endian u32
    static constexpr std::uint32_t kFixedFieldsSize = 8; ///< IMAGE_HEADER_OFFSET: magic and size
    static constexpr std::uint32_t kDefaultHeaderSize = 256;

    std::uint32_t imageSize = 0;  ///< the firmware after the header
    std::uint32_t headerSize = 0; ///< the IMAGE_HEADER_SIZE it was read with
    /// True when headerSize was taken from the file (its length is exactly header + image size for one of
    /// 256, 512 or 1024) or given by the caller; false when the default 256 was assumed.
    bool headerSizeKnown = false;
    std::optional<std::uint32_t> version;   ///< HDR_VERSION
    std::optional<std::uint64_t> timestamp; ///< HDR_TIMESTAMP, Unix seconds
    std::optional<std::uint16_t> imageType; ///< HDR_IMG_TYPE
    std::vector<WolfbootTlv> tlvs;          ///< in header order
    /// Errors for what wolfBoot would refuse (a size that points past the file, a tag that runs past the
    /// header), warnings for a missing version or digest, an info when the header size was assumed. Rule
    /// ids "image.wolfboot-*".
    std::vector<Diagnostic> findings;

    /// The header and the firmware: what the image occupies in its partition before the trailer.
    std::uint64_t totalSize() const { return std::uint64_t(headerSize) + imageSize; }
    /// The bytes of the header the tags use, up to the end of the last one (the rest is 0xff padding).
    std::uint64_t tlvBytesUsed() const;
};

/// True when the bytes start with "WOLF".
bool hasWolfbootMagic(std::span<const std::uint8_t> bytes);

/// Reads the header at the start of `bytes` (an image's first bytes). `headerSize` is IMAGE_HEADER_SIZE
/// when the caller knows it; 0 infers it from the length of `bytes` and else assumes 256. std::nullopt
/// when there is no "WOLF" magic. Never reads outside `bytes`.
std::optional<WolfbootHeader> parseWolfbootHeader(std::span<const std::uint8_t> bytes,
                                                  std::uint32_t headerSize = 0);

/// "VERSION", "SHA256", "SIGNATURE", ... (HDR_* without the prefix); "custom 0x34" for others.
std::string wolfbootTlvName(std::uint16_t type);
/// The HDR_IMG_TYPE in words: "application, ECC256", "wolfBoot, ED25519, delta".
std::string wolfbootImageTypeText(std::uint16_t imageType);

} // namespace flashplan
