// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/PublicKey.h"
#include "image/WolfbootHeader.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The checks wolfBoot makes of an image before it boots or updates it (wolfBoot_verify_integrity() and
// wolfBoot_verify_authenticity() in src/image.c of wolfSSL/wolfBoot), over its bytes:
// - the digest tag (SHA256 0x03, SHA3-384 0x13 or SHA384 0x14) holds the hash of the header up to that
//   tag's first byte, then the firmware (image size bytes after the header);
// - the signature tag (0x20) signs that digest: ECDSA as the raw r and s, Ed25519 with the digest as the
//   message; the public key hint tag (0x10) holds the digest algorithm's hash of the key as wolfBoot's
//   keystore keeps it (the EC point X || Y, the Ed25519 key's 32 bytes).
// Both rules were checked against wolfBoot's own signed test image (tools/unit-tests/unit-image.c,
// test_img_v200000000_signed_bin, with the ECC256 key of unit-keystore.c): its digest and signature
// verify as above.
namespace flashplan::wolfboot {

/// "SHA256", "SHA3-384", "SHA384" for a digest tag; "digest" for any other.
std::string_view digestName(std::uint16_t tag);

struct DigestCheck {
    enum class Status { Match, Mismatch, NoDigest };
    Status status = Status::NoDigest;
    std::uint16_t tlvType = 0;
    std::vector<std::uint8_t> expected, computed;
    bool ok() const { return status == Status::Match; }
    /// "SHA256 matches" / "SHA256 mismatch: the header holds 3b1f..., the image hashes to 9c0d..." /
    /// "no digest tag".
    std::string message() const;
};

struct SignatureCheck {
    enum class Status {
        Verified,     ///< the signature tag verifies over the digest with the key
        BadSignature, ///< it does not
        KeyMismatch,  ///< the public key hint names another key
        NoSignature,  ///< no signature tag
        Unchecked,    ///< no digest to verify over, or a key kind wolfBoot's signature is not read for here
    };
    Status status = Status::NoSignature;
    std::string detail; ///< for Unchecked: why
    bool ok() const { return status == Status::Verified; }
    /// "signature verifies with the ecdsa-p256 key" / "the public key hint does not match the ... key"...
    std::string message() const;
};

struct ImageCheck {
    DigestCheck digest;
    std::optional<SignatureCheck> signature; ///< with a key
    /// Whether wolfBoot would take the image: the digest matches and, with a key, the signature verifies.
    bool valid() const { return digest.ok() && (!signature || signature->ok()); }
};

/// Checks the wolfBoot image at the start of `image` (its header, then at least the firmware; more is
/// ignored) whose header `header` is. Errc::OutOfRange when `image` ends before header + image size.
/// RSA keys: the signature is Unchecked (wolfBoot signs with PKCS#1 v1.5 in two encodings that the
/// header does not tell apart).
Result<ImageCheck> checkWolfbootImage(std::span<const std::uint8_t> image, const WolfbootHeader& header,
                                      const mcuboot::PublicKey* key = nullptr);

} // namespace flashplan::wolfboot
