// SPDX-License-Identifier: Apache-2.0
#include "image/WolfbootHeader.h"

#include "image/ByteReader.h"
#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {

struct Named {
    std::uint16_t value;
    std::string_view name;
};

// HDR_* of include/wolfboot/wolfboot.h.
constexpr std::array kTlvNames{
    Named{0x01, "VERSION"},
    Named{0x02, "TIMESTAMP"},
    Named{0x03, "SHA256"},
    Named{0x04, "IMG_TYPE"},
    Named{0x05, "IMG_DELTA_BASE"},
    Named{0x06, "IMG_DELTA_SIZE"},
    Named{0x07, "IMG_DELTA_BASE_HASH"},
    Named{0x10, "PUBKEY"},
    Named{0x11, "SECONDARY_CIPHER"},
    Named{0x12, "SECONDARY_PUBKEY"},
    Named{0x13, "SHA3_384"},
    Named{0x14, "SHA384"},
    Named{0x15, "IMG_DELTA_INVERSE"},
    Named{0x16, "IMG_DELTA_INVERSE_SIZE"},
    Named{0x20, "SIGNATURE"},
    Named{0x21, "POLICY_SIGNATURE"},
    Named{0x22, "SECONDARY_SIGNATURE"},
    Named{0x23, "CERT_CHAIN"},
    Named{0x34, "CMDLINE"},
    Named{0x35, "DEVICE_TREE_DIGEST"},
};

// AUTH_KEY_* (the high byte of HDR_IMG_TYPE); 0xff is HDR_IMG_TYPE_AUTH_NONE.
constexpr std::array kAuthNames{
    Named{0x01, "ED25519"},    Named{0x02, "ECC256"},     Named{0x03, "RSA2048"},
    Named{0x04, "RSA4096"},    Named{0x05, "ED448"},      Named{0x06, "ECC384"},
    Named{0x07, "ECC521"},     Named{0x08, "RSA3072"},    Named{0x09, "LMS"},
    Named{0x0a, "XMSS"},       Named{0x0b, "ML_DSA"},     Named{0x0c, "RSAPSS2048"},
    Named{0x0d, "RSAPSS3072"}, Named{0x0e, "RSAPSS4096"}, Named{0xff, "no signature"},
};

constexpr std::uint16_t kHdrEnd = 0x00, kHdrVersion = 0x01, kHdrTimestamp = 0x02, kHdrSha256 = 0x03,
                        kHdrImgType = 0x04, kHdrSha3_384 = 0x13, kHdrSha384 = 0x14;
constexpr std::uint8_t kHdrPadding = 0xff;
constexpr std::uint16_t kImgTypeDiff = 0x00d0; // HDR_IMG_TYPE_DIFF: a delta update

/// The header sizes wolfboot.h chooses between, smallest first.
constexpr std::array<std::uint32_t, 3> kHeaderSizes{256, 512, 1024};

void report(WolfbootHeader& h, Severity severity, const char* rule, std::string message) {
    h.findings.push_back(Diagnostic{severity, std::string("image.") + rule, std::move(message), {}, {}});
}

/// A tag whose value must have one length (version u32, timestamp u64...); reports one that has another.
bool expectLength(WolfbootHeader& h, const WolfbootTlv& tlv, std::uint16_t length) {
    if (tlv.length == length)
        return true;
    report(h, Severity::Error, "wolfboot-tlv-length",
           wolfbootTlvName(tlv.type) + " tag at offset " + formatHex(tlv.offset) + " has " +
               std::to_string(tlv.length) + " bytes of value, not " + std::to_string(length));
    return false;
}

} // namespace

std::uint64_t WolfbootHeader::tlvBytesUsed() const {
    if (tlvs.empty())
        return 0;
    return tlvs.back().offset + 4 + tlvs.back().length - kFixedFieldsSize;
}

bool hasWolfbootMagic(std::span<const std::uint8_t> bytes) {
    const auto magic = ByteReader(bytes).u32(0);
    return magic && *magic == WolfbootHeader::kMagic;
}

std::string wolfbootTlvName(std::uint16_t type) {
    for (const Named& n : kTlvNames)
        if (n.value == type)
            return std::string(n.name);
    return "custom " + formatHex(type);
}

std::string wolfbootImageTypeText(std::uint16_t imageType) {
    const unsigned partition = imageType & 0x000f;
    std::string text = partition == 0   ? std::string("wolfBoot")
                       : partition == 1 ? std::string("application")
                                        : "partition id " + std::to_string(partition);
    const auto auth = static_cast<std::uint16_t>(imageType >> 8);
    std::string authName = "auth " + formatHex(auth);
    for (const Named& n : kAuthNames)
        if (n.value == auth)
            authName = std::string(n.name);
    text += ", " + authName;
    if ((imageType & kImgTypeDiff) == kImgTypeDiff)
        text += ", delta";
    return text;
}

std::optional<WolfbootHeader> parseWolfbootHeader(std::span<const std::uint8_t> bytes,
                                                  std::uint32_t headerSize) {
    if (!hasWolfbootMagic(bytes))
        return std::nullopt;
    WolfbootHeader h;
    const ByteReader in(bytes);
    if (!in.has(0, WolfbootHeader::kFixedFieldsSize)) {
        report(h, Severity::Error, "wolfboot-header-truncated",
               "the file ends " + std::to_string(bytes.size()) + " bytes into the header's magic and size");
        return h;
    }
    h.imageSize = *in.u32(4);
    h.headerSize = headerSize;
    h.headerSizeKnown = headerSize != 0;
    // A signed file is exactly header + firmware, so its length tells the header size.
    for (std::uint32_t candidate : kHeaderSizes)
        if (!headerSize && in.size() == std::uint64_t(candidate) + h.imageSize) {
            h.headerSize = candidate;
            h.headerSizeKnown = true;
        }
    if (!h.headerSize) {
        h.headerSize = WolfbootHeader::kDefaultHeaderSize;
        report(h, Severity::Info, "wolfboot-header-size-assumed",
               "IMAGE_HEADER_SIZE assumed to be 256 (the default): the file's length is not header + image "
               "size for 256, 512 or 1024");
    }
    if (!in.has(0, h.headerSize)) {
        report(h, Severity::Error, "wolfboot-header-truncated",
               "the file ends " + formatHex(in.size()) + " bytes into the " + std::to_string(h.headerSize) +
                   "-byte header");
        return h;
    }
    if (std::uint64_t(h.headerSize) + h.imageSize > in.size())
        report(h, Severity::Error, "wolfboot-size-past-end",
               "the image size " + formatHex(h.imageSize) + " after the " + std::to_string(h.headerSize) +
                   "-byte header ends at " + formatHex(std::uint64_t(h.headerSize) + h.imageSize) +
                   ", past the end of the image's " + formatHex(in.size()) + " bytes");

    // The tags, walked as wolfBoot_find_header() walks them.
    bool digest = false;
    for (std::uint64_t p = WolfbootHeader::kFixedFieldsSize; h.headerSize - p >= 4;) {
        const std::uint16_t type = *in.u16(p);
        if (type == kHdrEnd)
            break;
        if (*in.u8(p) == kHdrPadding || (p & 1)) {
            ++p;
            continue;
        }
        const WolfbootTlv tlv{type, *in.u16(p + 2), p};
        if (std::uint64_t(tlv.length) > h.headerSize - p - 4) {
            report(h, Severity::Error, "wolfboot-tlv-truncated",
                   wolfbootTlvName(type) + " tag at offset " + formatHex(p) + " has " +
                       std::to_string(tlv.length) + " bytes of value, which run past the end of the " +
                       std::to_string(h.headerSize) + "-byte header");
            break;
        }
        h.tlvs.push_back(tlv);
        const std::uint64_t value = p + 4;
        switch (type) {
        case kHdrVersion:
            if (expectLength(h, tlv, 4))
                h.version = *in.u32(value);
            break;
        case kHdrTimestamp:
            if (expectLength(h, tlv, 8))
                h.timestamp = *in.u64(value);
            break;
        case kHdrImgType:
            if (expectLength(h, tlv, 2))
                h.imageType = *in.u16(value);
            break;
        case kHdrSha256:
            digest = expectLength(h, tlv, 32);
            break;
        case kHdrSha384:
        case kHdrSha3_384:
            digest = expectLength(h, tlv, 48);
            break;
        default:
            break;
        }
        p = value + tlv.length;
    }
    if (!h.version)
        report(h, Severity::Warning, "wolfboot-no-version",
               "no VERSION tag (0x0001): wolfBoot takes the version to be 0");
    if (!digest)
        report(h, Severity::Warning, "wolfboot-no-digest",
               "no SHA256, SHA384 or SHA3_384 tag: wolfBoot cannot check the image's integrity");
    return h;
}

} // namespace flashplan
