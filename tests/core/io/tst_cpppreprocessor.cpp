// SPDX-License-Identifier: Apache-2.0
// cpp::preprocess feature by feature: lexing, macros, conditionals, includes through the hook, the two
// modes, and an error naming the file and line for each thing that can go wrong.
#include "io/cpp/Preprocessor.h"

#include <QtTest>

#include <filesystem>
#include <map>

using namespace flashplan;
using namespace flashplan::cpp;

Q_DECLARE_METATYPE(flashplan::cpp::Language)

namespace {

/// Files served to the include hook from memory: "x" beside the including file first, then <x> and "x"
/// in /inc. Every request is recorded.
struct Files {
    std::map<std::string, std::string> text;
    std::vector<IncludeRequest> requests;

    IncludeHook hook() {
        return [this](const IncludeRequest& r) -> Result<std::optional<IncludedFile>> {
            requests.push_back(r);
            std::vector<std::string> candidates;
            if (!r.angled) {
                const auto slash = r.includingFile.rfind('/');
                candidates.push_back(
                    (slash == std::string::npos ? std::string() : r.includingFile.substr(0, slash + 1)) +
                    r.name);
            }
            candidates.push_back("/inc/" + r.name);
            for (std::string& c : candidates)
                if (const auto it = text.find(c = std::filesystem::path(c).lexically_normal().string());
                    it != text.end())
                    return std::optional<IncludedFile>(IncludedFile{c, it->second});
            return Error{Errc::NotFound, "cannot find " + r.name, r.where, {}};
        };
    }
};

Options options(Language language = Language::C, Mode mode = Mode::Expand) {
    Options o;
    o.language = language;
    o.mode = mode;
    return o;
}

/// The expanded text with blank lines dropped and every line's blanks folded to one.
std::string run(const std::string& text, const Options& o = options()) {
    const auto r = preprocess(text, "test.c", o);
    if (!r)
        qFatal("preprocess failed: %s", r.error().toString().c_str());
    std::string out;
    for (const OutputLine& l : r->lines) {
        std::string folded;
        for (char c : l.text)
            if (c != ' ' || (!folded.empty() && folded.back() != ' '))
                folded.push_back(c);
        while (!folded.empty() && folded.back() == ' ')
            folded.pop_back();
        if (!folded.empty())
            out += folded + "\n";
    }
    return out;
}

Error failure(const std::string& text, const Options& o = options(), const std::string& name = "test.c") {
    const auto r = preprocess(text, name, o);
    if (r)
        qFatal("expected an error from: %s", text.c_str());
    return r.error();
}

} // namespace

class TestCppPreprocessor : public QObject {
    Q_OBJECT
private slots:
    void commentsAndContinuationsKeepLineNumbers() {
        const std::string text = "/* a comment\n   over two lines */ a;\n#define LONG 1 + \\\n  2\n"
                                 "b = (LONG); // trailing \\\n still the comment\nc = \"// not a comment\";\n"
                                 "d /* inside */ e;\n";
        const auto r = preprocess(text, "lines.c", options());
        QVERIFY(r.ok());
        QCOMPARE(run(text), std::string("a;\nb = (1 + 2);\nc = \"// not a comment\";\nd e;\n"));
        QCOMPARE(r->lines.size(), std::size_t(4));
        QCOMPARE(r->lines[0].line, 2);
        QCOMPARE(r->lines[1].line, 5);
        QCOMPARE(r->lines[2].line, 7);
        QCOMPARE(r->lines[3].line, 8);
        QCOMPARE(r->files[r->lines[3].file], std::string("lines.c"));
    }

    void literalsAndNumbersAreTokensOfTheirOwn() {
        const std::string text = "#define e000 oops\n#define A x\n#define UL no\n"
                                 "v = 0x1e000 0x20000UL 1024ull 0b101 'A' \"A e000\" L'A';\n";
        QCOMPARE(run(text), std::string("v = 0x1e000 0x20000UL 1024ull 0b101 'A' \"A e000\" L'A';\n"));
        // A quote never closed runs to the end of its line as one token, as GCC reads it: no error.
        QCOMPARE(run("#define A x\nit's A\nA\n"), std::string("it's A\nx\n"));
    }

    void objectAndFunctionLikeMacros() {
        QCOMPARE(run("#define SIZE 0x1000\n#define TWICE(x) ((x) * 2)\nr = <SIZE TWICE(SIZE)>;\n"),
                 std::string("r = <0x1000 ((0x1000) * 2)>;\n"));
        // Arguments with parentheses and commas inside them; nested calls.
        QCOMPARE(run("#define ADD(a, b) ((a) + (b))\nv = ADD(ADD(1, 2), (3, 4));\n"),
                 std::string("v = ((((1) + (2))) + ((3, 4)));\n"));
        // A function-like macro's name without '(' is just a name (C11 6.10.3p10).
        QCOMPARE(run("#define F(x) x\nF;\nF\n(1);\n"), std::string("F;\n1;\n"));
        // A call's arguments may span lines: the output is one line.
        QCOMPARE(run("#define PAIR(a, b) <a b>\nreg = PAIR(0x0,\n  0x1000);\nnext;\n"),
                 std::string("reg = <0x0 0x1000>;\nnext;\n"));
        QCOMPARE(run("#define NONE() none\nNONE() NONE( )\n"), std::string("none none\n"));
    }

    void stringizingAndPasting() {
        QCOMPARE(run("#define STR(x) #x\nSTR(image 0) STR( a  +  b ) STR(\"q\\n\") STR('\"')\n"),
                 std::string("\"image 0\" \"a + b\" \"\\\"q\\\\n\\\"\" \"'\\\"'\"\n"));
        QCOMPARE(run("#define CAT(a, b) a ## b\n#define X 1\nCAT(slot, 0) CAT(X, X) CAT(, y) CAT(z, ) CAT(<, "
                     "<)\n"),
                 std::string("slot0 XX y z <<\n"));
        // Pasted, the result is scanned again for macros.
        QCOMPARE(run("#define CAT(a, b) a##b\n#define slot0 zero\nCAT(slot, 0)\n"), std::string("zero\n"));
        // Assembler keeps both sides of a paste that makes no token; C says it is an error (below).
        QCOMPARE(run("#define CAT(a, b) a##b\nCAT(., x)\n", options(Language::AssemblerWithCpp)),
                 std::string(". x\n"));
        // Assembler lets '#' name no parameter (#address-cells in a macro).
        QCOMPARE(
            run("#define CELLS(n) #address-cells = <n>\nCELLS(1);\n", options(Language::AssemblerWithCpp)),
            std::string("#address-cells = <1>;\n"));
    }

    void variadicMacros() {
        QCOMPARE(run("#define LIST(...) <__VA_ARGS__>\n#define G(fmt, args...) f(fmt, args)\n"
                     "LIST(1, 2, 3) LIST() G(a, b, c)\n"),
                 std::string("<1, 2, 3> <> f(a, b, c)\n"));
        // GNU: ", ## __VA_ARGS__" drops the comma when the variadic argument is not given at all.
        QCOMPARE(run("#define P(fmt, ...) p(fmt, ## __VA_ARGS__)\nP(x) P(x,) P(x, 1, 2)\n"),
                 std::string("p(x) p(x,) p(x, 1, 2)\n"));
    }

    void recursionIsBlockedAsInC() {
        QCOMPARE(run("#define foo foo + 1\nfoo\n"), std::string("foo + 1\n"));
        QCOMPARE(run("#define a b\n#define b a\na b\n"), std::string("a b\n"));
        QCOMPARE(run("#define f(x) x + f(x)\nf(f(1))\n"), std::string("1 + f(1) + f(1 + f(1))\n"));
        // A name met inside its own expansion stays unexpanded, even where it is used after the expansion.
        QCOMPARE(run("#define g(x) x\n#define h g(h)\nh\n"), std::string("h\n"));
    }

    void undefForgetsAMacro() { QCOMPARE(run("#define A 1\nA\n#undef A\nA\n"), std::string("1\nA\n")); }

    void builtinLineAndFile() {
        QCOMPARE(run("a\n__LINE__ __FILE__\n#ifdef __LINE__\nyes\n#endif\n"),
                 std::string("a\n2 \"test.c\"\nyes\n"));
    }

    void conditionals() {
        const std::string text =
            "#define REV 3\n#define TWICE(x) ((x) * 2)\n"
            "#if REV >= 3 && defined(REV)\nrev3;\n#elif REV == 2\nrev2;\n#else\nold;\n#endif\n"
            "#ifdef NOT_DEFINED\nno;\n#else\nyes;\n#endif\n"
            "#ifndef NOT_DEFINED\n#if defined NOT_DEFINED || (1 << 4) == 16\nnested;\n"
            "#endif\n#endif\n"
            "#if TWICE(REV) == 6 && UNKNOWN == 0\nmacros;\n#endif\n"
            "#if -1 < 0u\nwrong;\n#else\nunsigned;\n#endif\n"
            "#if 0\n#include \"missing.h\"\n#error not reached\n#if 1/0\n#endif\n#bogus\n#endif\n"
            "#if 1\n#elif 1/0\n#endif\n";
        QCOMPARE(run(text), std::string("rev3;\nyes;\nnested;\nmacros;\nunsigned;\n"));
    }

    void includesGoThroughTheHook() {
        Files files;
        files.text["/src/sub/part.h"] = "#include \"../common.h\"\npart = COMMON;\n";
        files.text["/src/common.h"] = "#define COMMON 7\n";
        files.text["/inc/soc.h"] = "soc;\n";
        Options o = options();
        o.include = files.hook();
        const auto r = preprocess(
            "#include \"sub/part.h\"\n#include <soc.h>\n#define H <soc.h>\n#include H\n", "/src/board.c", o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(r->text(), std::string("part = 7;\nsoc;\nsoc;\n"));
        QCOMPARE(files.requests.size(), std::size_t(4));
        QCOMPARE(files.requests[0].name, std::string("sub/part.h"));
        QCOMPARE(files.requests[0].angled, false);
        QCOMPARE(files.requests[0].includingFile, std::string("/src/board.c"));
        QCOMPARE(files.requests[1].includingFile, std::string("/src/sub/part.h"));
        QCOMPARE(files.requests[1].where.line, 1);
        QCOMPARE(files.requests[2].angled, true);
        QCOMPARE(files.requests[3].name, std::string("soc.h")); // #include MACRO
        // Each output line names the file it came from.
        QCOMPARE(r->files[r->lines[0].file], std::string("/src/sub/part.h"));
        QCOMPARE(r->lines[0].line, 2);
        QCOMPARE(r->files[r->lines[1].file], std::string("/inc/soc.h"));
    }

    void hookMaySatisfyAnIncludeWithNothing() {
        Options o = options();
        o.include = [](const IncludeRequest&) -> Result<std::optional<IncludedFile>> {
            return std::optional<IncludedFile>();
        };
        QCOMPARE(run("#include <stdint.h>\nx\n", o), std::string("x\n"));
    }

    void includeGuardsAndPragmaOnce() {
        Files files;
        files.text["/inc/guarded.h"] = "#ifndef GUARD\n#define GUARD\nonce;\n#endif\n";
        files.text["/inc/once.h"] = "#pragma once\ntwice;\n#pragma GCC diagnostic push\n";
        Options o = options();
        o.include = files.hook();
        QCOMPARE(
            run("#include <guarded.h>\n#include <guarded.h>\n#include <once.h>\n#include \"once.h\"\n", o),
            std::string("once;\ntwice;\n"));
    }

    void errorWarningAndLine() {
        const auto r = preprocess("#warning check the sizes\n#line 100 \"renamed.c\"\nx\n", "w.c", options());
        QVERIFY(r.ok());
        QCOMPARE(r->notes.size(), std::size_t(1));
        QCOMPARE(r->notes[0].message, std::string("#warning check the sizes"));
        QCOMPARE(r->notes[0].where.line, 1);
        QCOMPARE(r->files[r->lines[0].file], std::string("renamed.c"));
        QCOMPARE(r->lines[0].line, 100);
    }

    void lineMarkersOfPreprocessedFiles() {
        const std::string text = "# 1 \"zephyr.dts\"\n# 40 \"boards/acme/acme.dts\" 1\nfirst;\nsecond;\n";
        Options o = options(Language::AssemblerWithCpp);
        QCOMPARE(run(text, o),
                 std::string("# 1 \"zephyr.dts\"\n# 40 \"boards/acme/acme.dts\" 1\nfirst;\nsecond;\n"));
        o.lineMarkers = true;
        const auto r = preprocess(text, "zephyr.dts.pre", o);
        QVERIFY(r.ok());
        QCOMPARE(r->lines.size(), std::size_t(2));
        QCOMPARE(r->files[r->lines[1].file], std::string("boards/acme/acme.dts"));
        QCOMPARE(r->lines[1].line, 41);
    }

    void assemblerPassesUnknownDirectivesThrough() {
        QCOMPARE(
            run("#address-cells = <1>;\n  #size-cells = <1>;\n# 12\n", options(Language::AssemblerWithCpp)),
            std::string("#address-cells = <1>;\n#size-cells = <1>;\n# 12\n"));
    }

    void macrosOnlyModeReadsTheTable() {
        // The text between directives is not read: a call left open there is no error.
        const std::string text =
            "#ifndef WOLFBOOT_SECTOR_SIZE\n#define WOLFBOOT_SECTOR_SIZE 0x20000\n#endif\n"
            "static const int x = OPEN(;\n"
            "#define KB(x) ((x) * 1024)\n#define SIZE KB(128) /* comment */\n"
            "#if SIZE > 0x10000\n#error \"too big\"\n#endif\n";
        const auto r = preprocess(text, "target.h", options(Language::C, Mode::MacrosOnly));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QVERIFY(r->lines.empty());
        QCOMPARE(r->macros.size(), std::size_t(3));
        const Macro* kb = r->macros.find("KB");
        QVERIFY(kb && kb->functionLike);
        QCOMPARE(kb->params, std::vector<std::string>{"x"});
        QCOMPARE(kb->bodyText(), std::string("((x) * 1024)"));
        QCOMPARE(kb->where.file, std::string("target.h"));
        QCOMPARE(kb->where.line, 5);
        QCOMPARE(r->macros.inOrder().front()->name, std::string("WOLFBOOT_SECTOR_SIZE"));
        // An #error that fires is a note here: a header read for its macros is not compiled.
        QCOMPARE(r->notes.size(), std::size_t(1));
        QCOMPARE(r->notes[0].message, std::string("#error \"too big\""));
        QCOMPARE(r->notes[0].where.line, 8);
    }

    void predefinedMacros() {
        Options o = options();
        QVERIFY(o.predefined.define("EXT_FLASH 1").ok());
        QCOMPARE(run("#ifdef EXT_FLASH\next EXT_FLASH\n#endif\n", o), std::string("ext 1\n"));
    }

    void errorsNameFileAndLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        QTest::addColumn<Language>("language");
        const Language c = Language::C;
        const Language assembler = Language::AssemblerWithCpp;
        QTest::newRow("comment never closed") << "a;\n/* open\n" << 2 << "never closed" << c;
        QTest::newRow("#if never closed") << "#if 1\na;\n" << 1 << "#if without #endif" << c;
        QTest::newRow("#endif alone") << "\n#endif\n" << 2 << "#endif without #if" << c;
        QTest::newRow("#else alone") << "#else\n" << 1 << "#else without #if" << c;
        QTest::newRow("#elif alone") << "\n\n#elif 1\n" << 3 << "#elif without #if" << c;
        QTest::newRow("#else twice") << "#if 0\n#else\n#else\n#endif\n" << 3 << "#else after #else" << c;
        QTest::newRow("#elif after #else") << "#if 0\n#else\n#elif 1\n#endif\n"
                                           << 3 << "#elif after #else" << c;
        QTest::newRow("division by zero in #if") << "\n#if 1 / (2 - 2)\n#endif\n"
                                                 << 2 << "division by zero" << c;
        QTest::newRow("bad #elif") << "#if 0\n#elif (1 +\n#endif\n" << 2 << "#elif" << c;
        QTest::newRow("#if without expression") << "#if\n#endif\n" << 1 << "with no expression" << c;
        QTest::newRow("defined without name") << "#if defined(1)\n#endif\n" << 1 << "'defined' needs" << c;
        QTest::newRow("defined without )") << "#if defined(A\n#endif\n" << 1 << "without ')'" << c;
        QTest::newRow("#ifdef without name") << "#ifdef\n#endif\n" << 1 << "#ifdef needs a macro name" << c;
        QTest::newRow("#define without name") << "\n#define 1 2\n" << 2 << "#define needs a macro name" << c;
        QTest::newRow("#define defined") << "#define defined 1\n" << 1 << "\"defined\" cannot" << c;
        QTest::newRow("bad parameters") << "#define F(a b) a\n" << 1 << "',' or ')' was expected" << c;
        QTest::newRow("parameters never closed") << "#define F(a, b\n" << 1 << "no ')'" << c;
        QTest::newRow("parameter twice") << "#define F(a, a) a\n" << 1 << "named twice" << c;
        QTest::newRow("## at the start") << "#define F ## a\n" << 1 << "either end" << c;
        QTest::newRow("## at the end") << "#define F(x) x ##\n" << 1 << "either end" << c;
        QTest::newRow("# without parameter") << "#define F(x) # y\n"
                                             << 1 << "not followed by a macro parameter" << c;
        QTest::newRow("#undef without name") << "#undef\n" << 1 << "#undef needs a macro name" << c;
        QTest::newRow("too few arguments") << "#define F(a, b) a\n\nv = F(1);\n"
                                           << 3 << "takes 2 arguments, but is given 1" << c;
        QTest::newRow("too many arguments") << "#define F(a) a\nF(1, 2)\n"
                                            << 2 << "takes 1 argument, but is given 2" << c;
        QTest::newRow("too few variadic") << "#define F(a, b, ...) a\nF(1)\n" << 2 << "takes at least 2" << c;
        QTest::newRow("arguments never closed") << "#define F(a) a\nF(1,\n2\n" << 2 << "never closed" << c;
        QTest::newRow("invalid paste") << "#define CAT(a, b) a ## b\n\nCAT(., x)\n"
                                       << 3 << "pasting \".\" and \"x\"" << c;
        QTest::newRow("unknown directive") << "\n#bogus\n"
                                           << 2 << "#bogus is not a preprocessing directive" << c;
        QTest::newRow("#error") << "a;\n#error board \"x\" not supported\n"
                                << 2 << "#error board \"x\" not supported" << assembler;
        QTest::newRow("#include without hook") << "#include <x.h>\n" << 1 << "includes are not followed" << c;
        QTest::newRow("#include bad syntax") << "\n#include x.h\n" << 2 << "expects \"file\" or <file>" << c;
        QTest::newRow("#include never closed") << "#include <x.h\n" << 1 << "no closing '>'" << c;
        QTest::newRow("#line without number") << "#line x\n" << 1 << "#line needs a line number" << c;
        QTest::newRow("macro calls nested too deep")
            << "#define F(x) x\n\nv = " + QString("F(").repeated(400) + "1" + QString(")").repeated(400) +
                   ";\n"
            << 3 << "nest too deeply" << c;
    }
    void errorsNameFileAndLine() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        QFETCH(Language, language);
        const Error e = failure(text.toStdString(), options(language), "board.c");
        QVERIFY2(e.message.find(says.toStdString()) != std::string::npos, e.message.c_str());
        QCOMPARE(e.where.file, std::string("board.c"));
        QCOMPARE(e.where.line, line);
        QCOMPARE(e.code, text.startsWith("#include <x.h>\n") ? Errc::NotFound : Errc::Parse);
    }

    void errorsInIncludedFilesNameThem() {
        Files files;
        files.text["/inc/open.h"] = "a\n#if 1\n";
        files.text["/inc/bad.h"] = "\n\n#if 1 +\n#endif\n";
        files.text["/inc/missing.h"] = "\n#include \"nowhere.h\"\n";
        files.text["/inc/self.h"] = "#include <self.h>\n";
        Options o = options();
        o.include = files.hook();
        Error e = failure("#include <open.h>\n", o);
        QCOMPARE(e.where.file, std::string("/inc/open.h"));
        QCOMPARE(e.where.line, 2);
        e = failure("#include <bad.h>\n", o);
        QCOMPARE(e.where.file, std::string("/inc/bad.h"));
        QCOMPARE(e.where.line, 3);
        e = failure("#include <missing.h>\n", o); // the hook's error, at the #include
        QCOMPARE(e.code, Errc::NotFound);
        QCOMPARE(e.where.file, std::string("/inc/missing.h"));
        QCOMPARE(e.where.line, 2);
        e = failure("#include <self.h>\n", o);
        QVERIFY(e.message.find("nested more than 200 deep") != std::string::npos);
        QCOMPARE(e.where.file, std::string("/inc/self.h"));
        QCOMPARE(e.where.line, 1);
        // An error in a macro's arguments names where the call is.
        files.text["/inc/call.h"] = "#define F(a) a\n\n  F(1, 2)\n";
        e = failure("#include <call.h>\n", o);
        QCOMPARE(e.where.file, std::string("/inc/call.h"));
        QCOMPARE(e.where.line, 3);
    }
};

QTEST_APPLESS_MAIN(TestCppPreprocessor)
#include "tst_cpppreprocessor.moc"
