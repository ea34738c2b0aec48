// SPDX-License-Identifier: Apache-2.0
// wolfBoot's digest and signature checks on the images of tests/data/wolfboot (made by its
// make-fixtures.py as wolfBoot's sign tool lays them out): the right key and the wrong ones, a corrupted
// firmware, a cut-short image, and a key kind whose wolfBoot signature is not read.
#include "McubootFixtures.h"
#include "boot/WolfbootCheck.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::wolfboot;
using mcubootfixtures::Bytes;

namespace {

Bytes file(const std::string& name) {
    Bytes b = mcubootfixtures::read("../wolfboot/" + name);
    if (b.empty())
        qFatal("cannot read tests/data/wolfboot/%s", name.c_str());
    return b;
}

mcuboot::PublicKey key(const std::string& name) {
    auto k = mcuboot::parsePublicKey(mcubootfixtures::readText(name));
    if (!k)
        qFatal("%s: %s", name.c_str(), k.error().toString().c_str());
    return *k;
}

WolfbootHeader header(const Bytes& image) {
    auto h = parseWolfbootHeader(image, 256);
    if (!h)
        qFatal("no wolfBoot header");
    return *h;
}

} // namespace

class TestWolfbootCheck : public QObject {
    Q_OBJECT
private slots:
    void theDigestCoversTheHeaderUpToItsTagAndTheFirmware() {
        const Bytes image = file("signed-ecc256-v7.bin");
        const WolfbootHeader h = header(image);
        QCOMPARE(h.version, std::optional<std::uint32_t>(7));
        auto check = checkWolfbootImage(image, h);
        QVERIFY(check);
        QCOMPARE(check->digest.status, DigestCheck::Status::Match);
        QCOMPARE(check->digest.message(), std::string("SHA256 matches"));
        QVERIFY(!check->signature);
        QVERIFY(check->valid());
        // Bytes past the firmware (the rest of the partition) play no part.
        Bytes slot = image;
        slot.resize(0x4000, 0xff);
        QCOMPARE(checkWolfbootImage(slot, h)->digest.status, DigestCheck::Status::Match);
    }

    void aCorruptedFirmwareIsAMismatchAndItsSignatureFails() {
        const Bytes image = file("corrupted-ecc256-v7.bin");
        const mcuboot::PublicKey k = key("../wolfboot/ecc256.pub.pem");
        auto check = checkWolfbootImage(image, header(image), &k);
        QVERIFY(check);
        QCOMPARE(check->digest.status, DigestCheck::Status::Mismatch);
        QVERIFY2(check->digest.message().starts_with("SHA256 mismatch: the header holds "),
                 check->digest.message().c_str());
        QCOMPARE(check->signature->status, SignatureCheck::Status::BadSignature);
        QVERIFY(!check->valid());
    }

    void signaturesVerifyWithTheirKeyOnly() {
        const Bytes ecc = file("signed-ecc256-v7.bin"), ed = file("signed-ed25519-v3.bin");
        const mcuboot::PublicKey eccKey = key("../wolfboot/ecc256.pub.pem");
        const mcuboot::PublicKey edKey = key("../wolfboot/ed25519.pub.pem");
        const mcuboot::PublicKey otherP256 = key("ecdsa-p256.pub.pem"); // MCUboot's fixture key
        QCOMPARE(checkWolfbootImage(ecc, header(ecc), &eccKey)->signature->status,
                 SignatureCheck::Status::Verified);
        QCOMPARE(checkWolfbootImage(ed, header(ed), &edKey)->signature->status,
                 SignatureCheck::Status::Verified);
        QCOMPARE(checkWolfbootImage(ed, header(ed), &edKey)->signature->message(),
                 std::string("signature verifies"));
        // The public key hint names the key: another key of the same kind, or another kind, is refused
        // before any signature math.
        QCOMPARE(checkWolfbootImage(ecc, header(ecc), &otherP256)->signature->status,
                 SignatureCheck::Status::KeyMismatch);
        QCOMPARE(checkWolfbootImage(ecc, header(ecc), &edKey)->signature->status,
                 SignatureCheck::Status::KeyMismatch);
        QCOMPARE(checkWolfbootImage(ed, header(ed), &eccKey)->signature->status,
                 SignatureCheck::Status::KeyMismatch);
        // Without the hint, the signature itself decides.
        Bytes noHint = ecc;
        const WolfbootHeader eccHeader = header(ecc);
        const auto hint = std::find_if(eccHeader.tlvs.begin(), eccHeader.tlvs.end(),
                                       [](const WolfbootTlv& t) { return t.type == 0x10; });
        QVERIFY(hint != eccHeader.tlvs.end());
        noHint[hint->offset] = 0x11; // HDR_SECONDARY_CIPHER: a tag the checks do not read
        QCOMPARE(checkWolfbootImage(noHint, header(noHint), &otherP256)->signature->status,
                 SignatureCheck::Status::BadSignature);
    }

    void rsaKeysAreNotCheckedAndSaySo() {
        const Bytes ecc = file("signed-ecc256-v7.bin");
        const mcuboot::PublicKey rsa = key("rsa-2048.pub.pem");
        const auto check = checkWolfbootImage(ecc, header(ecc), &rsa);
        QCOMPARE(check->signature->status, SignatureCheck::Status::Unchecked);
        QVERIFY2(check->signature->message().find("RSA") != std::string::npos,
                 check->signature->message().c_str());
    }

    void aCutShortImageIsAnError() {
        Bytes image = file("signed-ecc256-v7.bin");
        const WolfbootHeader h = header(image);
        image.resize(image.size() - 1);
        const auto check = checkWolfbootImage(image, h);
        QVERIFY(!check);
        QCOMPARE(check.error().code, Errc::OutOfRange);
    }

    void anImageWithoutADigestTagHasNoDigest() {
        Bytes image = file("signed-ecc256-v7.bin");
        const WolfbootHeader signedHeader = header(image);
        const auto sha = std::find_if(signedHeader.tlvs.begin(), signedHeader.tlvs.end(),
                                      [](const WolfbootTlv& t) { return t.type == 0x03; });
        QVERIFY(sha != signedHeader.tlvs.end());
        image[sha->offset] = 0x11;
        const mcuboot::PublicKey k = key("../wolfboot/ecc256.pub.pem");
        const auto check = checkWolfbootImage(image, header(image), &k);
        QCOMPARE(check->digest.status, DigestCheck::Status::NoDigest);
        QCOMPARE(check->signature->status, SignatureCheck::Status::Unchecked);
        QVERIFY(!check->valid());
    }
};

QTEST_APPLESS_MAIN(TestWolfbootCheck)
#include "tst_wolfbootcheck.moc"
