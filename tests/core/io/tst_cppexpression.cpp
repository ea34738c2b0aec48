// SPDX-License-Identifier: Apache-2.0
// cpp::evaluate: C's integer constant expressions in the three dialects (#if, a header's values, dtc).
#include "io/cpp/Expression.h"
#include "io/cpp/Lexer.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::cpp;

Q_DECLARE_METATYPE(flashplan::cpp::Dialect)

namespace {

std::uint64_t value(std::string_view text, Dialect d) {
    const auto v = evaluateText(text, d);
    if (!v)
        qFatal("%s: %s", std::string(text).c_str(), v.error().toString().c_str());
    return v->bits;
}

} // namespace

class TestCppExpression : public QObject {
    Q_OBJECT
private slots:
    void literals_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("expected");
        QTest::addColumn<bool>("isUnsigned");
        QTest::newRow("decimal") << "131072" << quint64(131072) << false;
        QTest::newRow("hex") << "0x08020000" << quint64(0x08020000) << false;
        QTest::newRow("HEX") << "0XABCDEF" << quint64(0xabcdef) << false;
        QTest::newRow("octal") << "0755" << quint64(0755) << false;
        QTest::newRow("binary") << "0b101" << quint64(5) << false;
        QTest::newRow("u") << "7u" << quint64(7) << true;
        QTest::newRow("UL") << "0x20000UL" << quint64(0x20000) << true;
        QTest::newRow("ull") << "4096ull" << quint64(4096) << true;
        QTest::newRow("LU") << "1LU" << quint64(1) << true;
        QTest::newRow("LL") << "2LL" << quint64(2) << false;
        QTest::newRow("l") << "3l" << quint64(3) << false;
        QTest::newRow("too large for signed") << "0xffffffffffffffff" << ~quint64(0) << true;
        QTest::newRow("character") << "'A'" << quint64('A') << false;
        QTest::newRow("escape") << "'\\n'" << quint64('\n') << false;
        QTest::newRow("hex escape") << "'\\x41'" << quint64(0x41) << false;
        QTest::newRow("octal escape") << "'\\101'" << quint64(0101) << false;
    }
    void literals() {
        QFETCH(QString, text);
        QFETCH(quint64, expected);
        QFETCH(bool, isUnsigned);
        const auto v = evaluateText(text.toStdString(), Dialect::Condition);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
        QCOMPARE(quint64(v->bits), expected);
        QCOMPARE(v->isUnsigned, isUnsigned);
    }

    void operators_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("expected");
        QTest::newRow("precedence") << "1 + 2 * 3" << quint64(7);
        QTest::newRow("parentheses") << "(1 + 2) * 3" << quint64(9);
        QTest::newRow("shifts") << "(1 << 17) | (0x100 >> 4)" << quint64(0x20010);
        QTest::newRow("bits") << "(0xff & ~0x0f) | 0x100 ^ 0x1" << quint64(0x1f1);
        QTest::newRow("modulo") << "17 % 5" << quint64(2);
        QTest::newRow("comparisons") << "(1 < 2) + (2 <= 2) + (3 > 4) + (4 >= 4) + (5 == 5) + (5 != 5)"
                                     << quint64(4);
        QTest::newRow("logic") << "(3 > 2) && !(1 == 2) || 0" << quint64(1);
        QTest::newRow("conditional") << "0 ? 1 : 2 ? 3 : 4" << quint64(3);
        QTest::newRow("unary") << "-(-5) + +1 + ~0 + !0" << quint64(6);
        QTest::newRow("comma") << "(1, 2)" << quint64(2);
        QTest::newRow("signed division") << "-7 / 2" << quint64(-3);
        QTest::newRow("signed modulo") << "-7 % 2" << quint64(-1);
        QTest::newRow("INT64_MIN / -1 wraps")
            << "(-0x7fffffffffffffff - 1) / -1" << quint64(0x8000000000000000);
    }
    void operators() {
        QFETCH(QString, text);
        QFETCH(quint64, expected);
        QCOMPARE(quint64(value(text.toStdString(), Dialect::Condition)), expected);
    }

    void unsignedPromotionAsC() {
        // C11 6.3.1.8: an unsigned operand makes the comparison unsigned.
        QCOMPARE(value("-1 < 0", Dialect::Condition), std::uint64_t(1));
        QCOMPARE(value("-1 < 0u", Dialect::Condition), std::uint64_t(0));
        QCOMPARE(value("-1 > 0UL", Dialect::Condition), std::uint64_t(1));
        QCOMPARE(value("(1 ? -1 : 0u) > 0", Dialect::Condition), std::uint64_t(1)); // ?: is unsigned too
        QCOMPARE(value("-2 / 2u", Dialect::Condition), std::uint64_t(0x7fffffffffffffff));
        QCOMPARE(value("0xffffffffffffffff > 0", Dialect::Condition), std::uint64_t(1));
        // Comparisons and logic give int, even between unsigned operands.
        QVERIFY(!evaluateText("1u < 2u", Dialect::Condition)->isUnsigned);
        QVERIFY(evaluateText("1u + 1", Dialect::Condition)->isUnsigned);
        QVERIFY(evaluateText("1u << 1", Dialect::Condition)->isUnsigned); // a shift has its left's type
        QVERIFY(!evaluateText("1 << 1u", Dialect::Condition)->isUnsigned);
        // dtc: every value is unsigned.
        QCOMPARE(value("(-1 < 0)", Dialect::Devicetree), std::uint64_t(0));
    }

    void shiftsFollowTheLeftOperand() {
        QCOMPARE(value("-16 >> 2", Dialect::Condition), std::uint64_t(-4)); // arithmetic, as GCC
        QCOMPARE(value("0xfffffffffffffff0u >> 2", Dialect::Condition), std::uint64_t(0x3ffffffffffffffc));
        QCOMPARE(value("1 << 64", Dialect::Condition), std::uint64_t(0));
        QCOMPARE(value("-1 >> 64", Dialect::Condition), std::uint64_t(-1));
        QCOMPARE(value("16 << -2", Dialect::Condition), std::uint64_t(4));   // GCC shifts the other way
        QCOMPARE(value("(1 << 64)", Dialect::Devicetree), std::uint64_t(0)); // as dtc
        QVERIFY(!evaluateText("1 << 64", Dialect::Constant).ok());
        QVERIFY(!evaluateText("1 << -1", Dialect::Constant).ok());
        QCOMPARE(value("0 && (1 << 64)", Dialect::Constant), std::uint64_t(0)); // not evaluated
    }

    void shortCircuitSkipsErrors() {
        for (Dialect d : {Dialect::Condition, Dialect::Constant, Dialect::Devicetree}) {
            QCOMPARE(value("0 && (1 / 0)", d), std::uint64_t(0));
            QCOMPARE(value("1 || (1 % 0)", d), std::uint64_t(1));
            QCOMPARE(value("1 ? 0x10 : 1 / 0", d), std::uint64_t(0x10));
            QCOMPARE(value("0 ? 1 / 0 : 0x20", d), std::uint64_t(0x20));
        }
    }

    void castsInConstants() {
        QCOMPARE(value("(uint32_t)-1", Dialect::Constant), std::uint64_t(0xffffffff));
        QCOMPARE(value("((uint32_t)0x08020000UL)", Dialect::Constant), std::uint64_t(0x08020000));
        QCOMPARE(value("(uint8_t *)0x100", Dialect::Constant), std::uint64_t(0x100));
        QCOMPARE(value("(unsigned long)(16 * 1024)", Dialect::Constant), std::uint64_t(16384));
        QCOMPARE(value("(int8_t)0xff", Dialect::Constant), std::uint64_t(-1)); // sign-extended
        QCOMPARE(value("(unsigned char)0x1ff", Dialect::Constant), std::uint64_t(0xff));
        QVERIFY(!evaluateText("(uint32_t)1", Dialect::Condition).ok()); // #if knows no types
    }

    void identifiersByDialect() {
        QCOMPARE(value("UNKNOWN + 1", Dialect::Condition), std::uint64_t(1));
        const auto constant = evaluateText("FLASH_SIZE / 2", Dialect::Constant);
        QVERIFY(!constant.ok());
        QVERIFY(constant.error().message.find("FLASH_SIZE is not defined") != std::string::npos);
        const auto call = evaluateText("(1 + FOO(2))", Dialect::Devicetree);
        QVERIFY(call.error().message.find("unknown macro FOO()") != std::string::npos);
    }

    void devicetreeLexesAsDtc() {
        QCOMPARE(value("(0x1e+5)", Dialect::Devicetree), std::uint64_t(0x23)); // not the number "0x1e+5"
        QCOMPARE(value("(--1)", Dialect::Devicetree), std::uint64_t(1));       // two minus signs
        QVERIFY(!evaluateText("0b101", Dialect::Devicetree).ok());             // dtc has no binary
        QVERIFY(!evaluateText("(1, 2)", Dialect::Devicetree).ok());            // nor a comma operator
    }

    void errorsNameLineAndColumn_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("says");
        QTest::newRow("division by zero") << "1 +\n  4 / 0" << 2 << 5 << "division by zero";
        QTest::newRow("modulo by zero") << "5 % 0" << 1 << 3 << "division by zero";
        QTest::newRow("missing )") << "(1 + 2" << 1 << 7 << "unbalanced parentheses";
        QTest::newRow("missing :") << "1 ? 2" << 1 << 6 << "'?' without ':'";
        QTest::newRow("two numbers") << "1 2" << 1 << 3 << "unexpected '2'";
        QTest::newRow("string") << "\"text\"" << 1 << 1 << "unexpected";
        QTest::newRow("bad hex") << "0x1g" << 1 << 1 << "malformed number";
        QTest::newRow("bad octal") << "09" << 1 << 1 << "invalid digit '9' in octal";
        QTest::newRow("floating") << "1.5" << 1 << 1 << "floating constant";
        QTest::newRow("past 64 bits") << "99999999999999999999" << 1 << 1 << "does not fit in 64 bits";
        QTest::newRow("empty") << "" << 0 << 0 << "an empty expression";
        QTest::newRow("ends early") << "1 +" << 1 << 4 << "ends too early";
        QTest::newRow("parentheses too deep") << QString("(").repeated(300) + "1" + QString(")").repeated(300)
                                              << 1 << 257 << "nested more than 256";
        QTest::newRow("unary too deep") << QString("- ").repeated(5000) + "1" << 1 << 0 << "nested too deep";
    }
    void errorsNameLineAndColumn() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, says);
        const auto v = evaluateText(text.toStdString(), Dialect::Constant);
        QVERIFY(!v.ok());
        QVERIFY2(v.error().message.find(says.toStdString()) != std::string::npos, v.error().message.c_str());
        QCOMPARE(v.error().code, Errc::Parse);
        QCOMPARE(v.error().where.line, line);
        if (column > 0)
            QCOMPARE(v.error().where.column, column);
    }
};

QTEST_APPLESS_MAIN(TestCppExpression)
#include "tst_cppexpression.moc"
