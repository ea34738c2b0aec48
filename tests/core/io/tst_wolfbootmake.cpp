// SPDX-License-Identifier: Apache-2.0
// wolfboot::MakeVariables: a .config evaluated as GNU make with an empty environment.
#include "io/wolfboot/MakeVariables.h"

#include <QtTest>

using namespace flashplan;
using namespace flashplan::wolfboot;

namespace {
std::string valueOf(const MakeVariables& v, std::string_view name) {
    const MakeVariable* var = v.find(name);
    return var ? var->value : "<undefined>";
}
} // namespace

class TestWolfBootMake : public QObject {
    Q_OBJECT

private slots:
    void firstConditionalAssignmentWins() {
        const auto v = MakeVariables::evaluate("TARGET?=stm32f4\nTARGET?=stm32h7\n", "a.config");
        QVERIFY(v.ok());
        QCOMPARE(valueOf(*v, "TARGET"), std::string("stm32f4"));
        QCOMPARE(v->find("TARGET")->line, 1);
        QCOMPARE(v->assignments().size(), std::size_t(2)); // both kept, in order
    }

    void plainAssignmentAlwaysAssigns() {
        const auto v = MakeVariables::evaluate("A?=1\nA=2\nA?=3\nB=x\nB:=y\n", "a.config");
        QCOMPARE(valueOf(*v, "A"), std::string("2"));
        QCOMPARE(v->find("A")->line, 2);
        QCOMPARE(valueOf(*v, "B"), std::string("y"));
    }

    void appendAddsABlankUnlessEmpty() {
        const auto v = MakeVariables::evaluate("C+=-DA\nC+=-DB=1\nD=\nD+=x\n", "a.config");
        QCOMPARE(valueOf(*v, "C"), std::string("-DA -DB=1"));
        QCOMPARE(valueOf(*v, "D"), std::string("x"));
    }

    void recursiveValuesStayUnexpandedAndSimpleOnesExpand() {
        const auto v =
            MakeVariables::evaluate("ROOT=/src\nP?=$(ROOT)/lib\nQ:=$(ROOT)/lib ${ROOT} $$HOME $(shell pwd)\n"
                                    "R:=$(NOPE)x\nQ+=$(ROOT)\n",
                                    "a.config");
        QCOMPARE(valueOf(*v, "P"), std::string("$(ROOT)/lib"));
        QCOMPARE(valueOf(*v, "Q"), std::string("/src/lib /src $HOME $(shell pwd) /src"));
        QCOMPARE(valueOf(*v, "R"), std::string("x")); // empty environment: undefined is empty
        QVERIFY(v->find("Q")->simple);
    }

    void commentsBlanksAndOddNames() {
        const auto v = MakeVariables::evaluate("# comment\n\n   \n64BIT=1\nX ?= 0x10   # trailing\n"
                                               "Y=a\\#b\nZ=one \\\n    two\r\nW::=w\n",
                                               "a.config");
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().toString().c_str());
        QCOMPARE(valueOf(*v, "64BIT"), std::string("1"));
        QCOMPARE(valueOf(*v, "X"), std::string("0x10"));
        QCOMPARE(valueOf(*v, "Y"), std::string("a#b"));
        QCOMPARE(valueOf(*v, "Z"), std::string("one two"));
        QCOMPARE(v->find("Z")->line, 7);
        QCOMPARE(valueOf(*v, "W"), std::string("w"));
        QCOMPARE(v->variables().front().name, std::string("64BIT"));
    }

    void notAnAssignmentIsAnErrorWithTheLine() {
        const auto v = MakeVariables::evaluate("A=1\nifeq ($(A),1)\n", "x.config");
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code, Errc::Parse);
        QCOMPARE(v.error().where.file, std::string("x.config"));
        QCOMPARE(v.error().where.line, 2);
        QVERIFY(v.error().message.find("not an assignment") != std::string::npos);
    }

    void rulesAndTargetVariablesAreErrors() {
        QCOMPARE(MakeVariables::evaluate("all: x=1\n", "x").error().where.line, 1);
        QCOMPARE(MakeVariables::evaluate("export A=1\n", "x").error().code, Errc::Parse);
        QCOMPARE(MakeVariables::evaluate("=1\n", "x").error().code, Errc::Parse);
    }

    void computedNamesAndShellAssignmentsAreErrors() {
        const auto computed = MakeVariables::evaluate("$(X)=1\n", "x");
        QCOMPARE(computed.error().code, Errc::Parse);
        const auto shell = MakeVariables::evaluate("A != date\n", "x");
        QCOMPARE(shell.error().field, std::string("A"));
        QVERIFY(shell.error().message.find("!=") != std::string::npos);
    }

    void selfReferenceInASimpleAssignmentIsAnError() {
        const auto v = MakeVariables::evaluate("A=$(B)\nB=$(A)\nC:=$(A)\n", "x");
        QVERIFY(!v.ok());
        QCOMPARE(v.error().where.line, 3);
    }
};

QTEST_APPLESS_MAIN(TestWolfBootMake)
#include "tst_wolfbootmake.moc"
