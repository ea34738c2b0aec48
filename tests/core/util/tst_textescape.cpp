// SPDX-License-Identifier: Apache-2.0
#include "util/TextEscape.h"

#include <QtTest>

using namespace flashplan;

class TestTextEscape : public QObject {
    Q_OBJECT
private slots:
    void bytesThatAreNotUtf8BecomeBackslashX_data() {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("json");     // escapeNonUtf8
        QTest::addColumn<QByteArray>("terminal"); // escapeForTerminal
        QTest::newRow("ascii") << QByteArray("slot0_partition") << QByteArray("slot0_partition")
                               << QByteArray("slot0_partition");
        QTest::newRow("utf-8 kept") << QByteArray("64 KiB \xe2\x86\x92 \xf0\x9f\x94\xa5")
                                    << QByteArray("64 KiB \xe2\x86\x92 \xf0\x9f\x94\xa5")
                                    << QByteArray("64 KiB \xe2\x86\x92 \xf0\x9f\x94\xa5");
        QTest::newRow("0xff") << QByteArray("a\xff") << QByteArray("a\\xFF") << QByteArray("a\\xFF");
        QTest::newRow("overlong") << QByteArray("\xc0\xaf") << QByteArray("\\xC0\\xAF")
                                  << QByteArray("\\xC0\\xAF");
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\\xED\\xA0\\x80")
                                   << QByteArray("\\xED\\xA0\\x80");
        QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << QByteArray("\\xF4\\x90\\x80\\x80")
                                       << QByteArray("\\xF4\\x90\\x80\\x80");
        QTest::newRow("cut at the end")
            << QByteArray("x\xe2\x82") << QByteArray("x\\xE2\\x82") << QByteArray("x\\xE2\\x82");
        QTest::newRow("lead then ascii")
            << QByteArray("\xc3(") << QByteArray("\\xC3(") << QByteArray("\\xC3(");
        QTest::newRow("controls") << QByteArray("a\x1b[2J\tb\nc\rd\x7f")
                                  << QByteArray("a\x1b[2J\tb\nc\rd\x7f")
                                  << QByteArray("a\\x1B[2J\tb\nc\\x0Dd\\x7F");
        QTest::newRow("C1 control") << QByteArray("a\xc2\x9b"
                                                  "1m")
                                    << QByteArray("a\xc2\x9b"
                                                  "1m")
                                    << QByteArray("a\\xC2\\x9B"
                                                  "1m");
        QTest::newRow("nul") << QByteArray("a\0b", 3) << QByteArray("a\0b", 3) << QByteArray("a\\x00b");
    }

    void bytesThatAreNotUtf8BecomeBackslashX() {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, terminal);
        const std::string_view text(in.constData(), std::size_t(in.size()));
        QCOMPARE(QByteArray::fromStdString(escapeNonUtf8(text)), json);
        QCOMPARE(QByteArray::fromStdString(escapeForTerminal(text)), terminal);
        QCOMPARE(isValidUtf8(text), json == in);
        QVERIFY(isValidUtf8(escapeNonUtf8(text)));
    }

    void aCharacterCutByTheEndOfAPieceWaits() {
        QCOMPARE(completeUtf8Prefix("ab"), std::size_t(2));
        QCOMPARE(completeUtf8Prefix("ab\xe2\x86"), std::size_t(2));     // → waits for its last byte
        QCOMPARE(completeUtf8Prefix("ab\xe2\x86\x92"), std::size_t(5)); // whole
        QCOMPARE(completeUtf8Prefix("ab\xf0\x9f\x94"), std::size_t(2));
        QCOMPARE(completeUtf8Prefix("ab\xff"), std::size_t(3)); // never a character: nothing to wait for
        QCOMPARE(completeUtf8Prefix("ab\xe2("), std::size_t(4));
    }
};

QTEST_APPLESS_MAIN(TestTextEscape)
#include "tst_textescape.moc"
