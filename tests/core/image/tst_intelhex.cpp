// SPDX-License-Identifier: Apache-2.0
// Intel HEX: every record type, and every way a file can be broken, with the line it is broken on.
#include "ImageFixtures.h"
#include "image/IntelHex.h"

#include <QtTest>

using namespace flashplan;
using fixtures::Bytes;
using fixtures::hexRecord;

namespace {

std::string lines(std::initializer_list<std::string> records) {
    std::string out;
    for (const std::string& r : records)
        out += r + "\n";
    return out;
}

const std::string kEof = ":00000001FF";

} // namespace

class TestIntelHex : public QObject {
    Q_OBJECT
private slots:
    void readsTheTwoSegmentProgram() {
        const auto program = fixtures::twoSegmentProgram();
        const auto image = parseIntelHex(fixtures::toIntelHex(program, 0x08000201), "fw.hex");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        QCOMPARE(image->format, ImageFormat::IntelHex);
        QVERIFY(image->absolute);
        QCOMPARE(image->segments().size(), std::size_t(2));
        QCOMPARE(image->segments()[0], (Segment{program[0].address, program[0].bytes}));
        QCOMPARE(image->segments()[1], (Segment{program[1].address, program[1].bytes}));
        QCOMPARE(image->startAddress, std::optional<std::uint64_t>(0x08000201));
    }

    void lowerCaseAndCrLfAreAccepted() {
        const auto program = fixtures::twoSegmentProgram();
        const std::string upper = fixtures::toIntelHex(program);
        fixtures::HexOptions o;
        o.lower = true;
        o.lineEnd = "\r\n";
        const std::string lower = fixtures::toIntelHex(program, std::nullopt, o);
        QVERIFY(lower.find("\r\n") != std::string::npos && lower.find('f') != std::string::npos);
        const auto a = parseIntelHex(upper, "a.hex");
        const auto b = parseIntelHex(lower + "\r\n\n", "b.hex"); // trailing blank lines too
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QCOMPARE(a->segments(), b->segments());
    }

    void extendedSegmentAddressing() {
        // USBA 0x1000: data at 0x10000 + offset; the offset wraps within the 64 KiB segment.
        const auto image = parseIntelHex(lines({hexRecord(2, 0, {0x10, 0x00}), hexRecord(0, 0x0010, {1, 2}),
                                                hexRecord(0, 0xfffe, {3, 4, 5, 6}), kEof}),
                                         "seg.hex");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().toString().c_str());
        QCOMPARE(image->segments(), (std::vector<Segment>{
                                        {0x10000, {5, 6}}, // the part that wrapped to the segment's start
                                        {0x10010, {1, 2}},
                                        {0x1fffe, {3, 4}},
                                    }));
    }

    void extendedLinearAddressingCrossesA64KBoundary() {
        // Linear addressing does not wrap at 64 KiB: a record at 0xfffe runs on into the next 64 KiB.
        const auto image = parseIntelHex(
            lines({hexRecord(4, 0, {0x08, 0x00}), hexRecord(0, 0xfffe, {1, 2, 3, 4}), kEof}), "lin.hex");
        QVERIFY(image.ok());
        QCOMPARE(image->segments(), (std::vector<Segment>{{0x0800fffe, {1, 2, 3, 4}}}));
    }

    void linearAddressesWrapAt4GiB() {
        const auto image = parseIntelHex(
            lines({hexRecord(4, 0, {0xff, 0xff}), hexRecord(0, 0xffff, {1, 2}), kEof}), "wrap.hex");
        QVERIFY(image.ok());
        QCOMPARE(image->segments(), (std::vector<Segment>{{0, {2}}, {0xffffffff, {1}}}));
    }

    void startAddresses() {
        const auto linear = parseIntelHex(
            lines({hexRecord(0, 0, {1}), hexRecord(5, 0, {0x08, 0, 0x01, 0x23}), kEof}), "a.hex");
        QCOMPARE(linear->startAddress, std::optional<std::uint64_t>(0x08000123));
        // CS:IP 0x1234:0x0010 is the linear address 0x12340 + 0x10.
        const auto segment = parseIntelHex(
            lines({hexRecord(0, 0, {1}), hexRecord(3, 0, {0x12, 0x34, 0x00, 0x10}), kEof}), "a.hex");
        QCOMPARE(segment->startAddress, std::optional<std::uint64_t>(0x12350));
        QCOMPARE(parseIntelHex(lines({hexRecord(0, 0, {1}), kEof}), "a.hex")->startAddress,
                 std::optional<std::uint64_t>());
    }

    void errors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        const std::string good = hexRecord(0, 0x100, {1, 2, 3, 4});
        std::string badSum = good;
        badSum[badSum.size() - 1] = badSum.back() == '0' ? '1' : '0';
        auto row = [](const char* name, const std::string& text, int line, int column, const char* message) {
            QTest::newRow(name) << QString::fromStdString(text) << line << column << QString(message);
        };
        row("wrong checksum", lines({good, hexRecord(0, 0x200, {5}), badSum, kEof}), 3,
            static_cast<int>(badSum.size()) - 1, "wrong checksum");
        row("checksum of a later line",
            lines({hexRecord(4, 0, {8, 0}), good, good, ":0400000501020304EE", kEof}), 4, 18,
            "expected 0xed");
        row("bad record type", lines({hexRecord(6, 0, {1}), kEof}), 1, 8, "unknown record type 0x06");
        row("byte count too large", lines({":0500000001020304F2", kEof}), 1, 2,
            "says 5 data bytes, the record has 4");
        row("byte count too small", lines({":0300000001020304F4", kEof}), 1, 2, "says 3 data bytes");
        row("too short", lines({":0000", kEof}), 1, 0, "at least 5 bytes");
        row("no colon", lines({good, "0" + good.substr(1), kEof}), 2, 1, "starts with ':'");
        row("not hex", lines({":04010000010G0304F3", kEof}), 1, 13, "'G' is not a hex digit");
        row("odd digits", lines({good + "0", kEof}), 1, static_cast<int>(good.size()) + 1, "odd number");
        row("EOF with data", lines({good, ":01000001AA54"}), 2, 2, "type 0x01 record has 0 data bytes");
        row("short linear address", lines({hexRecord(4, 0, {8}), kEof}), 1, 2, "type 0x04 record has 2");
        row("long start address", lines({hexRecord(5, 0, {1, 2, 3, 4, 5}), kEof}), 1, 2,
            "type 0x05 record has 4");
        row("missing EOF after last line", lines({hexRecord(0, 0, {1}), hexRecord(0, 1, {2}), ""}), 2, 0,
            "no end-of-file record");
        row("data after EOF", lines({good, kEof, good}), 3, 1, "after the end-of-file record of line 2");
        row("overlapping records", lines({hexRecord(0, 0x100, {1, 2, 3, 4}), hexRecord(0, 0x102, {9}), kEof}),
            2, 0, "line 2 (0x00000102..0x00000103) overlaps line 1 (0x00000100..0x00000104)");
        row("empty file", "\n\n", 0, 0, "no Intel HEX records");
    }
    void errors() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const auto image = parseIntelHex(text.toStdString(), "bad.hex");
        QVERIFY(!image.ok());
        const Error& e = image.error();
        QCOMPARE(e.where.file, std::string("bad.hex"));
        QVERIFY2(e.message.find(message.toStdString()) != std::string::npos, e.toString().c_str());
        QCOMPARE(e.where.line, line);
        QCOMPARE(e.where.column, column);
    }

    void theErrorTextNamesFileAndLine() {
        std::string bad = hexRecord(0, 0, {1, 2});
        bad.back() = bad.back() == 'A' ? 'B' : 'A';
        const auto image = parseIntelHex(lines({hexRecord(0, 0x10, {1}), bad, kEof}), "app.hex");
        QVERIFY2(image.error().toString().starts_with("app.hex:2:"), image.error().toString().c_str());
    }
};

QTEST_GUILESS_MAIN(TestIntelHex)
#include "tst_intelhex.moc"
