// SPDX-License-Identifier: Apache-2.0
// MCUboot and wolfBoot headers on images built byte by byte (layouts documented in ImageFixtures.h, after
// mcuboot's bootutil/image.h and wolfBoot's wolfboot.h / docs/firmware_image.md / keytools/sign.c).
#include "ImageFixtures.h"
#include "image/ImageHeader.h"
#include "image/RawBinary.h"

#include <QtTest>

using namespace flashplan;
using fixtures::Bytes;
using fixtures::McubootSpec;
using fixtures::WolfbootSpec;

namespace {

ImageHeader headerOf(const Bytes& bytes) {
    const auto image = loadRawBinary(fixtures::asString(bytes), "signed.bin");
    if (!image)
        qFatal("%s", image.error().toString().c_str());
    return recognizeHeader(*image);
}

/// The rule ids of the findings, for comparing in one line.
QStringList rules(const ImageHeader& h) {
    QStringList out;
    for (const Diagnostic& d : h.findings())
        out << QString::fromStdString(std::string(to_string(d.severity)) + " " + d.rule);
    return out;
}

QString messages(const ImageHeader& h) {
    QString out;
    for (const Diagnostic& d : h.findings())
        out += QString::fromStdString(d.message) + "\n";
    return out;
}

} // namespace

class TestImageHeader : public QObject {
    Q_OBJECT
private slots:
    void noHeader() {
        const ImageHeader h = headerOf(fixtures::pattern(64));
        QCOMPARE(h.kind, HeaderKind::None);
        QCOMPARE(h.totalSize(), std::uint64_t(0));
        QVERIFY(h.findings().empty());
        QCOMPARE(recognizeHeader(Image()).kind, HeaderKind::None);
    }

    void mcubootSignedImage() {
        McubootSpec spec;
        spec.flags = 0x20 | 0x100; // RAM_LOAD | ROM_FIXED
        spec.loadAddress = 0x20001000;
        const Bytes bytes = fixtures::makeMcubootImage(spec);
        const ImageHeader h = headerOf(bytes);
        QCOMPARE(h.kind, HeaderKind::Mcuboot);
        QVERIFY2(h.findings().empty(), qPrintable(messages(h)));
        const McubootHeader& m = *h.mcuboot;
        QCOMPARE(m.headerSize, std::uint16_t(0x200));
        QCOMPARE(m.imageSize, std::uint32_t(0x400));
        QCOMPARE(m.loadAddress, std::uint32_t(0x20001000));
        QCOMPARE(m.version, (McubootVersion{1, 2, 3, 4}));
        QCOMPARE(h.version(), std::string("1.2.3+4"));
        QCOMPARE(mcubootFlagNames(m.flags), (std::vector<std::string>{"RAM_LOAD", "ROM_FIXED"}));
        QCOMPARE(m.protectedTlvSize, std::uint16_t(0));
        // info (4) + SHA256 (4 + 32) + KEYHASH (4 + 32) + ECDSA_SIG (4 + 72)
        QCOMPARE(m.unprotectedTlvSize, std::uint64_t(4 + 36 + 36 + 76));
        QCOMPARE(h.headerSize(), std::uint64_t(0x200));
        QCOMPARE(h.payloadSize(), std::uint64_t(0x400));
        QCOMPARE(h.tlvSize(), std::uint64_t(152));
        QCOMPARE(h.totalSize(), std::uint64_t(bytes.size()));
        QCOMPARE(m.tlvs.size(), std::size_t(3));
        QCOMPARE(mcubootTlvName(m.tlvs[0].type), std::string("SHA256"));
        QCOMPARE(mcubootTlvName(m.tlvs[1].type), std::string("KEYHASH"));
        QCOMPARE(mcubootTlvName(m.tlvs[2].type), std::string("ECDSA_SIG"));
        QCOMPARE(m.tlvs[0].offset, std::uint64_t(0x600 + 4));
        QCOMPARE(m.tlvs[2].length, std::uint16_t(72));
        QVERIFY(!m.tlvs[0].isProtected);
    }

    void mcubootProtectedTlvs() {
        McubootSpec spec;
        spec.protectedTlvs = {{0x50, {1, 0, 0, 0}}, {0x40, Bytes(12, 0)}}; // SEC_CNT, DEPENDENCY
        const Bytes bytes = fixtures::makeMcubootImage(spec);
        const ImageHeader h = headerOf(bytes);
        QVERIFY2(h.findings().empty(), qPrintable(messages(h)));
        QCOMPARE(h.mcuboot->protectedTlvSize, std::uint16_t(4 + 8 + 16));
        QCOMPARE(h.mcuboot->tlvs.size(), std::size_t(5));
        QVERIFY(h.mcuboot->tlvs[0].isProtected && h.mcuboot->tlvs[1].isProtected &&
                !h.mcuboot->tlvs[2].isProtected);
        QCOMPARE(mcubootTlvName(h.mcuboot->tlvs[0].type), std::string("SEC_CNT"));
        QCOMPARE(h.totalSize(), std::uint64_t(bytes.size()));
    }

    void mcubootUnsignedImageIsAWarning() {
        McubootSpec spec;
        spec.tlvs = {};
        Bytes bytes = fixtures::makeMcubootImage(spec);
        bytes.resize(0x600); // header + payload only, as before imgtool sign
        ImageHeader h = headerOf(bytes);
        QCOMPARE(rules(h), QStringList{"warning image.mcuboot-no-tlvs"});
        QCOMPARE(h.totalSize(), std::uint64_t(0x600));
        QVERIFY(!h.hasErrors());
        bytes.resize(0x800, 0xff); // padded with erased flash
        h = headerOf(bytes);
        QCOMPARE(rules(h), QStringList{"warning image.mcuboot-no-tlvs"});
    }

    void mcubootMalformed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("message");
        const Bytes good = fixtures::makeMcubootImage({});
        auto row = [](const char* name, const Bytes& b, const char* rule, const char* message) {
            QTest::newRow(name) << QByteArray::fromStdString(fixtures::asString(b)) << QString(rule)
                                << QString(message);
        };
        row("header truncated", Bytes(good.begin(), good.begin() + 20),
            "error image.mcuboot-header-truncated", "ends 20 bytes into the 32-byte image_header");
        Bytes b = good;
        fixtures::putLe(b, 8, 16, 2);
        row("header size too small", b, "error image.mcuboot-header-size", "ih_hdr_size 0x10 is smaller");
        b = good;
        fixtures::putLe(b, 12, 0x10000, 4);
        row("image size past the file", b, "error image.mcuboot-size-past-end",
            "ih_hdr_size 0x200 + ih_img_size 0x10000 end at 0x10200, past the end of the image's 0x698 "
            "bytes");
        row("TLV area truncated", Bytes(good.begin(), good.end() - 40), "error image.mcuboot-tlv-truncated",
            "the TLV area at 0x600 is 0x98 bytes long, but the image ends 0x70 bytes into it");
        row("TLV info cut", Bytes(good.begin(), good.begin() + 0x602), "error image.mcuboot-tlv-truncated",
            "inside the TLV info at 0x600");
        b = good;
        fixtures::putLe(b, 0x600, 0x1234, 2);
        row("wrong TLV magic", b, "error image.mcuboot-tlv-magic",
            "read 0x1234, not the TLV info magic 0x6907");
        b = good;
        fixtures::putLe(b, 0x600 + 4 + 2, 0x200, 2); // SHA256's it_len runs past tlv_tot
        row("TLV runs past its area", b, "error image.mcuboot-tlv-truncated",
            "TLV SHA256 at offset 0x604 has 512 bytes of value");
        b = good;
        fixtures::putLe(b, 0x602, 2, 2);
        row("tlv_tot below 4", b, "error image.mcuboot-tlv-size", "less than the 4 bytes");
        b = good;
        fixtures::putLe(b, 10, 0x10, 2); // ih_protect_tlv_size without a protected area
        row("protected size without area", b, "error image.mcuboot-tlv-magic",
            "not the protected TLV info magic 0x6908");
        McubootSpec prot;
        prot.protectedTlvs = {{0x50, {1, 0, 0, 0}}};
        b = fixtures::makeMcubootImage(prot);
        fixtures::putLe(b, 10, 0x20, 2);
        row("protected size disagrees", b, "error image.mcuboot-tlv-size",
            "says tlv_tot 0xc, ih_protect_tlv_size says 0x20");
        b = fixtures::makeMcubootImage(prot);
        fixtures::putLe(b, 10, 0, 2);
        row("protected area not announced", b, "error image.mcuboot-tlv-magic",
            "while ih_protect_tlv_size is 0");
        b = fixtures::makeMcubootImage(prot);
        b.resize(0x606);
        row("protected area cut", b, "error image.mcuboot-tlv-truncated",
            "the protected TLV area at 0x600 is 0xc bytes");
    }
    void mcubootMalformed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, rule);
        QFETCH(QString, message);
        const Bytes b(bytes.begin(), bytes.end());
        const ImageHeader h = headerOf(b);
        QCOMPARE(h.kind, HeaderKind::Mcuboot);
        QVERIFY(h.hasErrors());
        QCOMPARE(rules(h), QStringList{rule});
        QVERIFY2(messages(h).contains(message), qPrintable(messages(h)));
    }

    void tlvNames() {
        QCOMPARE(mcubootTlvName(0x24), std::string("ED25519"));
        QCOMPARE(mcubootTlvName(0x1a0), std::string("vendor 0x1a0"));
        QCOMPARE(mcubootTlvName(0x77), std::string("0x77"));
        QCOMPARE(mcubootFlagNames(0x4 | 0x80000), (std::vector<std::string>{"ENCRYPTED_AES128", "0x80000"}));
        QCOMPARE(wolfbootTlvName(0x20), std::string("SIGNATURE"));
        QCOMPARE(wolfbootTlvName(0x30), std::string("custom 0x30"));
        QCOMPARE(wolfbootImageTypeText(0x0201), std::string("application, ECC256"));
        QCOMPARE(wolfbootImageTypeText(0xff00), std::string("wolfBoot, no signature"));
        QCOMPARE(wolfbootImageTypeText(0x01d1), std::string("application, ED25519, delta"));
    }

    void wolfbootSignedImage() {
        const Bytes bytes = fixtures::makeWolfbootImage({});
        const ImageHeader h = headerOf(bytes);
        QCOMPARE(h.kind, HeaderKind::Wolfboot);
        QVERIFY2(h.findings().empty(), qPrintable(messages(h)));
        const WolfbootHeader& w = *h.wolfboot;
        QCOMPARE(w.imageSize, std::uint32_t(0x600));
        QCOMPARE(w.headerSize, std::uint32_t(256));
        QVERIFY(w.headerSizeKnown);
        QCOMPARE(w.version, std::optional<std::uint32_t>(7));
        QCOMPARE(w.timestamp, std::optional<std::uint64_t>(1700000000));
        QCOMPARE(w.imageType, std::optional<std::uint16_t>(0x0201));
        QCOMPARE(h.version(), std::string("7"));
        QCOMPARE(h.headerSize(), std::uint64_t(256));
        QCOMPARE(h.payloadSize(), std::uint64_t(0x600));
        QCOMPARE(h.tlvSize(), std::uint64_t(0));
        QCOMPARE(h.totalSize(), std::uint64_t(256 + 0x600));
        QStringList tags;
        for (const WolfbootTlv& t : w.tlvs)
            tags << QString::fromStdString(wolfbootTlvName(t.type) + "@" + std::to_string(t.offset));
        QCOMPARE(tags, (QStringList{"VERSION@8", "TIMESTAMP@16", "IMG_TYPE@28", "PUBKEY@40", "SHA256@80",
                                    "SIGNATURE@120"}));
        QCOMPARE(w.tlvBytesUsed(), std::uint64_t(188 - 8));
    }

    void wolfbootHeaderSizeFromTheFileLength() {
        WolfbootSpec spec;
        spec.headerSize = 512;
        ImageHeader h = headerOf(fixtures::makeWolfbootImage(spec));
        QCOMPARE(h.wolfboot->headerSize, std::uint32_t(512));
        QVERIFY(h.findings().empty());

        // Padded to a partition's size the length says nothing: 256 is assumed, and said.
        Bytes padded = fixtures::makeWolfbootImage({});
        padded.resize(0x20000, 0xff);
        h = headerOf(padded);
        QCOMPARE(h.wolfboot->headerSize, std::uint32_t(256));
        QVERIFY(!h.wolfboot->headerSizeKnown);
        QCOMPARE(rules(h), QStringList{"info image.wolfboot-header-size-assumed"});

        // The caller may know IMAGE_HEADER_SIZE.
        const auto given = parseWolfbootHeader(padded, 256);
        QVERIFY(given->headerSizeKnown && given->findings.empty());
    }

    void wolfbootMalformed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("rules");
        QTest::addColumn<QString>("message");
        const Bytes good = fixtures::makeWolfbootImage({});
        auto row = [](const char* name, const Bytes& b, const QStringList& r, const char* message) {
            QTest::newRow(name) << QByteArray::fromStdString(fixtures::asString(b)) << r << QString(message);
        };
        row("magic only", Bytes(good.begin(), good.begin() + 6), {"error image.wolfboot-header-truncated"},
            "ends 6 bytes into the header's magic and size");
        row("header cut", Bytes(good.begin(), good.begin() + 100),
            {"info image.wolfboot-header-size-assumed", "error image.wolfboot-header-truncated"},
            "the file ends 0x64 bytes into the 256-byte header");
        Bytes b = good;
        fixtures::putLe(b, 4, 0x100000, 4);
        row("size past the file", b,
            {"info image.wolfboot-header-size-assumed", "error image.wolfboot-size-past-end"},
            "the image size 0x100000 after the 256-byte header ends at 0x100100, past the end of the image's "
            "0x700 bytes");
        b = good;
        fixtures::putLe(b, 122, 200, 2); // the signature's length runs past the header
        row("tag past the header", b, {"error image.wolfboot-tlv-truncated"},
            "SIGNATURE tag at offset 0x78 has 200 bytes of value, which run past the end of the 256-byte "
            "header");
        b = good;
        fixtures::putLe(b, 10, 2, 2); // the version tag with 2 bytes of value
        // wolfBoot reads on after the 2-byte value, into the version's zero bytes: HDR_END, the walk ends.
        row("short version", b,
            {"error image.wolfboot-tlv-length", "warning image.wolfboot-no-version",
             "warning image.wolfboot-no-digest"},
            "VERSION tag at offset 0x8 has 2 bytes of value, not 4");
        WolfbootSpec spec;
        spec.withVersion = false;
        spec.withDigest = false;
        row("no version, no digest", fixtures::makeWolfbootImage(spec),
            {"warning image.wolfboot-no-version", "warning image.wolfboot-no-digest"},
            "takes the version to be 0");
    }
    void wolfbootMalformed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, rules);
        QFETCH(QString, message);
        const ImageHeader h = headerOf(Bytes(bytes.begin(), bytes.end()));
        QCOMPARE(h.kind, HeaderKind::Wolfboot);
        QCOMPARE(::rules(h), rules);
        QVERIFY2(messages(h).contains(message), qPrintable(messages(h)));
    }

    void wolfbootEndTagStopsTheWalk() {
        Bytes b = fixtures::makeWolfbootImage({});
        fixtures::putLe(b, 40, 0, 2); // HDR_END where the public key hint was
        const ImageHeader h = headerOf(b);
        QCOMPARE(h.wolfboot->tlvs.size(), std::size_t(3));
        QCOMPARE(rules(h), QStringList{"warning image.wolfboot-no-digest"});
    }

    void headerOfAnImageWithAddresses() {
        // The header is read at the image's lowest address, whatever the format.
        ImageBuilder builder("fw.hex", "line");
        const Bytes signedImage = fixtures::makeMcubootImage({});
        QVERIFY(builder.add(0x08020000, signedImage, 1).ok());
        const auto image = std::move(builder).build(ImageFormat::IntelHex);
        QCOMPARE(recognizeHeader(*image).kind, HeaderKind::Mcuboot);
    }
};

QTEST_GUILESS_MAIN(TestImageHeader)
#include "tst_imageheader.moc"
