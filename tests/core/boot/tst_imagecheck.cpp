// SPDX-License-Identifier: Apache-2.0
// The hash and signature checks on images the real imgtool signed (tests/data/mcuboot): every key kind
// MCUboot signs with, the right key and the wrong one, a corrupted body, and the slot verdict
// boot_validate_slot() would reach.
#include "McubootFixtures.h"
#include "boot/ImageCheck.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::mcuboot;
using mcubootfixtures::Bytes;

namespace {

PublicKey key(const std::string& file) {
    auto k = parsePublicKey(mcubootfixtures::readText(file));
    if (!k)
        qFatal("%s: %s", file.c_str(), k.error().toString().c_str());
    return *k;
}

Bytes image(const std::string& file) {
    Bytes b = mcubootfixtures::read(file);
    if (b.empty())
        qFatal("cannot read %s", mcubootfixtures::path(file).c_str());
    return b;
}

std::uint16_t u16(const Bytes& b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}

/// Where the unprotected TLV info starts, and where its last TLV (imgtool puts the signature last) does.
struct TlvArea {
    std::size_t info, last, end;
};
TlvArea tlvArea(const Bytes& b) {
    const std::size_t hdr = u16(b, 8), prot = u16(b, 10);
    const std::size_t img = b[12] | b[13] << 8 | b[14] << 16 | std::size_t(b[15]) << 24;
    TlvArea a{hdr + img + prot, 0, 0};
    a.end = a.info + u16(b, a.info + 2);
    for (std::size_t p = a.info + 4; p < a.end; p += 4 + u16(b, p + 2))
        a.last = p;
    return a;
}

/// The image with `count` zero bytes appended to its last TLV, the lengths fixed up: what --pad-sig does
/// to an ECDSA signature, after signing.
Bytes padLastTlv(Bytes b, std::size_t count) {
    const TlvArea a = tlvArea(b);
    const std::uint16_t total = static_cast<std::uint16_t>(u16(b, a.info + 2) + count);
    const std::uint16_t length = static_cast<std::uint16_t>(u16(b, a.last + 2) + count);
    b[a.info + 2] = total & 0xff, b[a.info + 3] = total >> 8;
    b[a.last + 2] = length & 0xff, b[a.last + 3] = length >> 8;
    b.insert(b.begin() + static_cast<std::ptrdiff_t>(a.end), count, 0);
    return b;
}

struct Signed {
    const char* image;
    const char* key;
    KeyType type;
    std::uint16_t hashTlv;
};

const Signed kSigned[] = {
    {"signed-rsa-2048.bin", "rsa-2048.pub.pem", KeyType::Rsa2048, kTlvSha256},
    {"signed-rsa-3072.bin", "rsa-3072.pub.pem", KeyType::Rsa3072, kTlvSha256},
    {"signed-ecdsa-p256.bin", "ecdsa-p256.pub.pem", KeyType::EcdsaP256, kTlvSha256},
    {"signed-ecdsa-p256-pubkey.bin", "ecdsa-p256.pub.pem", KeyType::EcdsaP256, kTlvSha256},
    {"signed-ecdsa-p256-padsig.bin", "ecdsa-p256.pub.pem", KeyType::EcdsaP256, kTlvSha256},
    {"signed-ecdsa-p384.bin", "ecdsa-p384.pub.pem", KeyType::EcdsaP384, kTlvSha384},
    {"signed-ed25519.bin", "ed25519.pub.pem", KeyType::Ed25519, kTlvSha256},
    {"signed-ed25519-sha512.bin", "ed25519.pub.pem", KeyType::Ed25519, kTlvSha512},
    {"signed-ed25519-pure.bin", "ed25519.pub.pem", KeyType::Ed25519, kTlvSha512},
};

} // namespace

class TestImageCheck : public QObject {
    Q_OBJECT
private slots:
    void readsImgtoolsKeys() {
        QCOMPARE(key("rsa-2048.pub.pem").type, KeyType::Rsa2048);
        QCOMPARE(key("rsa-3072.pub.pem").type, KeyType::Rsa3072);
        QCOMPARE(key("ecdsa-p256.pub.pem").type, KeyType::EcdsaP256);
        QCOMPARE(key("ecdsa-p384.pub.pem").type, KeyType::EcdsaP384);
        QCOMPARE(key("ed25519.pub.pem").type, KeyType::Ed25519);
        // RSA: bootutil's bytes are PKCS#1 RSAPublicKey (a SEQUENCE of two INTEGERs), not the SPKI.
        const PublicKey rsa = key("rsa-2048.pub.pem");
        QVERIFY(rsa.bootutilBytes != rsa.spki);
        QCOMPARE(rsa.bootutilBytes[0], std::uint8_t(0x30));
        QVERIFY(rsa.bootutilBytes.size() < rsa.spki.size());
        const PublicKey ec = key("ecdsa-p256.pub.pem");
        QVERIFY(ec.bootutilBytes == ec.spki);
        QCOMPARE(to_string(KeyType::EcdsaP384), std::string_view("ecdsa-p384"));
    }

    // A private key as imgtool keygen writes it gives the same public key as getpub's PEM.
    void readsPrivateKeysPublicHalf() {
        const PublicKey fromPrivate = key("ecdsa-p256-other.key.pem");
        const PublicKey fromPublic = key("ecdsa-p256-other.pub.pem");
        QCOMPARE(fromPrivate.type, KeyType::EcdsaP256);
        QVERIFY(fromPrivate.spki == fromPublic.spki);
    }

    void refusesOtherKeys() {
        auto k = parsePublicKey(mcubootfixtures::readText("x25519.pub.pem"));
        QVERIFY(!k);
        QCOMPARE(k.error().code, Errc::NotSupported);
        k = parsePublicKey("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n");
        QVERIFY(!k);
        QCOMPARE(k.error().code, Errc::Parse);
        QVERIFY(!parsePublicKey(""));
    }

    // imgtool's hash TLVs match the bytes they cover, whatever follows the TLVs (a padded slot too).
    void hashesMatch() {
        for (const Signed& s : kSigned) {
            const auto h = checkImageHash(image(s.image));
            QVERIFY2(h, s.image);
            QVERIFY2(h->ok(), h->message().c_str());
            QCOMPARE(h->tlvType, s.hashTlv);
            QVERIFY(h->computed == h->expected);
        }
        for (const auto& p : mcubootfixtures::paddedImages()) {
            const auto h = checkImageHash(image(p.file));
            QVERIFY2(h && h->ok(), p.file.c_str());
        }
        const auto plain = checkImageHash(image("hashed-only.bin"));
        QVERIFY(plain && plain->ok());
        QCOMPARE(plain->message(), std::string("SHA256 matches"));
        // The protected TLV area is hashed: header 0x200 + payload 0x400 + 12 bytes of SEC_CNT.
        QCOMPARE(checkImageHash(image("signed-ecdsa-p256.bin"))->hashedSize, quint64(0x200 + 0x400 + 12));
        QCOMPARE(checkImageHash(image("signed-ed25519.bin"))->hashedSize, quint64(0x600));
    }

    void corruptedBodyMismatches() {
        const auto h = checkImageHash(image("corrupted-ecdsa-p256.bin"));
        QVERIFY(h);
        QCOMPARE(h->status, HashCheck::Status::Mismatch);
        QVERIFY(h->computed != h->expected);
        QCOMPARE(h->expected.size(), std::size_t(32));
        // The TLV still holds the hash of the good image.
        QVERIFY(h->expected == checkImageHash(image("signed-ecdsa-p256.bin"))->expected);
        QVERIFY(QString::fromStdString(h->message()).startsWith("SHA256 mismatch: the TLV holds "));
        // The hash TLV itself corrupted: a mismatch too.
        Bytes b = image("hashed-only.bin");
        b.back() ^= 1; // the last byte of the SHA256 TLV
        QCOMPARE(checkImageHash(b)->status, HashCheck::Status::Mismatch);
    }

    void encryptedIsNotChecked() {
        Bytes b = image("signed-ecdsa-p256.bin");
        b[16] |= 0x04; // IMAGE_F_ENCRYPTED_AES128
        const auto h = checkImageHash(b);
        QVERIFY(h);
        QCOMPARE(h->status, HashCheck::Status::Encrypted);
        const auto s = checkImageSignature(b, key("ecdsa-p256.pub.pem"));
        QVERIFY(s);
        QCOMPARE(s->status, SignatureCheck::Status::Unchecked);
    }

    void notAnImage() {
        auto h = checkImageHash(Bytes(0x100, 0xff));
        QVERIFY(!h);
        QCOMPARE(h.error().code, Errc::Schema);
        Bytes cut = image("signed-ecdsa-p256.bin");
        cut.resize(0x500); // inside the payload
        h = checkImageHash(cut);
        QVERIFY(!h);
        QCOMPARE(h.error().code, Errc::Schema);
    }

    // Every key kind verifies its own image (KEYHASH, PUBKEY, SHA-384/512, pure, padded signature).
    void rightKeyVerifies() {
        for (const Signed& s : kSigned) {
            const PublicKey k = key(s.key);
            QCOMPARE(k.type, s.type);
            const auto r = checkImageSignature(image(s.image), k);
            QVERIFY2(r, s.image);
            QVERIFY2(r->ok(), (std::string(s.image) + ": " + r->message()).c_str());
            QCOMPARE(r->keyMatches, std::optional<bool>(true));
            QCOMPARE(r->signatureTlv, signatureTlv(s.type));
            QCOMPARE(r->pure, std::string(s.image) == "signed-ed25519-pure.bin");
        }
        // A signature padded past its DER length (imgtool --pad-sig), made longer still.
        const auto padded =
            checkImageSignature(padLastTlv(image("signed-ecdsa-p256.bin"), 2), key("ecdsa-p256.pub.pem"));
        QVERIFY(padded && padded->ok());
    }

    void wrongKeyFails() {
        // The same kind, another key: the KEYHASH names someone else, so bootutil tries no key.
        auto r = checkImageSignature(image("signed-ecdsa-p256.bin"), key("ecdsa-p256-other.pub.pem"));
        QVERIFY(r);
        QCOMPARE(r->status, SignatureCheck::Status::KeyMismatch);
        QCOMPARE(r->keyMatches, std::optional<bool>(false));
        QVERIFY(!r->ok());
        // The full key in a PUBKEY TLV is not the other key either.
        r = checkImageSignature(image("signed-ecdsa-p256-pubkey.bin"), key("ecdsa-p256-other.pub.pem"));
        QCOMPARE(r->status, SignatureCheck::Status::KeyMismatch);
        // ECDSA_SIG is P-256's and P-384's TLV alike: the KEYHASH tells them apart.
        r = checkImageSignature(image("signed-ecdsa-p256.bin"), key("ecdsa-p384.pub.pem"));
        QCOMPARE(r->status, SignatureCheck::Status::KeyMismatch);
        // Another kind: no signature TLV of its kind.
        r = checkImageSignature(image("signed-ecdsa-p256.bin"), key("rsa-2048.pub.pem"));
        QCOMPARE(r->status, SignatureCheck::Status::NoSignature);
        QCOMPARE(r->message(), std::string("no RSA2048_PSS TLV"));
        r = checkImageSignature(image("hashed-only.bin"), key("ed25519.pub.pem"));
        QCOMPARE(r->status, SignatureCheck::Status::NoSignature);
    }

    void badSignatureFails() {
        // The right key over a corrupted body: the signature covers the good image's hash.
        for (const char* k : {"ecdsa-p256.pub.pem"}) {
            const auto r = checkImageSignature(image("corrupted-ecdsa-p256.bin"), key(k));
            QVERIFY(r);
            QCOMPARE(r->status, SignatureCheck::Status::BadSignature);
        }
        // A flipped bit in each kind's signature.
        for (const Signed& s : kSigned) {
            Bytes b = image(s.image);
            b[tlvArea(b).last + 4 + 10] ^= 0x40; // a byte inside the signature (the last TLV)
            const auto r = checkImageSignature(b, key(s.key));
            QVERIFY2(r, s.image);
            QVERIFY2(r->status == SignatureCheck::Status::BadSignature,
                     (std::string(s.image) + ": " + r->message()).c_str());
        }
    }

    void noKeyTlv() {
        // Take the KEYHASH TLV's type away (0x01 -> 0x7f, a type bootutil skips): no key gets selected.
        Bytes b = image("signed-ed25519.bin");
        const std::size_t info = 0x600;
        std::size_t p = info + 4;
        while (u16(b, p) != kTlvKeyHash)
            p += 4 + u16(b, p + 2);
        b[p] = 0x7f;
        const auto r = checkImageSignature(b, key("ed25519.pub.pem"));
        QVERIFY(r);
        QCOMPARE(r->status, SignatureCheck::Status::NoKeyTlv);
        QVERIFY(!r->keyMatches);
    }

    // boot_validate_slot()'s verdict on a whole slot.
    void slotVerdicts() {
        const Bytes slot = image("pad-confirm-a8-m8-s0x8000.bin");
        auto v = checkSlotImage(slot, 0x8000, 0xff);
        QVERIFY(v);
        QCOMPARE(v->image, SlotImage::Valid);
        QVERIFY(v->hash && v->hash->ok());
        QVERIFY(!v->signature);
        const PublicKey right = key("ecdsa-p256.pub.pem"), wrong = key("ecdsa-p256-other.pub.pem");
        v = checkSlotImage(slot, 0x8000, 0xff, &right);
        QCOMPARE(v->image, SlotImage::Valid);
        QVERIFY(v->signature && v->signature->ok());
        v = checkSlotImage(slot, 0x8000, 0xff, &wrong);
        QCOMPARE(v->image, SlotImage::Invalid);
        QVERIFY(QString::fromStdString(v->problem).contains("another key"));
        // An erased slot holds no image.
        v = checkSlotImage(Bytes(0x8000, 0xff), 0x8000, 0xff);
        QCOMPARE(v->image, SlotImage::NoImage);
        v = checkSlotImage(Bytes(0x8000, 0x00), 0x8000, 0x00);
        QCOMPARE(v->image, SlotImage::NoImage);
        // IMAGE_F_NON_BOOTABLE.
        Bytes flagged = slot;
        flagged[16] |= 0x10;
        QCOMPARE(checkSlotImage(flagged, 0x8000, 0xff)->image, SlotImage::NotBootable);
        // Not an MCUboot header; an image that does not fit the slot; a corrupted body.
        QCOMPARE(checkSlotImage(Bytes(0x8000, 0x22), 0x8000, 0xff)->image,
                 SlotImage::Invalid); // no 0x10 flag
        v = checkSlotImage(slot, 0x600, 0xff);
        QCOMPARE(v->image, SlotImage::Invalid);
        QVERIFY(QString::fromStdString(v->problem).contains("does not fit"));
        v = checkSlotImage(image("corrupted-ecdsa-p256.bin"), 0x4000, 0xff);
        QCOMPARE(v->image, SlotImage::Invalid);
        QCOMPARE(v->problem, std::string("SHA256 mismatch"));
        QVERIFY(v->hash && !v->hash->ok());
    }

    // Given only the first bytes, the check says how many it needs instead of judging.
    void asksForEnoughBytes() {
        const Bytes slot = image("pad-test-a4-m8-s0x5000.bin");
        auto v = checkSlotImage(std::span<const std::uint8_t>(slot).first(16), 0x5000, 0xff);
        QVERIFY(!v);
        QCOMPARE(v.error().code, Errc::OutOfRange);
        v = checkSlotImage(std::span<const std::uint8_t>(slot).first(0x40), 0x5000, 0xff);
        QVERIFY(!v);
        QCOMPARE(v.error().code, Errc::OutOfRange);
        QVERIFY(QString::fromStdString(v.error().message).contains("0x604"));
        v = checkSlotImage(std::span<const std::uint8_t>(slot).first(0x610), 0x5000, 0xff);
        QVERIFY(!v);
        QCOMPARE(v.error().code, Errc::OutOfRange);
        const std::size_t whole = mcubootfixtures::read("signed-ecdsa-p256.bin").size();
        v = checkSlotImage(std::span<const std::uint8_t>(slot).first(whole), 0x5000, 0xff);
        QVERIFY(v);
        QCOMPARE(v->image, SlotImage::Valid);
    }
};

QTEST_APPLESS_MAIN(TestImageCheck)
#include "tst_imagecheck.moc"
