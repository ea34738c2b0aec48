// SPDX-License-Identifier: Apache-2.0
// The C preprocessor subset that raw Zephyr board files need: includes, macros, conditionals.
#include "DtsTestSupport.h"
#include "io/dts/DtsPreprocessor.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::dts;

namespace {

/// The output with runs of blanks made one and blank lines dropped, for comparisons.
std::string squeezed(const std::string& text) {
    std::string out;
    bool blank = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t') {
            blank = true;
            continue;
        }
        if (blank && !out.empty() && out.back() != '\n' && c != '\n')
            out += ' ';
        blank = false;
        if (c == '\n' && (out.empty() || out.back() == '\n'))
            continue;
        out += c;
    }
    return out;
}

std::string run(const std::string& text, const ImportOptions& options = {}) {
    const auto r = preprocess(text, "test.dts", options);
    if (!r.ok())
        qFatal("preprocess failed: %s", r.error().toString().c_str());
    return squeezed(r->text());
}

Error failure(const std::string& text, const ImportOptions& options = {},
              const std::string& name = "test.dts") {
    const auto r = preprocess(text, name, options);
    if (r.ok())
        qFatal("expected an error from: %s", text.c_str());
    return r.error();
}

} // namespace

class TestDtsPreprocessor : public QObject {
    Q_OBJECT
private slots:
    void objectAndFunctionLikeMacros() {
        QCOMPARE(run("#define SIZE 0x1000\n#define TWICE(x) ((x) * 2)\nreg = <SIZE TWICE(SIZE)>;\n"),
                 std::string("reg = <0x1000 ((0x1000) * 2)>;\n"));
        // A function-like macro's name without arguments stays a name; hex digits are no identifiers.
        QCOMPARE(run("#define e000 oops\n#define F(x) x\nreg = <0x1e000 F>;\n"),
                 std::string("reg = <0x1e000 F>;\n"));
        // Nested calls, arguments with parentheses and commas inside them.
        QCOMPARE(run("#define ADD(a, b) ((a) + (b))\nv = <ADD(ADD(1, 2), (3, 4))>;\n"),
                 std::string("v = <((((1) + (2))) + ((3, 4)))>;\n"));
    }

    void zephyrSizeMacrosAreBuiltIn() {
        QCOMPARE(run("reg = <0x0 DT_SIZE_K(64)>;\nsize = <DT_SIZE_M(2)>;\n"),
                 std::string("reg = <0x0 ((64) * 1024)>;\nsize = <(((2) * 1024) * 1024)>;\n"));
        // <mem.h> is satisfied by them when no include folder holds it; __DTS__ is defined as in the build.
        QCOMPARE(run("#include <mem.h>\n#ifdef __DTS__\nok;\n#endif\n"), std::string("ok;\n"));
    }

    void stringizingPastingAndVariadicMacros() {
        QCOMPARE(run("#define STR(x) #x\n#define CAT(a, b) a##b\n#define LIST(...) <__VA_ARGS__>\n"
                     "label = STR(image 0);\nCAT(slot, 0)_partition: x;\nv = LIST(1, 2, 3);\n"),
                 std::string("label = \"image 0\";\nslot0 _partition: x;\nv = <1, 2, 3>;\n"));
        // "slot0 _partition", as GCC's cpp writes it: a blank keeps an expansion's last token from
        // gluing to the name that follows it.
    }

    void undefForgetsAMacro() {
        QCOMPARE(run("#define A 1\n#undef A\nv = <A>;\n"), std::string("v = <A>;\n"));
    }

    void conditionals() {
        const std::string text =
            "#define REV 3\n"
            "#if REV >= 3 && defined(REV)\n rev3;\n#elif REV == 2\n rev2;\n#else\n old;\n#endif\n"
            "#ifdef NOT_DEFINED\n no;\n#else\n yes;\n#endif\n"
            "#ifndef NOT_DEFINED\n#if defined NOT_DEFINED || (1 << 4) == 16\n nested;\n#endif\n"
            "#endif\n"
            "#if 0\n#include \"missing.dtsi\"\n#error not reached\n#endif\n";
        QCOMPARE(run(text), std::string("rev3;\nyes;\nnested;\n"));
    }

    void quotedIncludesAreRelativeToTheIncludingFile() {
        dtstest::VirtualFiles files;
        files.add("/zephyr/boards/acme/sub/part.dtsi", "#include \"../common.h\"\npart = <COMMON>;\n");
        files.add("/zephyr/boards/acme/common.h", "#define COMMON 7\n");
        const auto r =
            preprocess("#include \"sub/part.dtsi\"\n", "/zephyr/boards/acme/board.dts", files.options());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(squeezed(r->text()), std::string("part = <7>;\n"));
    }

    void angleIncludesSearchTheIncludeFolders() {
        dtstest::VirtualFiles files;
        files.add("/roots/b/dts/arm/soc.dtsi", "soc = <1>;\n");
        files.add("/roots/a/include/zephyr/gpio.h", "#define GPIO_ACTIVE_LOW (1 << 0)\n");
        const auto options = files.options({"/roots/a/include", "/roots/b/dts/arm"});
        QCOMPARE(run("#include <soc.dtsi>\n#include <zephyr/gpio.h>\ng = <GPIO_ACTIVE_LOW>;\n", options),
                 std::string("soc = <1>;\ng = <(1 << 0)>;\n"));
        // A quoted include falls back to the include folders too, as cpp does.
        QCOMPARE(run("#include \"soc.dtsi\"\n", options), std::string("soc = <1>;\n"));
    }

    void missingIncludeNamesTheIncludingFileAndTheSearchedFolders() {
        dtstest::VirtualFiles files;
        files.add("/b/board.dts", "/dts-v1/;\n\n#include <nordic/nrf52840.dtsi>\n");
        const auto options = files.options({"/zephyr/dts/arm", "/zephyr/include"});
        const Error e = failure("#include \"board.dts\"\n", options, "/b/app.dts");
        QCOMPARE(e.code, Errc::NotFound);
        QCOMPARE(e.where.file, std::string("/b/board.dts"));
        QCOMPARE(e.where.line, 3);
        QVERIFY(e.message.find("<nordic/nrf52840.dtsi>") != std::string::npos);
        QVERIFY(e.message.find("/zephyr/dts/arm/nordic") != std::string::npos);
        QVERIFY(e.message.find("/zephyr/include/nordic") != std::string::npos);
    }

    void commentsAndContinuationsKeepLineNumbers() {
        const std::string text = "/* a comment\n   over two lines */ a;\n#define LONG 1 + \\\n  2\n"
                                 "b = <(LONG)>; // trailing\nc = \"// not a comment\";\nd;\n";
        const auto r = preprocess(text, "lines.dts", {});
        QVERIFY(r.ok());
        QCOMPARE(squeezed(r->text()), std::string("a;\nb = <(1 + 2)>;\nc = \"// not a comment\";\nd;\n"));
        const std::string& out = r->text();
        QCOMPARE(r->locate(out.find("a;")).line, 2);
        QCOMPARE(r->locate(out.find("b =")).line, 5);
        QCOMPARE(r->locate(out.find("d;")).line, 7);
        QCOMPARE(r->locate(out.find("d;")).file, std::string("lines.dts"));
    }

    void macroArgumentsMaySpanLines() {
        QCOMPARE(run("#define PAIR(a, b) <a b>\nreg = PAIR(0x0,\n  0x1000);\nnext;\n"),
                 std::string("reg = <0x0 0x1000>;\nnext;\n"));
    }

    void lineMarkersOfPreprocessedFilesNameTheOriginal() {
        const std::string text = "# 1 \"zephyr.dts\"\n# 40 \"boards/acme/acme.dts\" 1\nfirst;\nsecond;\n";
        const auto r = preprocess(text, "zephyr.dts.pre", {});
        QVERIFY(r.ok());
        const std::string& out = r->text();
        QCOMPARE(r->locate(out.find("second")).file, std::string("boards/acme/acme.dts"));
        QCOMPARE(r->locate(out.find("second")).line, 41);
    }

    void hashLinesThatAreNoDirectivesAreDevicetree() {
        QCOMPARE(run("#address-cells = <1>;\n  #size-cells = <1>;\n"),
                 std::string("#address-cells = <1>;\n#size-cells = <1>;\n"));
    }

    void includeGuardsAndPragmaOnce() {
        dtstest::VirtualFiles files;
        files.add("/x/guarded.h", "#ifndef GUARD\n#define GUARD\nonce;\n#endif\n");
        files.add("/x/once.h", "#pragma once\ntwice;\n");
        QCOMPARE(
            run("#include \"guarded.h\"\n#include \"guarded.h\"\n#include \"once.h\"\n#include \"once.h\"\n",
                [&] {
                    auto o = files.options({"/x"});
                    return o;
                }()),
            std::string("once;\ntwice;\n"));
    }

    void errorsNameFileAndLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        QTest::newRow("#error") << "a;\n#error board not supported\n" << 2 << "board not supported";
        QTest::newRow("#endif alone") << "\n#endif\n" << 2 << "#endif without #if";
        QTest::newRow("#if never closed") << "#if 1\na;\n" << 1 << "#if without #endif";
        QTest::newRow("#else twice") << "#if 0\n#else\n#else\n#endif\n" << 3 << "after #else";
        QTest::newRow("comment never closed") << "a;\n/* open\n" << 2 << "never closed";
        QTest::newRow("wrong argument count") << "#define F(a, b) a\n\nv = <F(1)>;\n" << 3 << "takes 2";
        QTest::newRow("bad #if") << "#if (1 +\n#endif\n" << 1 << "#if";
        QTest::newRow("runaway include") << "#include \"test.dts\"\n" << 0 << "nested more than";
        QTest::newRow("macro calls nested too deep")
            << "#define F(x) x\nv = <" + QString("F(").repeated(5000) + "1" + QString(")").repeated(5000) +
                   ">;\n"
            << 2 << "nest too deeply";
    }
    void errorsNameFileAndLine() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        dtstest::VirtualFiles files;
        files.add("test.dts", text.toStdString());
        const Error e = failure(text.toStdString(), files.options());
        QVERIFY2(e.message.find(says.toStdString()) != std::string::npos, e.message.c_str());
        QCOMPARE(e.where.file.empty(), false);
        if (line > 0)
            QCOMPARE(e.where.line, line);
        QCOMPARE(e.code, Errc::Parse);
    }
};

QTEST_APPLESS_MAIN(TestDtsPreprocessor)
#include "tst_dtspreprocessor.moc"
