// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "boot/BootState.h"
#include "boot/PublicKey.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

// The checks bootutil makes of an image before it boots or swaps to it: the hash TLV against the hash of
// header, payload and protected TLVs (bootutil_img_hash() in bootutil_img_hash.c), the KEYHASH or PUBKEY
// TLV against a key and the signature TLV with it (bootutil_img_validate() in image_validate.c,
// bootutil_find_key() in bootutil_find_key.c), as in mcu-tools/mcuboot at commit
// 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77; the hashes and signatures come from OpenSSL's libcrypto. Pure
// functions over an image's bytes, from its header on (for swap-using-offset's secondary slot: from the
// second sector, where the image starts).
namespace flashplan::mcuboot {

/// The IMAGE_TLV_* numbers these checks read (bootutil/image.h).
inline constexpr std::uint16_t kTlvKeyHash = 0x01;
inline constexpr std::uint16_t kTlvPubKey = 0x02;
inline constexpr std::uint16_t kTlvSha256 = 0x10;
inline constexpr std::uint16_t kTlvSha384 = 0x11;
inline constexpr std::uint16_t kTlvSha512 = 0x12;
inline constexpr std::uint16_t kTlvRsa2048Pss = 0x20;
inline constexpr std::uint16_t kTlvEcdsaSig = 0x22;
inline constexpr std::uint16_t kTlvRsa3072Pss = 0x23;
inline constexpr std::uint16_t kTlvEd25519 = 0x24;
inline constexpr std::uint16_t kTlvSigPure = 0x25;

/// The hash check.
struct HashCheck {
    enum class Status {
        Match,     ///< every hash TLV equals the hash of the bytes
        Mismatch,  ///< a hash TLV differs from the hash of the bytes
        NoHashTlv, ///< no SHA256/SHA384/SHA512 TLV (bootutil refuses such an image)
        Encrypted, ///< IMAGE_F_ENCRYPTED_*: the TLV hashes the plaintext, which needs the image's key
    };
    Status status = Status::NoHashTlv;
    std::uint16_t tlvType = 0;          ///< the hash TLV reported (the first mismatching, else the first)
    std::vector<std::uint8_t> expected; ///< that TLV's value
    std::vector<std::uint8_t> computed; ///< the hash of the bytes it covers
    std::uint64_t hashedSize = 0;       ///< ih_hdr_size + ih_img_size + ih_protect_tlv_size
    bool ok() const { return status == Status::Match; }
    /// "SHA256 matches" / "SHA256 mismatch: the TLV holds 3b1f..., the image hashes to 9c0d..." / ...
    std::string message() const;
};

/// "SHA256", "SHA384", "SHA512" for a hash TLV type; empty for any other.
std::string_view hashName(std::uint16_t tlvType);

/// Checks the hash TLVs of the MCUboot image at the start of `image` (bytes past its TLV area are
/// ignored, so a whole slot may be passed). Each SHA256/SHA384/SHA512 TLV, protected or not, must equal
/// that hash of [0, ih_hdr_size + ih_img_size + ih_protect_tlv_size). Errors, for an image bootutil
/// cannot even walk: Errc::Schema when there is no IMAGE_MAGIC or the header and TLV areas do not parse
/// (parseMcubootHeader() errors, whose first message the error carries).
Result<HashCheck> checkImageHash(std::span<const std::uint8_t> image);

/// The signature check with one key.
struct SignatureCheck {
    enum class Status {
        Verified,     ///< a signature TLV of the key's kind, after a key TLV naming this key, verifies
        BadSignature, ///< the key is named, but no signature of its kind verifies
        KeyMismatch,  ///< KEYHASH / PUBKEY TLVs are there, but none names this key
        NoKeyTlv,     ///< no KEYHASH or PUBKEY TLV, so bootutil would try no key (key_id stays -1)
        NoSignature,  ///< no signature TLV of the key's kind
        Unchecked,    ///< the message cannot be formed: encrypted, or no hash TLV to sign over
    };
    Status status = Status::NoSignature;
    std::uint16_t signatureTlv = 0; ///< the signature TLV type the key uses
    /// Whether a KEYHASH (hash of PublicKey::bootutilBytes, with the KEYHASH's length of SHA-256, -384 or
    /// -512) or PUBKEY (the bytes themselves) TLV names the key; nullopt when the image has neither.
    std::optional<bool> keyMatches;
    bool pure = false; ///< a SIG_PURE TLV: the signature covers the image bytes, not their hash
    bool ok() const { return status == Status::Verified; }
    /// "ECDSA_SIG verifies with the ecdsa-p256 key" / "the KEYHASH does not match the rsa-2048 key" / ...
    std::string message() const;
};

/// Verifies the signature of the image at the start of `image` with `key`, walking the TLVs in order as
/// bootutil_img_validate() does: a KEYHASH or PUBKEY TLV selects the key (or none), the next signature
/// TLV of the key's kind is verified with the selected key. The signed message is the image's hash (the
/// hash TLV's algorithm over the hashed range), or with SIG_PURE the hashed range itself (Ed25519).
/// ECDSA signatures padded by `imgtool sign --pad-sig` are trimmed to their DER length as imgtool does.
/// Errors as checkImageHash().
Result<SignatureCheck> checkImageSignature(std::span<const std::uint8_t> image, const PublicKey& key);

/// What boot_validate_slot() would find in a slot, with the checks behind it.
struct SlotImageCheck {
    SlotImage image = SlotImage::NoImage;
    std::string problem;                     ///< why Invalid or NotBootable, one phrase ("SHA256 mismatch")
    std::optional<HashCheck> hash;           ///< when the header could be walked
    std::optional<SignatureCheck> signature; ///< when a key was given and the header could be walked
};

/// Judges the bytes at the start of a slot as boot_validate_slot() (loader.c) and
/// boot_check_header_valid() (bootutil_loader.c) do, in their order: NoImage when ih_magic is erased
/// (`erasedValue`); NotBootable when IMAGE_F_NON_BOOTABLE is set; Invalid when there is no IMAGE_MAGIC,
/// header + payload + protected TLVs are not smaller than `slotSize`, the header or TLV areas do not
/// parse, the hash does not match (or there is no hash TLV), or, with `key`, the signature check is not
/// Verified; else Valid. An encrypted image's hash cannot be checked here: it counts as Valid with the
/// problem "encrypted: hash not checked". Pass the whole slot, or at least the image through its TLVs.
/// Left to the caller: bootutil_img_validate()'s bound on the TLVs' end (bootutil_max_image_size(),
/// which fitImage() and bootloaderReserve() apply), downgrade prevention, security counters and the
/// images of other modes' configurations (encrypted, compressed).
/// Errc::OutOfRange when `slotStart` (shorter than the slot) stops before the 32-byte header, or before
/// the end of the image's TLVs; the message names how many bytes are needed.
Result<SlotImageCheck> checkSlotImage(std::span<const std::uint8_t> slotStart, std::uint64_t slotSize,
                                      std::uint8_t erasedValue, const PublicKey* key = nullptr);

} // namespace flashplan::mcuboot
