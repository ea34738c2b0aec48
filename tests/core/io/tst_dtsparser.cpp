// SPDX-License-Identifier: Apache-2.0
// DTS v1 as dtc builds the tree from it: references that extend nodes, deletions, cell arithmetic, values.
#include "io/dts/DtsParser.h"
#include "io/dts/DtsPreprocessor.h"

#include <QtTest>

#include <memory>

using namespace flashplan;
using namespace flashplan::dts;

namespace {

struct Parsed {
    PreprocessedSource source;
    std::unique_ptr<DtsTree> tree = std::make_unique<DtsTree>();
    std::vector<Diagnostic> notes;
};

Result<Parsed> parse(const std::string& text, UnknownLabels unknown = UnknownLabels::AreErrors) {
    auto pre = preprocess(text, "t.dts", {});
    if (!pre)
        return pre.error();
    Parsed p;
    p.source = std::move(*pre);
    if (auto r = parseDts(p.source, *p.tree, unknown, p.notes); !r)
        return r.error();
    return p;
}

Parsed ok(const std::string& text) {
    auto r = parse(text);
    if (!r.ok())
        qFatal("parse failed: %s", r.error().toString().c_str());
    return std::move(*r);
}

std::vector<std::uint64_t> cellsAt(const DtsTree& tree, const std::string& path,
                                   const std::string& property) {
    const Node* n = tree.byPath(path);
    if (!n)
        qFatal("no node %s", path.c_str());
    const Property* p = n->property(property);
    if (!p || !p->cells())
        qFatal("no cells in %s %s", path.c_str(), property.c_str());
    return *p->cells();
}

} // namespace

class TestDtsParser : public QObject {
    Q_OBJECT
private slots:
    void referencesExtendTheNodesTheyName() {
        const Parsed p = ok("/dts-v1/;\n/ { soc { a: b: flash@0 { x = <1>; }; }; };\n"
                            "&a { y = <2>; };\n"
                            "&{/soc/flash@0} { z = <3>; };\n"
                            "c: &b { x = <4>; };\n"
                            "/ { soc { flash@0 { w; }; }; };\n");
        const Node* n = p.tree->byLabel("a");
        QVERIFY(n);
        QCOMPARE(n, p.tree->byLabel("b"));
        QCOMPARE(n, p.tree->byLabel("c"));
        QCOMPARE(n, p.tree->byPath("/soc/flash"));
        QCOMPARE(n->labels, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(cellsAt(*p.tree, "/soc/flash@0", "x"), std::vector<std::uint64_t>{4});
        QCOMPARE(cellsAt(*p.tree, "/soc/flash@0", "y"), std::vector<std::uint64_t>{2});
        QCOMPARE(cellsAt(*p.tree, "/soc/flash@0", "z"), std::vector<std::uint64_t>{3});
        QVERIFY(n->property("w"));
        QVERIFY(n->property("w")->value.empty());
        QCOMPARE(n->path(), std::string("/soc/flash@0"));
    }

    void deletionsApplyWhereTheyStand() {
        const Parsed p =
            ok("/ {\n a: one { p = <1>; q = <2>; };\n two { };\n three { };\n};\n"
               "/delete-node/ &a;\n"
               "/ { /delete-node/ two; three { /delete-property/ r; r = <1>; /delete-property/ r; }; };\n"
               "/ { a: one { fresh; }; };\n");
        const Node* one = p.tree->byPath("/one");
        QVERIFY(one);
        QVERIFY(one->property("fresh"));
        QVERIFY(!one->property("p")); // the node was deleted, then made again
        QVERIFY(!p.tree->byPath("/two"));
        QVERIFY(p.tree->byPath("/three"));
        QVERIFY(!p.tree->byPath("/three")->property("r"));
        QCOMPARE(p.tree->byLabel("a"), one);
    }

    void omitIfNoRefDropsWhatNothingNames() {
        const Parsed p = ok("/ {\n /omit-if-no-ref/ unused: unused { };\n /omit-if-no-ref/ used: used { };\n"
                            " late: late { };\n user { ref = <&used>; };\n};\n/omit-if-no-ref/ &late;\n");
        QVERIFY(!p.tree->byPath("/unused"));
        QVERIFY(p.tree->byPath("/used"));
        QVERIFY(!p.tree->byPath("/late"));
        QVERIFY(!p.tree->byLabel("unused"));
    }

    void propertiesMayFollowSubnodes() {
        // dtc 1.6 refuses this; Zephyr (and so Flashplan) accepts it.
        const Parsed p = ok("/ { node { child { }; after = <5>; }; };\n");
        QCOMPARE(cellsAt(*p.tree, "/node", "after"), std::vector<std::uint64_t>{5});
    }

    void cellArithmetic_data() {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<quint64>("value");
        QTest::newRow("multiply") << "(0x1000 * 4)" << quint64(0x4000);
        QTest::newRow("DT_SIZE_M shape") << "((1024) * 1024)" << quint64(0x100000);
        QTest::newRow("macro") << "DT_SIZE_K(64)" << quint64(0x10000);
        QTest::newRow("add sub") << "(0x10000 + 0x800 - 0x100)" << quint64(0x10700);
        QTest::newRow("divide") << "(10 / 3)" << quint64(3);
        QTest::newRow("modulo") << "(10 % 3)" << quint64(1);
        QTest::newRow("shift left") << "(1 << 20)" << quint64(0x100000);
        QTest::newRow("shift right") << "(0x10000 >> 4)" << quint64(0x1000);
        QTest::newRow("and") << "(0xff & 0x0f)" << quint64(0x0f);
        QTest::newRow("or") << "(1 | 2)" << quint64(3);
        QTest::newRow("xor") << "(5 ^ 1)" << quint64(4);
        QTest::newRow("not bits") << "(~0 & 0xff)" << quint64(0xff);
        QTest::newRow("logical not") << "(!0)" << quint64(1);
        QTest::newRow("less") << "(3 < 4)" << quint64(1);
        QTest::newRow("less equal") << "(4 <= 3)" << quint64(0);
        QTest::newRow("greater") << "(5 > 6)" << quint64(0);
        QTest::newRow("greater equal") << "(6 >= 6)" << quint64(1);
        QTest::newRow("equal") << "(1 == 1)" << quint64(1);
        QTest::newRow("not equal") << "(1 != 1)" << quint64(0);
        QTest::newRow("and and") << "(1 && 0)" << quint64(0);
        QTest::newRow("or or") << "(0 || 2)" << quint64(1);
        QTest::newRow("conditional") << "(1 ? 0x20 : 0x30)" << quint64(0x20);
        QTest::newRow("conditional false") << "(0 ? 0x20 : 0x30)" << quint64(0x30);
        QTest::newRow("precedence") << "(2 + 3 * 4 << 1)" << quint64(28);
        QTest::newRow("negative truncated") << "(-1)" << quint64(0xffffffff);
        QTest::newRow("character") << "('A' - 'A' + 'b')" << quint64('b');
        QTest::newRow("suffixes") << "(1024UL * 4U)" << quint64(4096);
        QTest::newRow("octal") << "(010)" << quint64(8);
        QTest::newRow("lazy division") << "(0 && (1 / 0))" << quint64(0);
        QTest::newRow("char literal cell") << "'\\n'" << quint64(10);
    }
    void cellArithmetic() {
        QFETCH(QString, expression);
        QFETCH(quint64, value);
        const Parsed p = ok("/ { n { v = <" + expression.toStdString() + ">; }; };\n");
        QCOMPARE(cellsAt(*p.tree, "/n", "v"), std::vector<std::uint64_t>{value});
    }

    void valuesOfEveryKind() {
        const Parsed p = ok("/ { target: t { }; n {\n"
                            " s = \"a\\\"b\\x41\\101\\n\";\n"
                            " list = \"one\", \"two\";\n"
                            " bytes = [01 02 ab], [0a0B];\n"
                            " b8 = /bits/ 8 <0x12 0xff>;\n"
                            " b64 = /bits/ 64 <0x100000000>;\n"
                            " phandles = <&target 1 &{/t}>;\n"
                            " path = &target;\n"
                            " mixed = \"x\", <1>, [00];\n"
                            " lbl: labelled = l1: <l2: 1 l3:>;\n"
                            "}; };\n");
        const Node* n = p.tree->byPath("/n");
        QVERIFY(n);
        QCOMPARE(*n->property("s")->firstString(), std::string("a\"bAA\n"));
        QCOMPARE(n->property("list")->strings(), (std::vector<std::string>{"one", "two"}));
        QCOMPARE(printValue(n->property("bytes")->value), std::string("[01 02 ab], [0a 0b]"));
        QCOMPARE(printValue(n->property("b8")->value), std::string("/bits/ 8 <0x12 0xff>"));
        QCOMPARE(printValue(n->property("b64")->value), std::string("/bits/ 64 <0x100000000>"));
        QCOMPARE(printValue(n->property("phandles")->value), std::string("<&target 0x1 &{/t}>"));
        QCOMPARE(printValue(n->property("path")->value), std::string("&target"));
        QCOMPARE(printValue(n->property("mixed")->value), std::string("\"x\", <0x1>, [00]"));
        QCOMPARE(*n->property("labelled")->cells(), std::vector<std::uint64_t>{1});
        QVERIFY(!n->property("phandles")->cells()); // references are not numbers
    }

    void tagsAndReservationsAreReadAndIgnored() {
        const Parsed p = ok("/dts-v1/;\n/plugin/;\n/memreserve/ 0x10000000 (0x1000 * 4);\n/ { a { }; };\n");
        QVERIFY(p.tree->byPath("/a"));
    }

    void sixtyFourBitCellsCombine() {
        const Parsed p = ok("/ { n { reg = <0x1 0x00000000 0x0 0x80000000>; }; };\n");
        const auto cells = cellsAt(*p.tree, "/n", "reg");
        QCOMPARE(*combineCells(cells, 0, 2), quint64(0x100000000));
        QCOMPARE(*combineCells(cells, 2, 2), quint64(0x80000000));
        QVERIFY(!combineCells({1, 0, 0}, 0, 3));
        QCOMPARE(*combineCells({0, 1, 2}, 0, 3), quint64(0x100000002));
    }

    void aLabelMayMoveWhenItsFirstNodeIsDeleted() {
        // A label briefly on two nodes is fine as long as one is gone by the end (dtc checks the result).
        const Parsed p = ok("/ { a: one { }; two { }; };\n/ { two { }; };\n&a { x; };\n/delete-node/ &a;\n"
                            "/ { two: two { }; };\n/ { a: three { }; };\n");
        QCOMPARE(p.tree->byLabel("a"), p.tree->byPath("/three"));
    }

    void referencesAreCheckedInTheFinishedTree() {
        // A property overwritten later, or a node deleted later, no longer refers to anything.
        QVERIFY(parse("/ { n { r = <&gone>; r = <1>; }; };\n").ok());
        QVERIFY(parse("/ { n { r = <&gone>; }; };\n/ { /delete-node/ n; };\n").ok());
    }

    void fragmentsStandForNodesOfAnotherFile() {
        auto r = parse("&flash0 { partitions { }; };\n/delete-node/ &storage_partition;\n"
                       "/ { chosen { zephyr,code-partition = &slot0_partition; }; };\n",
                       UnknownLabels::MakeFragments);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(r->tree->fragments().size(), std::size_t(1));
        QCOMPARE(r->tree->fragments().front()->name, std::string("flash0"));
        QVERIFY(r->tree->fragments().front()->child("partitions"));
        QCOMPARE(r->notes.size(), std::size_t(1));
        QVERIFY(r->notes.front().message.find("storage_partition") != std::string::npos);
    }

    void badInput_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        QTest::newRow("unterminated node") << "/ {\n\tsoc {\n\t\ta = <1>;\n};\n" << 1 << "is not closed";
        QTest::newRow("unknown macro call") << "/ {\n\tn { reg = <0x0 SIZE_K(4)>; };\n};\n"
                                            << 2 << "unknown macro SIZE_K()";
        QTest::newRow("unknown identifier") << "/ {\n\n\tn { flags = <GPIO_ACTIVE_LOW>; };\n};\n"
                                            << 3 << "GPIO_ACTIVE_LOW";
        QTest::newRow("macro call in an expression") << "/ { n { v = <(1 + FOO(2))>; }; };\n"
                                                     << 1 << "unknown macro FOO()";
        QTest::newRow("missing ')'") << "/ {\n\tn { reg = <(0x1000 * 4>; };\n};\n"
                                     << 2 << "unbalanced parentheses";
        QTest::newRow("extra ')'") << "/ {\n\tn { reg = <(0x1000) * 4)>; };\n};\n" << 2 << "";
        QTest::newRow("cell overflows 32 bits") << "/ {\n\tn { reg = <0x100000000 0x10>; };\n};\n"
                                                << 2 << "does not fit in a 32-bit cell";
        QTest::newRow("expression overflows 32 bits") << "/ { n { reg = <(0x10000 * 0x10000)>; }; };\n"
                                                      << 1 << "does not fit in a 32-bit cell";
        QTest::newRow("byte overflows 8 bits") << "/ { n { b = /bits/ 8 <256>; }; };\n" << 1 << "8-bit cell";
        QTest::newRow("literal past 64 bits") << "/ { n { b = /bits/ 64 <0x10000000000000000>; }; };\n"
                                              << 1 << "does not fit in 64 bits";
        QTest::newRow("unknown label block") << "/ { };\n\n&flash0 { };\n" << 3 << "unknown label &flash0";
        QTest::newRow("unknown path block") << "/ { };\n&{/soc/flash@0} { };\n" << 2 << "does not exist";
        QTest::newRow("unknown label in a value")
            << "/ {\n\tchosen { zephyr,code-partition = &slot9; };\n};\n"
            << 2 << "unknown label &slot9";
        QTest::newRow("unknown phandle") << "/ { n { p = <&nothing 1>; }; };\n" << 1 << "&nothing";
        QTest::newRow("delete unknown label") << "/ { };\n/delete-node/ &boot_partition;\n"
                                              << 2 << "&boot_partition";
        QTest::newRow("duplicate label") << "/ {\n\ta: one { };\n\ta: two { };\n};\n"
                                         << 3 << "duplicate label 'a'";
        QTest::newRow("division by zero") << "/ { n { v = <(1 / 0)>; }; };\n" << 1 << "division by zero";
        QTest::newRow("missing ';'") << "/ {\n\tn { v = <1> };\n};\n" << 2 << "';' expected";
        QTest::newRow("missing '};'") << "/ { n { } };\n" << 1 << "';' expected";
        QTest::newRow("string never closed") << "/ {\n\tn { s = \"open; };\n};\n" << 2 << "never closed";
        QTest::newRow("bad byte string") << "/ { n { b = [0g]; }; };\n" << 1 << "hex digits";
        QTest::newRow("garbage at top level") << "/ { };\nfoo;\n" << 2 << "top level";
        QTest::newRow("dtc include") << "/include/ \"x.dtsi\"\n" << 1 << "#include";
        QTest::newRow("nodes nested too deep")
            << QString("/ {") + QString("n {").repeated(300) + QString("};").repeated(300) + "};\n"
            << 1 << "nested more than 256 deep";
        QTest::newRow("parentheses nested too deep")
            << QString("/ { n { v = <") + QString("(").repeated(300) + "1" + QString(")").repeated(300) +
                   ">; }; };\n"
            << 1 << "nested";
        QTest::newRow("unary operators nested too deep")
            << QString("/ { n { v = <(") + QString("-").repeated(5000) + "1)>; }; };\n"
            << 1 << "too deep";
    }
    void badInput() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        const auto r = parse(text.toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find(says.toStdString()) != std::string::npos, r.error().message.c_str());
        QCOMPARE(r.error().where.file, std::string("t.dts"));
        QCOMPARE(r.error().where.line, line);
    }
};

QTEST_APPLESS_MAIN(TestDtsParser)
#include "tst_dtsparser.moc"
