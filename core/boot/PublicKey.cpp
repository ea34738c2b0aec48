// SPDX-License-Identifier: Apache-2.0
#include "boot/PublicKey.h"

#include "boot/OpenSslSupport.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

namespace flashplan::mcuboot {

std::string_view to_string(KeyType type) {
    switch (type) {
    case KeyType::Rsa2048:
        return "rsa-2048";
    case KeyType::Rsa3072:
        return "rsa-3072";
    case KeyType::EcdsaP256:
        return "ecdsa-p256";
    case KeyType::EcdsaP384:
        return "ecdsa-p384";
    case KeyType::Ed25519:
        return "ed25519";
    }
    return "ecdsa-p256";
}

// imgtool keys/*.py sig_tlv(): RSA2048 / RSA3072 / ECDSASIG / ED25519, numbered as in bootutil/image.h.
std::uint16_t signatureTlv(KeyType type) {
    switch (type) {
    case KeyType::Rsa2048:
        return 0x20;
    case KeyType::Rsa3072:
        return 0x23;
    case KeyType::EcdsaP256:
    case KeyType::EcdsaP384:
        return 0x22;
    case KeyType::Ed25519:
        return 0x24;
    }
    return 0;
}

namespace {

Result<KeyType> kindOf(EVP_PKEY* key) {
    const int bits = EVP_PKEY_get_bits(key);
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        if (bits == 2048)
            return KeyType::Rsa2048;
        if (bits == 3072)
            return KeyType::Rsa3072;
        return makeError(Errc::NotSupported, "an RSA key of " + std::to_string(bits) +
                                                 " bits; MCUboot signs with RSA-2048 or RSA-3072");
    case EVP_PKEY_EC: {
        char group[64] = {};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &length) == 1) {
            const std::string_view name(group, length);
            if (name == "prime256v1" || name == "P-256")
                return KeyType::EcdsaP256;
            if (name == "secp384r1" || name == "P-384")
                return KeyType::EcdsaP384;
            return makeError(Errc::NotSupported, "an EC key on " + std::string(name) +
                                                     "; MCUboot signs with ECDSA on P-256 or P-384");
        }
        return makeError(Errc::NotSupported, "an EC key on an unnamed curve");
    }
    case EVP_PKEY_ED25519:
        return KeyType::Ed25519;
    default:
        return makeError(Errc::NotSupported,
                         "a key of a kind MCUboot does not sign with (it signs with RSA-2048, RSA-3072, "
                         "ECDSA P-256, ECDSA P-384 or Ed25519)");
    }
}

// i2d_PUBKEY gives SubjectPublicKeyInfo; i2d_PublicKey gives an RSA key's PKCS#1 RSAPublicKey, which is
// what imgtool's RSA get_public_bytes() serialises (Encoding.DER, PublicFormat.PKCS1).
std::vector<std::uint8_t> derOf(EVP_PKEY* key, bool pkcs1) {
    unsigned char* out = nullptr;
    const int n = pkcs1 ? i2d_PublicKey(key, &out) : i2d_PUBKEY(key, &out);
    std::vector<std::uint8_t> bytes;
    if (n > 0)
        bytes.assign(out, out + n);
    OPENSSL_free(out);
    return bytes;
}

} // namespace

Result<PublicKey> parsePublicKey(std::string_view pem) {
    ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        return makeError(Errc::NoMemory, "OpenSSL could not allocate a buffer for the key");
    ossl::PKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        // Not a public key: try the private key imgtool keygen writes, and take its public half.
        ossl::Bio again(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
        key.reset(PEM_read_bio_PrivateKey(again.get(), nullptr, nullptr, nullptr));
    }
    ossl::clearErrors();
    if (!key)
        return makeError(Errc::Parse, "no PEM public or private key that OpenSSL can read");
    auto type = kindOf(key.get());
    if (!type)
        return type.error();
    PublicKey k;
    k.type = *type;
    k.spki = derOf(key.get(), false);
    const bool rsa = k.type == KeyType::Rsa2048 || k.type == KeyType::Rsa3072;
    k.bootutilBytes = rsa ? derOf(key.get(), true) : k.spki;
    if (k.spki.empty() || k.bootutilBytes.empty())
        return makeError(Errc::Parse, "OpenSSL could not encode the public key");
    return k;
}

} // namespace flashplan::mcuboot
