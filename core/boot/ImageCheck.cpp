// SPDX-License-Identifier: Apache-2.0
// The image checks of bootutil (mcu-tools/mcuboot at commit 2d4bacc3): bootutil_img_hash(),
// bootutil_img_validate(), bootutil_find_key(), and the verifiers of image_rsa.c (RSA-PSS, SHA-256,
// 32-byte salt), image_ecdsa.c (DER signature over the hash) and image_ed25519.c, here done by OpenSSL.
#include "boot/ImageCheck.h"

#include "boot/OpenSslSupport.h"
#include "image/McubootHeader.h"
#include "util/Numbers.h"

#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>

namespace flashplan::mcuboot {

namespace {

constexpr std::uint32_t kEncryptedFlags = 0x04 | 0x08; // IMAGE_F_ENCRYPTED_AES128 | _AES256
constexpr std::uint32_t kNonBootableFlag = 0x10;       // IMAGE_F_NON_BOOTABLE

using Bytes = std::vector<std::uint8_t>;

const EVP_MD* digestFor(std::uint16_t hashTlv) {
    switch (hashTlv) {
    case kTlvSha256:
        return EVP_sha256();
    case kTlvSha384:
        return EVP_sha384();
    case kTlvSha512:
        return EVP_sha512();
    default:
        return nullptr;
    }
}

Bytes digest(const EVP_MD* md, std::span<const std::uint8_t> bytes) {
    Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, md, nullptr) != 1)
        out.clear();
    out.resize(length);
    return out;
}

/// The parsed header, or the first error that stops bootutil from walking the image.
Result<McubootHeader> walkable(std::span<const std::uint8_t> image) {
    auto header = parseMcubootHeader(image);
    if (!header)
        return makeError(Errc::Schema,
                         "no MCUboot image: the bytes do not start with IMAGE_MAGIC 0x96f3b83d");
    for (const Diagnostic& d : header->findings)
        if (d.severity == Severity::Error)
            return makeError(Errc::Schema, d.message);
    return *std::move(header);
}

std::span<const std::uint8_t> valueOf(std::span<const std::uint8_t> image, const McubootTlv& tlv) {
    return image.subspan(static_cast<std::size_t>(tlv.offset + 4), tlv.length);
}

std::uint64_t hashedSize(const McubootHeader& h) {
    return std::uint64_t(h.headerSize) + h.imageSize + h.protectedTlvSize;
}

bool verifyRsaPss(EVP_PKEY* key, std::span<const std::uint8_t> sig, std::span<const std::uint8_t> hash) {
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
    return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
           EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), 32) == 1 &&
           EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), hash.data(), hash.size()) == 1;
}

bool verifyEcdsa(EVP_PKEY* key, std::span<const std::uint8_t> sig, std::span<const std::uint8_t> hash) {
    // imgtool --pad-sig appends zeros after the DER SEQUENCE; its verify() keeps sig[:sig[1] + 2].
    if (sig.size() >= 2 && sig[1] < 0x80 && std::size_t(sig[1]) + 2 <= sig.size())
        sig = sig.first(std::size_t(sig[1]) + 2);
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
    return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
           EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), hash.data(), hash.size()) == 1;
}

bool verify(const PublicKey& key, std::span<const std::uint8_t> sig, std::span<const std::uint8_t> message) {
    const unsigned char* p = key.spki.data();
    ossl::PKey pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(key.spki.size())));
    bool ok = false;
    if (pkey) {
        switch (key.type) {
        case KeyType::Rsa2048:
        case KeyType::Rsa3072:
            // image_rsa.c: EXPECTED_SIG_LEN is the key's size in bytes.
            ok = sig.size() == std::size_t(EVP_PKEY_get_size(pkey.get())) &&
                 verifyRsaPss(pkey.get(), sig, message);
            break;
        case KeyType::EcdsaP256:
        case KeyType::EcdsaP384:
            ok = verifyEcdsa(pkey.get(), sig, message);
            break;
        case KeyType::Ed25519:
            ok = sig.size() == 64 && ossl::digestVerify(pkey.get(), sig, message);
            break;
        }
    }
    ossl::clearErrors();
    return ok;
}

/// bootutil_find_key(): the hash of the key's bytes, with the algorithm whose size the KEYHASH has,
/// compared over the KEYHASH's length.
bool keyHashNames(std::span<const std::uint8_t> keyHash, const PublicKey& key) {
    const EVP_MD* md = keyHash.size() == 32   ? EVP_sha256()
                       : keyHash.size() == 48 ? EVP_sha384()
                       : keyHash.size() == 64 ? EVP_sha512()
                                              : nullptr;
    if (!md)
        return false;
    const Bytes h = digest(md, key.bootutilBytes);
    return std::equal(keyHash.begin(), keyHash.end(), h.begin(), h.end());
}

} // namespace

std::string_view hashName(std::uint16_t tlvType) {
    switch (tlvType) {
    case kTlvSha256:
        return "SHA256";
    case kTlvSha384:
        return "SHA384";
    case kTlvSha512:
        return "SHA512";
    default:
        return "";
    }
}

std::string HashCheck::message() const {
    const std::string name(hashName(tlvType));
    switch (status) {
    case Status::Match:
        return name + " matches";
    case Status::Mismatch:
        return name + " mismatch: the TLV holds " + formatBytesHex(expected) + ", the image hashes to " +
               formatBytesHex(computed);
    case Status::NoHashTlv:
        return "no SHA256, SHA384 or SHA512 TLV";
    case Status::Encrypted:
        return "encrypted image: its " + name + " covers the plaintext, not checked";
    }
    return "";
}

Result<HashCheck> checkImageHash(std::span<const std::uint8_t> image) {
    auto header = walkable(image);
    if (!header)
        return header.error();
    HashCheck r;
    r.hashedSize = hashedSize(*header);
    const auto hashed = image.first(static_cast<std::size_t>(r.hashedSize));
    for (const McubootTlv& tlv : header->tlvs) {
        const EVP_MD* md = digestFor(tlv.type);
        if (!md)
            continue;
        const auto expected = valueOf(image, tlv);
        if (header->flags & kEncryptedFlags) {
            r.status = HashCheck::Status::Encrypted;
            r.tlvType = tlv.type;
            r.expected.assign(expected.begin(), expected.end());
            return r;
        }
        Bytes computed = digest(md, hashed);
        const bool match = std::equal(expected.begin(), expected.end(), computed.begin(), computed.end());
        // Report the first mismatch, else the first hash TLV.
        if (r.status != HashCheck::Status::Mismatch && (!match || r.tlvType == 0)) {
            r.tlvType = tlv.type;
            r.expected.assign(expected.begin(), expected.end());
            r.computed = std::move(computed);
            r.status = match ? HashCheck::Status::Match : HashCheck::Status::Mismatch;
        }
    }
    return r;
}

std::string SignatureCheck::message() const {
    const std::string sig = mcubootTlvName(signatureTlv);
    switch (status) {
    case Status::Verified:
        return sig + " verifies";
    case Status::BadSignature:
        return sig + " does not verify with the key";
    case Status::KeyMismatch:
        return "the image's KEYHASH / PUBKEY TLV names another key";
    case Status::NoKeyTlv:
        return "no KEYHASH or PUBKEY TLV to select the key";
    case Status::NoSignature:
        return "no " + sig + " TLV";
    case Status::Unchecked:
        return "the signed message cannot be formed (encrypted image, or no hash TLV)";
    }
    return "";
}

Result<SignatureCheck> checkImageSignature(std::span<const std::uint8_t> image, const PublicKey& key) {
    auto header = walkable(image);
    if (!header)
        return header.error();
    SignatureCheck r;
    r.signatureTlv = signatureTlv(key.type);
    const auto hashed = image.first(static_cast<std::size_t>(hashedSize(*header)));

    // The signed message: with SIG_PURE (value 1, bootutil_check_for_pure()) the hashed range itself,
    // else its hash by the image's first hash TLV.
    Bytes message;
    for (const McubootTlv& tlv : header->tlvs)
        if (tlv.type == kTlvSigPure && tlv.length == 1 && valueOf(image, tlv)[0] == 1)
            r.pure = true;
    if (!r.pure)
        for (const McubootTlv& tlv : header->tlvs)
            if (const EVP_MD* md = digestFor(tlv.type)) {
                message = digest(md, hashed);
                break;
            }
    const bool canForm = !(header->flags & kEncryptedFlags) && (r.pure || !message.empty());
    const std::span<const std::uint8_t> signedBytes =
        r.pure ? hashed : std::span<const std::uint8_t>(message);

    // bootutil_img_validate(): a key TLV sets key_id (or -1); a signature TLV is verified only with a
    // key selected, and resets key_id; the last verified signature decides.
    bool selected = false, sawSignature = false, verifiedAny = false, lastVerified = false;
    for (const McubootTlv& tlv : header->tlvs) {
        if (tlv.type == kTlvKeyHash || tlv.type == kTlvPubKey) {
            const auto value = valueOf(image, tlv);
            selected = tlv.type == kTlvKeyHash
                           ? keyHashNames(value, key)
                           : std::equal(value.begin(), value.end(), key.bootutilBytes.begin(),
                                        key.bootutilBytes.end());
            r.keyMatches = r.keyMatches.value_or(false) || selected;
        } else if (tlv.type == r.signatureTlv) {
            sawSignature = true;
            if (selected && canForm) {
                lastVerified = verify(key, valueOf(image, tlv), signedBytes);
                verifiedAny = true;
            }
            selected = false;
        }
    }
    if (!sawSignature)
        r.status = SignatureCheck::Status::NoSignature;
    else if (!r.keyMatches)
        r.status = SignatureCheck::Status::NoKeyTlv;
    else if (!*r.keyMatches)
        r.status = SignatureCheck::Status::KeyMismatch;
    else if (!canForm)
        r.status = SignatureCheck::Status::Unchecked;
    else
        r.status = verifiedAny && lastVerified ? SignatureCheck::Status::Verified
                                               : SignatureCheck::Status::BadSignature;
    return r;
}

Result<SlotImageCheck> checkSlotImage(std::span<const std::uint8_t> slotStart, std::uint64_t slotSize,
                                      std::uint8_t erasedValue, const PublicKey* key) {
    SlotImageCheck r;
    if (slotStart.size() < McubootHeader::kHeaderStructSize)
        return makeError(Errc::OutOfRange, "judging a slot's image needs at least its 32-byte image_header");
    // loader.c boot_validate_slot(): an erased ih_magic, or IMAGE_F_NON_BOOTABLE, is no bootable image.
    if (std::all_of(slotStart.begin(), slotStart.begin() + 4,
                    [&](std::uint8_t b) { return b == erasedValue; }))
        return r;
    const std::uint32_t flags = std::uint32_t(slotStart[16]) | std::uint32_t(slotStart[17]) << 8 |
                                std::uint32_t(slotStart[18]) << 16 | std::uint32_t(slotStart[19]) << 24;
    if (flags & kNonBootableFlag) {
        r.image = SlotImage::NotBootable;
        r.problem = "marked non-bootable (IMAGE_F_NON_BOOTABLE)";
        return r;
    }
    r.image = SlotImage::Invalid;
    // bootutil_loader.c boot_check_header_valid(): the magic, and header + payload + protected TLVs
    // smaller than the slot.
    if (!hasMcubootMagic(slotStart)) {
        r.problem = "no MCUboot image header (IMAGE_MAGIC)";
        return r;
    }
    const auto header = parseMcubootHeader(slotStart.first(McubootHeader::kHeaderStructSize));
    const std::uint64_t hashed = hashedSize(*header);
    if (hashed >= slotSize) {
        r.problem = "the image (" + formatHex(hashed) +
                    " bytes with header and protected TLVs) does not fit the " + formatHex(slotSize) +
                    "-byte slot";
        return r;
    }
    if (slotStart.size() < slotSize && hashed + 4 > slotStart.size())
        return makeError(Errc::OutOfRange, "judging the image needs its first " + formatHex(hashed + 4) +
                                               " bytes (through the TLV info), not " +
                                               formatHex(slotStart.size()));
    auto hash = checkImageHash(slotStart);
    if (!hash) {
        const auto full = parseMcubootHeader(slotStart);
        if (slotStart.size() < slotSize && full && full->totalSize() > slotStart.size())
            return makeError(Errc::OutOfRange,
                             "judging the image needs its first " + formatHex(full->totalSize()) +
                                 " bytes (through its TLVs), not " + formatHex(slotStart.size()));
        r.problem = hash.error().message;
        return r;
    }
    r.hash = *hash;
    if (key) {
        auto signature = checkImageSignature(slotStart, *key);
        if (signature)
            r.signature = *signature;
    }
    switch (hash->status) {
    case HashCheck::Status::Mismatch:
        r.problem = std::string(hashName(hash->tlvType)) + " mismatch";
        return r;
    case HashCheck::Status::NoHashTlv:
        r.problem = "no hash TLV";
        return r;
    case HashCheck::Status::Encrypted:
    case HashCheck::Status::Match:
        break;
    }
    if (r.signature && !r.signature->ok() && r.signature->status != SignatureCheck::Status::Unchecked) {
        r.problem = r.signature->message();
        return r;
    }
    r.image = SlotImage::Valid;
    if (hash->status == HashCheck::Status::Encrypted)
        r.problem = "encrypted: hash not checked";
    return r;
}

} // namespace flashplan::mcuboot
