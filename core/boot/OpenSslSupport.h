// SPDX-License-Identifier: Apache-2.0
#pragma once
// Owners for the OpenSSL objects core/boot uses, so that every path frees them. Internal to core/boot's
// .cpp files: no public header includes OpenSSL.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <span>

namespace flashplan::mcuboot::ossl {

struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct PKeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PKeyCtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

using Bio = std::unique_ptr<BIO, BioFree>;
using PKey = std::unique_ptr<EVP_PKEY, PKeyFree>;
using PKeyCtx = std::unique_ptr<EVP_PKEY_CTX, PKeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

/// A one-shot signature check of `message` (Ed25519, which hashes inside the scheme): true when it
/// verifies.
inline bool digestVerify(EVP_PKEY* key, std::span<const std::uint8_t> sig,
                         std::span<const std::uint8_t> message) {
    MdCtx ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) == 1 &&
           EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), message.data(), message.size()) == 1;
}

/// OpenSSL queues an error for every failed parse or verify; the core reports its own, so the queue of
/// this thread is emptied after each attempt rather than left to grow.
inline void clearErrors() {
    ERR_clear_error();
}

} // namespace flashplan::mcuboot::ossl
