// SPDX-License-Identifier: Apache-2.0
// Motorola S-records: every record type, count records, and every way a file can be broken.
#include "ImageFixtures.h"
#include "image/SRecord.h"

#include <QtTest>

using namespace flashplan;
using fixtures::Bytes;
using fixtures::sRecord;

namespace {
std::string lines(std::initializer_list<std::string> records) {
    std::string out;
    for (const std::string& r : records)
        out += r + "\n";
    return out;
}
const std::string kS9 = sRecord(9, 0, 2, {});
} // namespace

class TestSRecord : public QObject {
    Q_OBJECT
private slots:
    void readsTheTwoSegmentProgram() {
        const auto program = fixtures::twoSegmentProgram();
        const auto image = parseSRecord(fixtures::toSRecord(program, 0x08000201, "zephyr.srec"), "fw.srec");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        QCOMPARE(image->format, ImageFormat::SRecord);
        QCOMPARE(image->segments().size(), std::size_t(2));
        QCOMPARE(image->segments()[0], (Segment{program[0].address, program[0].bytes}));
        QCOMPARE(image->segments()[1], (Segment{program[1].address, program[1].bytes}));
        QCOMPARE(image->startAddress, std::optional<std::uint64_t>(0x08000201));
        QCOMPARE(image->detail, std::string("S0 header: zephyr.srec"));
    }

    void sixteenAndTwentyFourBitRecordsMixed() {
        const auto image = parseSRecord(lines({sRecord(1, 0x1000, 2, {1, 2}), sRecord(2, 0x123456, 3, {3}),
                                               sRecord(6, 2, 3, {}), sRecord(8, 0x123456, 3, {})}),
                                        "mixed.s28");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        QCOMPARE(image->segments(), (std::vector<Segment>{{0x1000, {1, 2}}, {0x123456, {3}}}));
        QCOMPARE(image->startAddress, std::optional<std::uint64_t>(0x123456));
    }

    void lowerCaseCrLfAndTheClassicExample() {
        // The S19 example of the Motorola format description (SREC(5)), lower-cased and with CR LF.
        const std::string text = "s00f000068656c6c6f202020202000003c\r\n"
                                 "S11F00007C0802A6900100049421FFF07C6C1B787C8C23783C6000003863000026\r\n"
                                 "S11F001C4BFFFFE5398000007D83637880010014382100107C0803A64E800020E9\r\n"
                                 "S111003848656C6C6F20776F726C642E0A0042\r\n"
                                 "S5030003F9\r\n"
                                 "s9030000fc\r\n";
        std::string lowered = text;
        for (char& c : lowered)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // Record markers stay upper case: 'S' is the format's marker, only the hex digits may be lower.
        for (std::size_t i = 0; i < lowered.size(); ++i)
            if (lowered[i] == 's' && (i == 0 || lowered[i - 1] == '\n'))
                lowered[i] = 'S';
        const auto image = parseSRecord(lowered, "hello.s19");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        QCOMPARE(image->segments().size(), std::size_t(1));
        QCOMPARE(image->totalSize(), std::uint64_t(28 + 28 + 14));
        QCOMPARE(image->detail, std::string("S0 header: hello"));
        QCOMPARE(image->startAddress, std::optional<std::uint64_t>(0));
    }

    void errors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        const std::string good = sRecord(1, 0x100, 2, {1, 2, 3});
        std::string badSum = sRecord(1, 0x200, 2, {4});
        badSum[badSum.size() - 1] = badSum.back() == '0' ? '1' : '0';
        auto row = [](const char* name, const std::string& text, int line, int column, const char* message) {
            QTest::newRow(name) << QString::fromStdString(text) << line << column << QString(message);
        };
        row("wrong checksum", lines({good, badSum, kS9}), 2, static_cast<int>(badSum.size()) - 1,
            "wrong checksum");
        row("reserved S4", lines({good, "S4030000FC", kS9}), 2, 2, "unknown record type 'S4'");
        row("not a digit", lines({"SX030000FC", kS9}), 1, 2, "unknown record type 'SX'");
        row("no type", lines({"S", kS9}), 1, 2, "record type is missing");
        row("no S", lines({"X1030000FC", kS9}), 1, 1, "starts with 'S'");
        row("not hex", lines({"S1050100010Z03F3", kS9}), 1, 12, "'Z' is not a hex digit");
        row("count too large", lines({"S1070100010203F1", kS9}), 1, 3,
            "says 7 bytes follow it, the record has 6");
        row("count below address", lines({"S2020000", kS9}), 1, 3, "an S2 record has a 3-byte address");
        row("S5 disagrees", lines({good, sRecord(1, 0x200, 2, {1}), sRecord(5, 3, 2, {}), kS9}), 3, 5,
            "S5 count record says 3 data records, the file has 2");
        row("S6 disagrees", lines({good, sRecord(6, 0, 3, {}), kS9}), 2, 5,
            "says 0 data records, the file has 1");
        row("no termination", lines({sRecord(0, 0, 2, {}), good, ""}), 2, 0, "no termination record");
        row("data after S9", lines({good, kS9, good}), 3, 1, "after the termination record of line 2");
        row("overlap", lines({good, sRecord(1, 0x102, 2, {7, 8}), kS9}), 2, 0,
            "line 2 (0x00000102..0x00000104) overlaps line 1 (0x00000100..0x00000103)");
        row("empty", "", 0, 0, "no S-records");
    }
    void errors() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const auto image = parseSRecord(text.toStdString(), "bad.srec");
        QVERIFY(!image.ok());
        QCOMPARE(image.error().where.file, std::string("bad.srec"));
        QVERIFY2(image.error().message.find(message.toStdString()) != std::string::npos,
                 image.error().toString().c_str());
        QCOMPARE(image.error().where.line, line);
        QCOMPARE(image.error().where.column, column);
    }
};

QTEST_GUILESS_MAIN(TestSRecord)
#include "tst_srecord.moc"
