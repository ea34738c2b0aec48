// SPDX-License-Identifier: Apache-2.0
// Reading the values of a target.h: C constant expressions (cpp::Dialect::Constant) over the macro table
// that cpp::preprocess leaves in Mode::MacrosOnly.
#include "io/cpp/Expander.h"
#include "io/cpp/Expression.h"
#include "io/cpp/Lexer.h"
#include "io/cpp/Preprocessor.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::cpp;

namespace {

/// A table of object-like macros.
struct Macros {
    MacroTable table;
    Macros(std::initializer_list<std::pair<const char*, const char*>> list) {
        for (const auto& [n, b] : list)
            (void)table.define(std::string(n) + " " + b);
    }
};

Result<std::uint64_t> value(std::string_view text, const Macros& m = {}) {
    auto tokens = lexText(text, {});
    if (!tokens)
        return tokens.error();
    auto expanded = expandTokens(m.table, *tokens, {});
    if (!expanded)
        return expanded.error();
    auto v = evaluate(*expanded, Dialect::Constant);
    if (!v)
        return v.error();
    return v->bits;
}

/// The header's macros, as the target.h importer reads them.
struct HeaderMacros {
    static Result<Preprocessed> read(std::string_view text, const std::string& fileName) {
        Options o;
        o.mode = Mode::MacrosOnly;
        return preprocess(text, fileName, o);
    }
};

} // namespace

class TestWolfBootHeader : public QObject {
    Q_OBJECT

private slots:
    void literalsAndSuffixes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("expected");
        QTest::newRow("hex") << "0x08020000" << quint64(0x08020000);
        QTest::newRow("decimal") << "131072" << quint64(131072);
        QTest::newRow("octal") << "010" << quint64(8);
        QTest::newRow("binary") << "0b101" << quint64(5);
        QTest::newRow("U") << "0x20000U" << quint64(0x20000);
        QTest::newRow("UL") << "0x20000UL" << quint64(0x20000);
        QTest::newRow("ull") << "4096ull" << quint64(4096);
        QTest::newRow("zero") << "0" << quint64(0);
    }
    void literalsAndSuffixes() {
        QFETCH(QString, text);
        QFETCH(quint64, expected);
        const auto v = value(text.toStdString());
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
        QCOMPARE(quint64(*v), expected);
    }

    void arithmeticCastsAndPrecedence_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("expected");
        QTest::newRow("parens") << "(0x08000000 + 0x20000)" << quint64(0x08020000);
        QTest::newRow("precedence") << "1 + 2 * 3" << quint64(7);
        QTest::newRow("shift") << "(1 << 17)" << quint64(0x20000);
        QTest::newRow("cast") << "((uint32_t)0x08020000UL)" << quint64(0x08020000);
        QTest::newRow("cast truncates") << "(uint32_t)-1" << quint64(0xffffffff);
        QTest::newRow("pointer cast") << "(uint8_t *)0x100" << quint64(0x100);
        QTest::newRow("unsigned long cast") << "(unsigned long)(16 * 1024)" << quint64(16384);
        QTest::newRow("division") << "0x100000 / 2 - 0x1000" << quint64(0x7f000);
        QTest::newRow("ternary") << "1 ? 0x10 : 1 / 0" << quint64(0x10);
        QTest::newRow("logic") << "(3 > 2) && !(1 == 2) || 0" << quint64(1);
        QTest::newRow("bits") << "(0xff & ~0x0f) | 0x100 ^ 0x1" << quint64(0x1f1);
    }
    void arithmeticCastsAndPrecedence() {
        QFETCH(QString, text);
        QFETCH(quint64, expected);
        const auto v = value(text.toStdString());
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
        QCOMPARE(quint64(*v), expected);
    }

    void macrosAreReplacedTokenByToken() {
        const Macros m{{"FLASH_BASE", "0x08000000UL"},
                       {"BOOT_SIZE", "(128 * 1024)"},
                       {"SUM", "1 + 2"},
                       {"SELF", "SELF + 1"}};
        QCOMPARE(*value("FLASH_BASE + BOOT_SIZE", m), std::uint64_t(0x08020000));
        QCOMPARE(*value("SUM * 3", m), std::uint64_t(7)); // as C: 1 + 2 * 3
        QVERIFY(!value("SELF", m).ok());                  // SELF is not expanded inside itself
    }

    void errorsSayWhy() {
        QVERIFY(value("UNKNOWN_MACRO").error().message.find("UNKNOWN_MACRO") != std::string::npos);
        QVERIFY(value("1 / 0").error().message.find("division by zero") != std::string::npos);
        QVERIFY(!value("1 << 64").ok());
        QVERIFY(!value("(1 + 2").ok());
        QVERIFY(!value("1 2").ok());
        QVERIFY(!value("\"text\"").ok());
        QVERIFY(!value("0x1g").ok());
        QVERIFY(!value("99999999999999999999").ok());
        QVERIFY(!value("").ok());
    }

    void conditionsKnowDefinedAndTreatUnknownNamesAsZero() {
        const Macros m{{"EXT_FLASH", "1"}};
        const auto cond = [&](std::string_view t) {
            Options o;
            o.predefined = m.table;
            const auto r = preprocess("#if " + std::string(t) + "\n1\n#else\n0\n#endif\n", "t.h", o);
            return r.ok() && r->text() == "1\n" ? std::uint64_t(1) : std::uint64_t(0);
        };
        QCOMPARE(cond("defined(EXT_FLASH)"), std::uint64_t(1));
        QCOMPARE(cond("defined EXT_FLASH && !defined(PART_BOOT_EXT)"), std::uint64_t(1));
        QCOMPARE(cond("NOT_DEFINED"), std::uint64_t(0));
        QCOMPARE(cond("EXT_FLASH == 1"), std::uint64_t(1));
    }

    void headerFollowsConditionalsAsAPlainBuild() {
        const char* text = R"(/* target.h */
#ifndef H_TARGETS_TARGET_
#define H_TARGETS_TARGET_
#ifndef WOLFBOOT_SECTOR_SIZE
    #define WOLFBOOT_SECTOR_SIZE 0x20000
#endif
#ifdef EXT_FLASH
#define WOLFBOOT_PARTITION_SIZE 0x80000 /* external */
#elif defined(SOMETHING)
#define WOLFBOOT_PARTITION_SIZE 0x1
#else
#define WOLFBOOT_PARTITION_SIZE \
        0x20000 // internal
#endif
#if 0
#error "never"
#define DEAD 1
#endif
#define TWICE (WOLFBOOT_PARTITION_SIZE * 2)
#define FN(x) ((x) + 1)
#undef H_TARGETS_TARGET_
#endif
)";
        const auto h = HeaderMacros::read(text, "target.h");
        QVERIFY2(h.ok(), h.ok() ? "" : h.error().toString().c_str());
        QCOMPARE(*macroValue(h->macros, "WOLFBOOT_SECTOR_SIZE"), std::uint64_t(0x20000));
        QCOMPARE(*macroValue(h->macros, "WOLFBOOT_PARTITION_SIZE"), std::uint64_t(0x20000));
        QCOMPARE(h->macros.find("WOLFBOOT_PARTITION_SIZE")->where.line, 12);
        QCOMPARE(*macroValue(h->macros, "TWICE"), std::uint64_t(0x40000));
        QVERIFY(!h->macros.defined("DEAD"));
        QVERIFY(!h->macros.defined("H_TARGETS_TARGET_"));
        QVERIFY(h->macros.find("FN")->functionLike);
        const auto fn = macroValue(h->macros, "FN");
        QVERIFY(!fn.ok());
        QCOMPARE(fn.error().field, std::string("FN"));
    }

    void anEmptyMacroExpandsToNothing() {
        // target.h.in leaves unset values empty and guards them with "+ 0", as C allows.
        const auto h = HeaderMacros::read("#define NSC\n#if (NSC + 0) != 0\n#define SEEN 1\n#endif\n", "t.h");
        QVERIFY2(h.ok(), h.ok() ? "" : h.error().toString().c_str());
        QVERIFY(!h->macros.defined("SEEN"));
        QVERIFY(!macroValue(h->macros, "NSC").ok()); // but it is no value
    }

    void aCommentInsideADirectiveKeepsLineNumbers() {
        const auto h = HeaderMacros::read("#define A 1 /* two\nlines */ + 2\n#define B A\n", "t.h");
        QCOMPARE(*macroValue(h->macros, "A"), std::uint64_t(3));
        QCOMPARE(h->macros.find("B")->where.line, 3);
    }

    void valueErrorsNameTheMacroAndItsLine() {
        const auto h = HeaderMacros::read("\n#define WOLFBOOT_PARTITION_SIZE (FLASH_SIZE / 2)\n", "target.h");
        const auto v = macroValue(h->macros, "WOLFBOOT_PARTITION_SIZE");
        QVERIFY(!v.ok());
        QCOMPARE(v.error().where.file, std::string("target.h"));
        QCOMPARE(v.error().where.line, 2);
        QCOMPARE(v.error().field, std::string("WOLFBOOT_PARTITION_SIZE"));
        QVERIFY(v.error().message.find("FLASH_SIZE") != std::string::npos);
    }

    void unbalancedConditionalsAreErrors() {
        QCOMPARE(HeaderMacros::read("#if 1\n#define A 1\n", "t.h").error().where.line, 1);
        QCOMPARE(HeaderMacros::read("#endif\n", "t.h").error().where.line, 1);
        QCOMPARE(HeaderMacros::read("#if 1\n#else\n#else\n#endif\n", "t.h").error().where.line, 3);
        QCOMPARE(HeaderMacros::read("#if (1\n#endif\n", "t.h").error().code, Errc::Parse);
    }
};

QTEST_APPLESS_MAIN(TestWolfBootHeader)
#include "tst_wolfbootheader.moc"
