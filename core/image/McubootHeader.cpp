// SPDX-License-Identifier: Apache-2.0
#include "image/McubootHeader.h"

#include "image/ByteReader.h"
#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {

struct Named {
    std::uint32_t value;
    std::string_view name;
};

// IMAGE_TLV_* of bootutil/image.h.
constexpr std::array kTlvNames{
    Named{0x01, "KEYHASH"},       Named{0x02, "PUBKEY"},
    Named{0x10, "SHA256"},        Named{0x11, "SHA384"},
    Named{0x12, "SHA512"},        Named{0x20, "RSA2048_PSS"},
    Named{0x21, "ECDSA224"},      Named{0x22, "ECDSA_SIG"},
    Named{0x23, "RSA3072_PSS"},   Named{0x24, "ED25519"},
    Named{0x25, "SIG_PURE"},      Named{0x30, "ENC_RSA2048"},
    Named{0x31, "ENC_KW"},        Named{0x32, "ENC_EC256"},
    Named{0x33, "ENC_X25519"},    Named{0x34, "ENC_X25519_SHA512"},
    Named{0x40, "DEPENDENCY"},    Named{0x50, "SEC_CNT"},
    Named{0x60, "BOOT_RECORD"},   Named{0x70, "DECOMP_SIZE"},
    Named{0x71, "DECOMP_SHA"},    Named{0x72, "DECOMP_SIGNATURE"},
    Named{0x73, "COMP_DEC_SIZE"}, Named{0x74, "UUID_VID"},
    Named{0x75, "UUID_CID"},
};

// IMAGE_F_* of bootutil/image.h.
constexpr std::array kFlagNames{
    Named{0x00000001, "PIC"},
    Named{0x00000004, "ENCRYPTED_AES128"},
    Named{0x00000008, "ENCRYPTED_AES256"},
    Named{0x00000010, "NON_BOOTABLE"},
    Named{0x00000020, "RAM_LOAD"},
    Named{0x00000100, "ROM_FIXED"},
    Named{0x00000200, "COMPRESSED_LZMA1"},
    Named{0x00000400, "COMPRESSED_LZMA2"},
    Named{0x00000800, "COMPRESSED_ARM_THUMB_FLT"},
};

void report(McubootHeader& h, Severity severity, const char* rule, std::string message) {
    h.findings.push_back(Diagnostic{severity, std::string("image.") + rule, std::move(message), {}, {}});
}

/// Reads the TLVs of one area, [begin, end) of the image (end already known to lie inside it).
/// Returns false when a TLV runs past the area, after reporting it unless `quiet` (the caller has
/// reported the area as truncated and only wants the TLVs that are whole).
bool readTlvs(McubootHeader& h, const ByteReader& in, std::uint64_t begin, std::uint64_t end,
              bool isProtected, bool quiet = false) {
    const char* area = isProtected ? "protected TLV area" : "TLV area";
    for (std::uint64_t p = begin; p < end;) {
        if (quiet && (end - p < 4 || *in.u16(p + 2) > end - p - 4))
            return false;
        if (end - p < 4) {
            report(h, Severity::Error, "mcuboot-tlv-truncated",
                   std::string("the ") + area + " ends " + std::to_string(end - p) +
                       " bytes into a TLV header at offset " + formatHex(p));
            return false;
        }
        McubootTlv tlv{*in.u16(p), *in.u16(p + 2), p, isProtected};
        if (tlv.length > end - p - 4) {
            report(h, Severity::Error, "mcuboot-tlv-truncated",
                   "TLV " + mcubootTlvName(tlv.type) + " at offset " + formatHex(p) + " has " +
                       std::to_string(tlv.length) + " bytes of value, which run past the end of the " + area +
                       " at " + formatHex(end));
            return false;
        }
        h.tlvs.push_back(tlv);
        p += 4 + std::uint64_t(tlv.length);
    }
    return true;
}

} // namespace

std::string McubootVersion::toString() const {
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(revision) + "+" +
           std::to_string(build);
}

bool hasMcubootMagic(std::span<const std::uint8_t> bytes) {
    const auto magic = ByteReader(bytes).u32(0);
    return magic && *magic == McubootHeader::kMagic;
}

std::string mcubootTlvName(std::uint16_t type) {
    for (const Named& n : kTlvNames)
        if (n.value == type)
            return std::string(n.name);
    // bootutil reserves xxA0..xxFF of every upper byte for vendors.
    if ((type & 0xff) >= 0xa0)
        return "vendor " + formatHex(type);
    return formatHex(type);
}

std::vector<std::string> mcubootFlagNames(std::uint32_t flags) {
    std::vector<std::string> names;
    for (const Named& n : kFlagNames)
        if (flags & n.value) {
            names.emplace_back(n.name);
            flags &= ~n.value;
        }
    if (flags)
        names.push_back(formatHex(flags));
    return names;
}

std::optional<McubootHeader> parseMcubootHeader(std::span<const std::uint8_t> bytes) {
    if (!hasMcubootMagic(bytes))
        return std::nullopt;
    McubootHeader h;
    const ByteReader in(bytes);
    if (!in.has(0, McubootHeader::kHeaderStructSize)) {
        report(h, Severity::Error, "mcuboot-header-truncated",
               "the file ends " + std::to_string(bytes.size()) + " bytes into the 32-byte image_header");
        return h;
    }
    h.loadAddress = *in.u32(4);
    h.headerSize = *in.u16(8);
    h.protectedTlvSize = *in.u16(10);
    h.imageSize = *in.u32(12);
    h.flags = *in.u32(16);
    h.version = {*in.u8(20), *in.u8(21), *in.u16(22), *in.u32(24)};

    if (h.headerSize < McubootHeader::kHeaderStructSize) {
        report(h, Severity::Error, "mcuboot-header-size",
               "ih_hdr_size " + formatHex(h.headerSize) + " is smaller than the 32-byte image_header");
        return h;
    }
    const std::uint64_t payloadEnd = std::uint64_t(h.headerSize) + h.imageSize;
    if (payloadEnd > in.size()) {
        report(h, Severity::Error, "mcuboot-size-past-end",
               "ih_hdr_size " + formatHex(h.headerSize) + " + ih_img_size " + formatHex(h.imageSize) +
                   " end at " + formatHex(payloadEnd) + ", past the end of the image's " +
                   formatHex(in.size()) + " bytes");
        return h;
    }

    std::uint64_t off = payloadEnd;
    if (h.protectedTlvSize > 0) {
        const auto magic = in.u16(off);
        const auto total = in.u16(off + 2);
        if (!magic || !total) {
            report(h, Severity::Error, "mcuboot-tlv-truncated",
                   "ih_protect_tlv_size is " + formatHex(h.protectedTlvSize) + " but the image ends at " +
                       formatHex(in.size()) + ", before the protected TLV info at " + formatHex(off));
            return h;
        }
        if (*magic != McubootHeader::kProtectedTlvInfoMagic) {
            report(h, Severity::Error, "mcuboot-tlv-magic",
                   "ih_protect_tlv_size is " + formatHex(h.protectedTlvSize) + " but the bytes at " +
                       formatHex(off) + " read " + formatHex(*magic) +
                       ", not the protected TLV info magic 0x6908");
            return h;
        }
        if (*total != h.protectedTlvSize) {
            report(h, Severity::Error, "mcuboot-tlv-size",
                   "the protected TLV info at " + formatHex(off) + " says tlv_tot " + formatHex(*total) +
                       ", ih_protect_tlv_size says " + formatHex(h.protectedTlvSize));
            return h;
        }
        if (!in.has(off, *total)) {
            report(h, Severity::Error, "mcuboot-tlv-truncated",
                   "the protected TLV area at " + formatHex(off) + " is " + formatHex(*total) +
                       " bytes long, but the image ends " + formatHex(in.size() - off) + " bytes into it");
            return h;
        }
        if (!readTlvs(h, in, off + 4, off + *total, true))
            return h;
        off += *total;
    }

    const auto magic = in.u16(off);
    const auto total = in.u16(off + 2);
    if (!magic || !total) {
        if (off == in.size() && h.protectedTlvSize == 0)
            report(h, Severity::Warning, "mcuboot-no-tlvs",
                   "no TLV area after the payload (at " + formatHex(off) +
                       "): the image carries no hash or signature yet (imgtool sign adds them)");
        else
            report(h, Severity::Error, "mcuboot-tlv-truncated",
                   "the image ends at " + formatHex(in.size()) + ", inside the TLV info at " +
                       formatHex(off));
        return h;
    }
    if (*magic == McubootHeader::kProtectedTlvInfoMagic && h.protectedTlvSize == 0) {
        report(h, Severity::Error, "mcuboot-tlv-magic",
               "a protected TLV area (magic 0x6908) at " + formatHex(off) +
                   " while ih_protect_tlv_size is 0");
        return h;
    }
    if (*magic != McubootHeader::kTlvInfoMagic) {
        if (*magic == 0xffff && *total == 0xffff)
            report(h, Severity::Warning, "mcuboot-no-tlvs",
                   "erased bytes (0xff) where the TLV info should be, at " + formatHex(off) +
                       ": the image carries no hash or signature yet (imgtool sign adds them)");
        else
            report(h, Severity::Error, "mcuboot-tlv-magic",
                   "the bytes at " + formatHex(off) + " read " + formatHex(*magic) +
                       ", not the TLV info magic 0x6907");
        return h;
    }
    if (*total < 4) {
        report(h, Severity::Error, "mcuboot-tlv-size",
               "the TLV info at " + formatHex(off) + " says tlv_tot " + formatHex(*total) +
                   ", less than the 4 bytes of the info itself");
        return h;
    }
    h.unprotectedTlvSize = *total;
    if (!in.has(off, *total)) {
        report(h, Severity::Error, "mcuboot-tlv-truncated",
               "the TLV area at " + formatHex(off) + " is " + formatHex(*total) +
                   " bytes long, but the image ends " + formatHex(in.size() - off) + " bytes into it");
        readTlvs(h, in, off + 4, in.size(), false, true); // list the TLVs that are whole
        return h;
    }
    readTlvs(h, in, off + 4, off + *total, false);
    return h;
}

} // namespace flashplan
