// SPDX-License-Identifier: Apache-2.0
// Image and ImageBuilder: sorted, merged, non-overlapping segments and the helpers over them; the raw
// binary loader; format detection.
#include "ImageFixtures.h"
#include "image/ImageFormat.h"
#include "image/RawBinary.h"

#include <QtTest>

using namespace flashplan;
using fixtures::Bytes;

namespace {
Image build(const std::vector<std::pair<std::uint64_t, Bytes>>& pieces) {
    ImageBuilder b("t.hex", "line");
    std::uint64_t line = 1;
    for (const auto& [address, bytes] : pieces)
        if (!b.add(address, bytes, line++))
            qFatal("add failed");
    auto image = std::move(b).build(ImageFormat::IntelHex);
    if (!image)
        qFatal("%s", image.error().toString().c_str());
    return *image;
}
} // namespace

class TestImage : public QObject {
    Q_OBJECT
private slots:
    void piecesAreSortedAndTouchingOnesMerged() {
        const Image image = build({{0x200, {4, 5}}, {0x100, {1, 2}}, {0x102, {3}}, {0x300, {}}});
        QCOMPARE(image.segments().size(), std::size_t(2));
        QCOMPARE(image.segments()[0], (Segment{0x100, {1, 2, 3}}));
        QCOMPARE(image.segments()[1], (Segment{0x200, {4, 5}}));
        QCOMPARE(image.lowestAddress(), std::uint64_t(0x100));
        QCOMPARE(image.highestAddress(), std::uint64_t(0x201));
        QCOMPARE(image.endAddress(), std::uint64_t(0x202));
        QCOMPARE(image.totalSize(), std::uint64_t(5));
    }

    void bytesAtAnAddress() {
        const Image image = build({{0x100, {1, 2, 3}}, {0x200, {4, 5}}});
        QCOMPARE(image.byteAt(0x101), std::optional<std::uint8_t>(2));
        QCOMPARE(image.byteAt(0x103), std::optional<std::uint8_t>());
        QCOMPARE(image.byteAt(0xff), std::optional<std::uint8_t>());
        QCOMPARE(image.bytesFrom(0x201).size(), std::size_t(1));
        QCOMPARE(image.bytesFrom(0x101)[1], std::uint8_t(3));
        QVERIFY(image.bytesFrom(0x150).empty());
        QVERIFY(image.bytesFrom(0x202).empty());
    }

    void flattenFillsTheGaps() {
        const Image image = build({{0x100, {1, 2}}, {0x104, {3}}});
        QCOMPARE(*image.flatten(0xff), (std::vector<std::uint8_t>{1, 2, 0xff, 0xff, 3}));
        QCOMPARE(*image.flatten(0xfe, 4, 0), (std::vector<std::uint8_t>{0, 0, 1, 2}));
        QCOMPARE(*image.flatten(0x104, 3, 0xee), (std::vector<std::uint8_t>{3, 0xee, 0xee}));
        QCOMPARE(image.flatten(0, Image::kMaxFlattenSize + 1).error().code, Errc::OutOfRange);
        QCOMPARE(image.flatten(UINT64_MAX - 1, 4).error().code, Errc::OutOfRange);
        QVERIFY(Image().flatten()->empty());
    }

    void overlappingPiecesAreAnErrorNamingBoth() {
        ImageBuilder b("fw.hex", "line");
        QVERIFY(b.add(0x08000000, Bytes(16, 1), 3).ok());
        QVERIFY(b.add(0x08000010, Bytes(16, 2), 4).ok());
        QVERIFY(b.add(0x08000018, Bytes(4, 3), 9).ok());
        const auto image = std::move(b).build(ImageFormat::IntelHex);
        QVERIFY(!image.ok());
        const Error& e = image.error();
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.where.file, std::string("fw.hex"));
        QCOMPARE(e.where.line, 9);
        QVERIFY2(e.message.find("line 9 (0x08000018..0x0800001c) overlaps line 4 (0x08000010..0x08000020)") !=
                     std::string::npos,
                 e.message.c_str());
    }

    void overlapNamesTheEarlierPieceFirstWhateverTheAddressOrder() {
        ImageBuilder b("fw.elf", "program header");
        QVERIFY(b.add(0x100, Bytes(16, 1), 0).ok());
        QVERIFY(b.add(0xf8, Bytes(16, 2), 1).ok());
        const auto image = std::move(b).build(ImageFormat::Elf);
        QVERIFY(!image.ok());
        QCOMPARE(image.error().where.line, 0); // not a line-based format
        QVERIFY2(image.error().message.find(
                     "program header 1 (0x000000f8..0x00000108) overlaps program header 0") !=
                     std::string::npos,
                 image.error().message.c_str());
    }

    void piecesReachingPastTheAddressSpaceAreRefused() {
        ImageBuilder b("x.elf", "program header");
        QCOMPARE(b.add(UINT64_MAX - 3, Bytes(4, 0), 0).error().code, Errc::OutOfRange);
        QVERIFY(b.add(UINT64_MAX - 4, Bytes(3, 0), 0).ok());
    }

    void formatNames() {
        for (ImageFormat f :
             {ImageFormat::Binary, ImageFormat::IntelHex, ImageFormat::SRecord, ImageFormat::Elf})
            QCOMPARE(imageFormatFromString(to_string(f)), std::optional(f));
        QCOMPARE(imageFormatFromString("ihex"), std::optional<ImageFormat>());
    }

    void rawBinaryIsRelativeUnlessGivenABase() {
        const std::string content = fixtures::asString(fixtures::pattern(100));
        const auto relative = loadRawBinary(content, "app.bin");
        QVERIFY(relative.ok());
        QVERIFY(!relative->absolute);
        QCOMPARE(relative->lowestAddress(), std::uint64_t(0));
        QCOMPARE(relative->totalSize(), std::uint64_t(100));
        QCOMPARE(relative->format, ImageFormat::Binary);

        const auto placed = loadRawBinary(content, "app.bin", 0x08020000);
        QVERIFY(placed->absolute);
        QCOMPARE(placed->lowestAddress(), std::uint64_t(0x08020000));
        QCOMPARE(*placed->flatten(), fixtures::pattern(100));
    }

    void emptyOrWrappingRawBinariesAreErrors() {
        const auto empty = loadRawBinary("", "empty.bin");
        QCOMPARE(empty.error().code, Errc::Schema);
        QCOMPARE(empty.error().where.file, std::string("empty.bin"));
        QCOMPARE(loadRawBinary("abcd", "a.bin", UINT64_MAX - 2).error().code, Errc::OutOfRange);
    }

    void detection_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        const auto hex = QByteArray::fromStdString(fixtures::toIntelHex(fixtures::twoSegmentProgram()));
        const auto srec = QByteArray::fromStdString(fixtures::toSRecord(fixtures::twoSegmentProgram(), 0));
        const auto elf = QByteArray::fromStdString(fixtures::programAsElf());
        QTest::newRow("hex by content") << hex << "firmware" << int(ImageFormat::IntelHex);
        QTest::newRow("hex after blank lines, CRLF")
            << "\r\n\r\n" + hex << "x.txt" << int(ImageFormat::IntelHex);
        QTest::newRow("srec by content") << srec << "firmware.txt" << int(ImageFormat::SRecord);
        QTest::newRow("elf by magic") << elf << "zephyr" << int(ImageFormat::Elf);
        QTest::newRow("elf named .hex") << elf << "zephyr.hex" << int(ImageFormat::Elf);
        QTest::newRow(".bin wins over content") << hex << "app.bin" << int(ImageFormat::Binary);
        QTest::newRow(".BIN upper case") << elf << "APP.BIN" << int(ImageFormat::Binary);
        QTest::newRow("hex extension, broken content")
            << QByteArray("garbage") << "a.hex" << int(ImageFormat::IntelHex);
        QTest::newRow(".s19") << QByteArray("?") << "a.s19" << int(ImageFormat::SRecord);
        QTest::newRow(".axf") << QByteArray("?") << "a.axf" << int(ImageFormat::Elf);
        QTest::newRow("unknown is raw")
            << QByteArray("\x3d\xb8\xf3\x96", 4) << "zephyr.signed" << int(ImageFormat::Binary);
        QTest::newRow("colon but not hex")
            << QByteArray(":not a record") << "notes" << int(ImageFormat::Binary);
    }
    void detection() {
        QFETCH(QByteArray, content);
        QFETCH(QString, name);
        QFETCH(int, format);
        const auto detected = detectImageFormat(content.toStdString(), name.toStdString());
        QCOMPARE(int(detected.format), format);
        QVERIFY(!detected.reason.empty());
    }

    void loadImageForcesTheFormatAndRefusesABaseForAddressedFormats() {
        const std::string hex = fixtures::toIntelHex(fixtures::twoSegmentProgram());
        const auto forced = loadImage(hex, "fw.hex", {ImageFormat::Binary, std::nullopt, {}});
        QVERIFY(forced.ok());
        QCOMPARE(forced->image.format, ImageFormat::Binary);
        QCOMPARE(forced->format.reason, std::string("--format bin"));

        const auto based = loadImage(hex, "fw.hex", {std::nullopt, 0x08000000, {}});
        QCOMPARE(based.error().code, Errc::InvalidArgument);
        QCOMPARE(based.error().where.file, std::string("fw.hex"));

        const auto missing = loadImageFile("/no/such/image.hex");
        QCOMPARE(missing.error().code, Errc::NotFound);
        QCOMPARE(missing.error().where.file, std::string("/no/such/image.hex"));
    }
};

QTEST_GUILESS_MAIN(TestImage)
#include "tst_image.moc"
