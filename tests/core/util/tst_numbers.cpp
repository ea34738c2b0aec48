// SPDX-License-Identifier: Apache-2.0
#include "util/Alignment.h"
#include "util/Numbers.h"

#include <QtTest>

using namespace flashplan;

class TestNumbers : public QObject {
    Q_OBJECT
private slots:
    void parsesWhatFirmwarePeopleWrite_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("value");
        QTest::newRow("decimal") << "4096" << quint64(4096);
        QTest::newRow("hex") << "0x1e000" << quint64(0x1e000);
        QTest::newRow("HEX upper") << "0X1E000" << quint64(0x1e000);
        QTest::newRow("K") << "16K" << quint64(16384);
        QTest::newRow("k lower") << "64k" << quint64(65536);
        QTest::newRow("M") << "2M" << quint64(2 * 1024 * 1024);
        QTest::newRow("G") << "1G" << (quint64(1) << 30);
        QTest::newRow("hex with K") << "0x10K" << quint64(16 * 1024);
        QTest::newRow("blanks") << "  0x20  " << quint64(0x20);
        QTest::newRow("max") << "0xffffffffffffffff" << quint64(UINT64_MAX);
    }
    void parsesWhatFirmwarePeopleWrite() {
        QFETCH(QString, text);
        QFETCH(quint64, value);
        const auto r = parseNumber(text.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(*r, value);
    }

    void refusesTheRest_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("prefix only") << "0x";
        QTest::newRow("suffix only") << "K";
        QTest::newRow("bad digit") << "12a";
        QTest::newRow("bad hex digit") << "0x12z";
        QTest::newRow("negative") << "-1";
        QTest::newRow("overflow") << "0x10000000000000000";
        QTest::newRow("decimal overflow") << "18446744073709551616";
        QTest::newRow("suffix overflow") << "0xffffffffffffffffK";
        QTest::newRow("two suffixes") << "1KK";
    }
    void refusesTheRest() {
        QFETCH(QString, text);
        const auto r = parseNumber(text.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Errc::Parse);
    }

    void formatsHexAndSizes() {
        QCOMPARE(formatHex(0), std::string("0x0"));
        QCOMPARE(formatHex(0x8000000), std::string("0x8000000"));
        QCOMPARE(formatAddress(0x8020000), std::string("0x08020000"));
        QCOMPARE(formatAddress(0), std::string("0x00000000"));
        QCOMPARE(formatAddress(0x100000000ull), std::string("0x0000000100000000"));
        QCOMPARE(formatSize(128 * 1024), std::string("128 KiB"));
        QCOMPARE(formatSize(1024 * 1024), std::string("1 MiB"));
        QCOMPARE(formatSize(1536 * 1024), std::string("1.5 MiB"));
        QCOMPARE(formatSize(0x180400), std::string("1537 KiB"));
        QCOMPARE(formatSize(1000), std::string("1000 B"));
        QCOMPARE(formatSize(0x1ff00), std::string("127.75 KiB"));
        QCOMPARE(formatSize(1024 + 10), std::string("1034 B")); // not exact to two places
        QCOMPARE(formatSize(0x1400 + 0x29), std::string("5161 B"));
        QCOMPARE(formatSize(1024 * 1024 + 10 * 1024 + 256), std::string("1034.25 KiB"));
        QCOMPARE(formatSize(6656), std::string("6.5 KiB"));
    }

    void padsHexToTheDigitsAsked() {
        QCOMPARE(formatHex(0xf, 2), std::string("0x0f"));
        QCOMPARE(formatHex(0x3c, 2), std::string("0x3c"));
        QCOMPARE(formatHex(0x12345, 2), std::string("0x12345")); // never cut
        QCOMPARE(formatHex(UINT64_MAX, 4), std::string("0xffffffffffffffff"));
    }

    void formatsHexWithSize() {
        QCOMPARE(formatHexAndSize(0x60000), std::string("0x60000 (384 KiB)"));
        QCOMPARE(formatHexAndSize(1000), std::string("0x3e8 (1000 B)"));
    }

    void formatsBytesAsHexCutWhereAsked() {
        const std::uint8_t b[] = {0x3b, 0x1f, 0x00, 0xff, 0x9c};
        QCOMPARE(formatBytesHex(b), std::string("3b1f00ff9c"));
        QCOMPARE(formatBytesHex(b, 2), std::string("3b1f..."));
        QCOMPARE(formatBytesHex(b, 5), std::string("3b1f00ff9c"));
        QCOMPARE(formatBytesHex({}), std::string());
    }

    void roundsSizesForTheEye() {
        QCOMPARE(formatSizeRounded(384 * 1024), std::string("384 KiB")); // exact: formatSize()
        QCOMPARE(formatSizeRounded(512), std::string("512 B"));
        QCOMPARE(formatSizeRounded(40551), std::string("39.6 KiB"));
        QCOMPARE(formatSizeRounded(1024 + 10), std::string("1.0 KiB"));
        QCOMPARE(formatSizeRounded(1024 * 1024 - 1), std::string("1.0 MiB")); // not "1024.0 KiB"
        QCOMPARE(formatSizeRounded(3 * 1024 * 1024 + 100), std::string("3.0 MiB"));
        QCOMPARE(formatSizeRounded(0x1400 + 0x29), std::string("5.0 KiB"));
        QCOMPARE(formatSizeRounded(UINT64_MAX), std::string("16.0 EiB"));
    }

    void writesSizesWithTheSuffixParseNumberReads() {
        QCOMPARE(formatSizeWithSuffix(16 * 1024), std::string("16K"));
        QCOMPARE(formatSizeWithSuffix(2 * 1024 * 1024), std::string("2M"));
        QCOMPARE(formatSizeWithSuffix(1536 * 1024), std::string("1536K"));
        QCOMPARE(formatSizeWithSuffix(1000), std::string("1000"));
        QCOMPARE(formatSizeWithSuffix(0), std::string("0"));
        for (std::uint64_t v : {std::uint64_t{4096}, std::uint64_t{3} << 20, std::uint64_t{1000}})
            QCOMPARE(*parseNumber(formatSizeWithSuffix(v)), v);
    }

    void alignsToAnyMultiple() {
        QCOMPARE(alignDown(0x1234, 0x1000), std::uint64_t(0x1000));
        QCOMPARE(alignUp(0x1234, 0x1000), std::uint64_t(0x2000));
        QCOMPARE(alignUp(0x2000, 0x1000), std::uint64_t(0x2000));
        QCOMPARE(alignDown(0x2000, 0x1000), std::uint64_t(0x2000));
        QCOMPARE(alignUp(13, 12), std::uint64_t(24)); // not a power of two
        QCOMPARE(alignDown(23, 12), std::uint64_t(12));
        QCOMPARE(alignUp(7, 0), std::uint64_t(7)); // no alignment
        QCOMPARE(alignDown(7, 0), std::uint64_t(7));
        // No intermediate overflow near the top of the range.
        QCOMPARE(alignUp(UINT64_MAX - 15, 16), UINT64_MAX - 15);
        QCOMPARE(alignDown(UINT64_MAX, 16), UINT64_MAX - 15);
    }

    void rangeCheckCannotOverflow() {
        QVERIFY(rangeWithin(0, 0x100, 0x100));
        QVERIFY(rangeWithin(0x100, 0, 0x100));
        QVERIFY(!rangeWithin(0x1, 0x100, 0x100));
        // off + len wraps to a small number: a naive off + len <= size would accept this.
        QVERIFY(!rangeWithin(0x10, UINT64_MAX - 0x8, 0x100));
        QVERIFY(!rangeWithin(UINT64_MAX, 2, 0x100));
    }
};

QTEST_APPLESS_MAIN(TestNumbers)
#include "tst_numbers.moc"
