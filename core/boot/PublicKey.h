// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <string_view>
#include <vector>

// A public key that signs MCUboot images, read from PEM with OpenSSL's libcrypto. The kinds are the
// ones imgtool makes (`imgtool keygen -t rsa-2048|rsa-3072|ecdsa-p256|ecdsa-p384|ed25519`, keys/*.py in
// scripts/imgtool of mcu-tools/mcuboot at commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77). A value type:
// no OpenSSL object outlives a call.
namespace flashplan::mcuboot {

/// The signature schemes bootutil verifies (image_rsa.c, image_ecdsa.c, image_ed25519.c).
enum class KeyType {
    Rsa2048,   ///< RSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt; TLV RSA2048_PSS (0x20)
    Rsa3072,   ///< the same with a 3072-bit key; TLV RSA3072_PSS (0x23)
    EcdsaP256, ///< ECDSA on P-256 over the image hash, DER signature; TLV ECDSA_SIG (0x22)
    EcdsaP384, ///< ECDSA on P-384 over the SHA-384 image hash; TLV ECDSA_SIG (0x22)
    Ed25519,   ///< Ed25519 over the image hash (or the image itself with SIG_PURE); TLV ED25519 (0x24)
};

/// "rsa-2048", "rsa-3072", "ecdsa-p256", "ecdsa-p384", "ed25519": imgtool keygen's -t names.
std::string_view to_string(KeyType type);

/// The IMAGE_TLV_* that carries this kind's signature.
std::uint16_t signatureTlv(KeyType type);

struct PublicKey {
    KeyType type = KeyType::EcdsaP256;
    /// DER SubjectPublicKeyInfo, the form the verifier loads.
    std::vector<std::uint8_t> spki;
    /// The bytes bootutil keeps for the key and the KEYHASH / PUBKEY TLVs hash or carry: imgtool's
    /// get_public_bytes(), DER PKCS#1 RSAPublicKey for RSA and DER SubjectPublicKeyInfo for the others
    /// (what `imgtool getpub` embeds in the bootloader).
    std::vector<std::uint8_t> bootutilBytes;
};

/// Reads a key from PEM text: a public key ("BEGIN PUBLIC KEY", as `imgtool getpub -e pem` writes it) or
/// a private key (as `imgtool keygen` writes it, unencrypted), whose public half is taken. Errors:
/// Errc::Parse when the text holds no PEM key OpenSSL can read; Errc::NotSupported for a key of another
/// kind or size (RSA other than 2048/3072 bits, curves other than P-256/P-384, X25519...).
Result<PublicKey> parsePublicKey(std::string_view pem);

} // namespace flashplan::mcuboot
