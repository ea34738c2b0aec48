// SPDX-License-Identifier: Apache-2.0
#include "boot/WolfbootCheck.h"

#include "boot/OpenSslSupport.h"
#include "util/Numbers.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/x509.h>

#include <algorithm>

namespace flashplan::wolfboot {

namespace {

namespace ossl = mcuboot::ossl;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint16_t kHdrSha256 = 0x03;
constexpr std::uint16_t kHdrPubkey = 0x10;
constexpr std::uint16_t kHdrSha3_384 = 0x13;
constexpr std::uint16_t kHdrSha384 = 0x14;
constexpr std::uint16_t kHdrSignature = 0x20;

const EVP_MD* digestFor(std::uint16_t tag) {
    switch (tag) {
    case kHdrSha256:
        return EVP_sha256();
    case kHdrSha3_384:
        return EVP_sha3_384();
    case kHdrSha384:
        return EVP_sha384();
    default:
        return nullptr;
    }
}

std::span<const std::uint8_t> valueOf(std::span<const std::uint8_t> image, const WolfbootTlv& tlv) {
    return image.subspan(tlv.offset + 4, tlv.length);
}

/// The key as wolfBoot's keystore holds it: the EC point without its 0x04 prefix, Ed25519's raw bytes.
std::optional<Bytes> keystoreBytes(EVP_PKEY* key, mcuboot::KeyType type) {
    if (type == mcuboot::KeyType::Ed25519) {
        std::size_t length = 0;
        if (EVP_PKEY_get_raw_public_key(key, nullptr, &length) != 1)
            return std::nullopt;
        Bytes out(length);
        if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1)
            return std::nullopt;
        return out;
    }
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &length) != 1)
        return std::nullopt;
    Bytes point(length);
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &length) !=
            1 ||
        point.empty() || point[0] != 0x04)
        return std::nullopt;
    return Bytes(point.begin() + 1, point.end());
}

/// ECDSA over the digest, the signature as r || s of equal halves (DER-encoded for OpenSSL).
bool verifyEcdsaRaw(EVP_PKEY* key, std::span<const std::uint8_t> sig, std::span<const std::uint8_t> digest) {
    if (sig.empty() || sig.size() % 2)
        return false;
    const int half = static_cast<int>(sig.size() / 2);
    ECDSA_SIG* raw = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(sig.data(), half, nullptr);
    BIGNUM* s = BN_bin2bn(sig.data() + half, half, nullptr);
    if (!raw || !r || !s || ECDSA_SIG_set0(raw, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(raw);
        return false;
    }
    unsigned char* der = nullptr;
    const int derLength = i2d_ECDSA_SIG(raw, &der);
    ECDSA_SIG_free(raw);
    if (derLength <= 0)
        return false;
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
    const bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
                    EVP_PKEY_verify(ctx.get(), der, static_cast<std::size_t>(derLength), digest.data(),
                                    digest.size()) == 1;
    OPENSSL_free(der);
    return ok;
}

SignatureCheck checkSignature(std::span<const std::uint8_t> image, const WolfbootHeader& header,
                              const DigestCheck& digest, const mcuboot::PublicKey& key) {
    SignatureCheck out;
    const auto sig = std::find_if(header.tlvs.begin(), header.tlvs.end(),
                                  [](const WolfbootTlv& t) { return t.type == kHdrSignature; });
    if (sig == header.tlvs.end())
        return out;
    if (digest.status == DigestCheck::Status::NoDigest) {
        out.status = SignatureCheck::Status::Unchecked;
        out.detail = "no digest to verify the signature over";
        return out;
    }
    if (key.type == mcuboot::KeyType::Rsa2048 || key.type == mcuboot::KeyType::Rsa3072) {
        out.status = SignatureCheck::Status::Unchecked;
        out.detail = "wolfBoot's RSA signatures are not checked here";
        return out;
    }
    const unsigned char* p = key.spki.data();
    ossl::PKey pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(key.spki.size())));
    if (!pkey) {
        ossl::clearErrors();
        out.status = SignatureCheck::Status::Unchecked;
        out.detail = "the key cannot be loaded";
        return out;
    }
    // The hint, where there is one, names the key by the digest algorithm's hash of its keystore bytes.
    const auto hint = std::find_if(header.tlvs.begin(), header.tlvs.end(),
                                   [](const WolfbootTlv& t) { return t.type == kHdrPubkey; });
    if (hint != header.tlvs.end()) {
        const auto raw = keystoreBytes(pkey.get(), key.type);
        const EVP_MD* md = digestFor(digest.tlvType);
        Bytes hashed(static_cast<std::size_t>(EVP_MD_get_size(md)));
        unsigned int length = 0;
        if (!raw || EVP_Digest(raw->data(), raw->size(), hashed.data(), &length, md, nullptr) != 1) {
            ossl::clearErrors();
            out.status = SignatureCheck::Status::Unchecked;
            out.detail = "the key's bytes cannot be read";
            return out;
        }
        const auto value = valueOf(image, *hint);
        if (!std::equal(value.begin(), value.end(), hashed.begin(), hashed.end())) {
            out.status = SignatureCheck::Status::KeyMismatch;
            return out;
        }
    }
    const auto signature = valueOf(image, *sig);
    const bool ok = key.type == mcuboot::KeyType::Ed25519
                        ? signature.size() == 64 && ossl::digestVerify(pkey.get(), signature, digest.computed)
                        : verifyEcdsaRaw(pkey.get(), signature, digest.computed);
    ossl::clearErrors();
    out.status = ok ? SignatureCheck::Status::Verified : SignatureCheck::Status::BadSignature;
    return out;
}

} // namespace

std::string_view digestName(std::uint16_t tag) {
    switch (tag) {
    case kHdrSha256:
        return "SHA256";
    case kHdrSha3_384:
        return "SHA3-384";
    case kHdrSha384:
        return "SHA384";
    default:
        return "digest";
    }
}

std::string DigestCheck::message() const {
    switch (status) {
    case Status::Match:
        return std::string(digestName(tlvType)) + " matches";
    case Status::Mismatch:
        return std::string(digestName(tlvType)) + " mismatch: the header holds " +
               formatBytesHex(expected, 8) + ", the image hashes to " + formatBytesHex(computed, 8);
    case Status::NoDigest:
        break;
    }
    return "no digest tag (SHA256, SHA384 or SHA3-384)";
}

std::string SignatureCheck::message() const {
    switch (status) {
    case Status::Verified:
        return "signature verifies";
    case Status::BadSignature:
        return "signature does not verify";
    case Status::KeyMismatch:
        return "the public key hint names another key";
    case Status::NoSignature:
        return "no signature tag";
    case Status::Unchecked:
        break;
    }
    return "signature not checked: " + detail;
}

Result<ImageCheck> checkWolfbootImage(std::span<const std::uint8_t> image, const WolfbootHeader& header,
                                      const mcuboot::PublicKey* key) {
    const std::uint64_t end = header.totalSize();
    if (image.size() < end)
        return makeError(Errc::OutOfRange, "the wolfBoot image needs " + formatHex(end) +
                                               " bytes (header and " + "firmware), " +
                                               formatHex(image.size()) + " were given");
    ImageCheck out;
    for (const WolfbootTlv& tlv : header.tlvs) {
        const EVP_MD* md = digestFor(tlv.type);
        if (!md || tlv.length != std::uint16_t(EVP_MD_get_size(md)))
            continue;
        ossl::MdCtx ctx(EVP_MD_CTX_new());
        Bytes computed(tlv.length);
        unsigned int length = 0;
        const bool hashed =
            ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
            EVP_DigestUpdate(ctx.get(), image.data(), tlv.offset) == 1 &&
            EVP_DigestUpdate(ctx.get(), image.data() + header.headerSize, header.imageSize) == 1 &&
            EVP_DigestFinal_ex(ctx.get(), computed.data(), &length) == 1;
        ossl::clearErrors();
        if (!hashed)
            return makeError(Errc::NotSupported,
                             "OpenSSL could not compute " + std::string(digestName(tlv.type)));
        const auto expected = valueOf(image, tlv);
        out.digest.tlvType = tlv.type;
        out.digest.expected.assign(expected.begin(), expected.end());
        out.digest.computed = std::move(computed);
        out.digest.status = out.digest.expected == out.digest.computed ? DigestCheck::Status::Match
                                                                       : DigestCheck::Status::Mismatch;
        break; // wolfBoot is built for one digest; the first tag is the one it reads
    }
    if (key)
        out.signature = checkSignature(image, header, out.digest, *key);
    return out;
}

} // namespace flashplan::wolfboot
