// SPDX-License-Identifier: Apache-2.0
#pragma once
// MCUboot's image format, as mcu-tools/mcuboot boot/bootutil/include/bootutil/image.h defines it (all
// fields little-endian):
//
//   offset 0   struct image_header (32 bytes): ih_magic 0x96f3b83d, ih_load_addr, ih_hdr_size (u16),
//              ih_protect_tlv_size (u16), ih_img_size, ih_flags, ih_ver {u8 major, u8 minor,
//              u16 revision, u32 build_num}, pad
//   ih_hdr_size                       the payload, ih_img_size bytes
//   ih_hdr_size + ih_img_size         protected TLV area, only when ih_protect_tlv_size > 0: a
//                                     struct image_tlv_info {u16 magic 0x6908, u16 tlv_tot} whose tlv_tot
//                                     equals ih_protect_tlv_size and counts the info itself, then TLVs
//   ... + ih_protect_tlv_size         unprotected TLV area: image_tlv_info {0x6907, tlv_tot}, then TLVs
//   each TLV                          struct image_tlv {u16 it_type, u16 it_len} and it_len bytes
//
// bootutil (image_validate.c, boot_read_image_size) rejects an image whose protected info is missing
// while ih_protect_tlv_size says it is there, or whose tlv_tot disagrees with it; so does this parser.

#include "model/Diagnostic.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// struct image_version: major.minor.revision+build.
struct McubootVersion {
    std::uint8_t major = 0;
    std::uint8_t minor = 0;
    std::uint16_t revision = 0;
    std::uint32_t build = 0;
    /// "1.2.3+4", as imgtool's --version takes it.
    std::string toString() const;
    friend bool operator==(const McubootVersion&, const McubootVersion&) = default;
};

/// One TLV: where it starts (offset from the image's first byte, at its image_tlv header), its type and
/// the length of its value.
struct McubootTlv {
    std::uint16_t type = 0;
    std::uint16_t length = 0;
    std::uint64_t offset = 0;
    bool isProtected = false; ///< in the protected area (covered by the hash and signature)
    friend bool operator==(const McubootTlv&, const McubootTlv&) = default;
};

/// What an MCUboot image's header and TLV areas say, and what is wrong with them.
struct McubootHeader {
    static constexpr std::uint32_t kMagic = 0x96f3b83d;
    static constexpr std::uint16_t kTlvInfoMagic = 0x6907;
    static constexpr std::uint16_t kProtectedTlvInfoMagic = 0x6908;
    static constexpr std::uint16_t kHeaderStructSize = 32;

    std::uint32_t loadAddress = 0;      ///< ih_load_addr (meaningful with IMAGE_F_RAM_LOAD / ROM_FIXED)
    std::uint16_t headerSize = 0;       ///< ih_hdr_size: where the payload starts
    std::uint16_t protectedTlvSize = 0; ///< ih_protect_tlv_size, including its image_tlv_info
    std::uint32_t imageSize = 0;        ///< ih_img_size: the payload, header and TLVs not included
    std::uint32_t flags = 0;            ///< ih_flags, IMAGE_F_*
    McubootVersion version;
    /// Bytes of the unprotected TLV area, its image_tlv_info included (tlv_tot); 0 when it is missing.
    std::uint64_t unprotectedTlvSize = 0;
    std::vector<McubootTlv> tlvs; ///< protected first, in file order
    /// What is wrong: errors for what MCUboot would refuse (a size field pointing past the file, a TLV
    /// area that is truncated or has the wrong magic), warnings for what is merely unusual (no TLVs yet).
    /// Rule ids "image.mcuboot-*".
    std::vector<Diagnostic> findings;

    /// Both TLV areas, info headers included.
    std::uint64_t tlvAreaSize() const { return std::uint64_t(protectedTlvSize) + unprotectedTlvSize; }
    /// Header, payload and TLVs: the bytes the image occupies in its slot before the trailer.
    std::uint64_t totalSize() const { return std::uint64_t(headerSize) + imageSize + tlvAreaSize(); }
};

/// True when the bytes start with MCUboot's IMAGE_MAGIC (little-endian).
bool hasMcubootMagic(std::span<const std::uint8_t> bytes);

/// Reads the header and TLV areas at the start of `bytes` (an image's first bytes, as far as they run
/// without a gap). std::nullopt when there is no IMAGE_MAGIC. Never reads outside `bytes`: what does not
/// fit is reported in findings instead.
std::optional<McubootHeader> parseMcubootHeader(std::span<const std::uint8_t> bytes);

/// "SHA256", "ECDSA_SIG", ... (IMAGE_TLV_* without the prefix); "vendor 0x1a0" for a vendor-reserved type
/// and "0x77" for one not known.
std::string mcubootTlvName(std::uint16_t type);
/// The names of the IMAGE_F_* flags set ("RAM_LOAD", "ENCRYPTED_AES128", ...), unknown bits as hex.
std::vector<std::string> mcubootFlagNames(std::uint32_t flags);

} // namespace flashplan
