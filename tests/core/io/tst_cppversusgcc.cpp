// SPDX-License-Identifier: Apache-2.0
// Flashplan's preprocessor judged by GCC's cpp (test code only: the product never runs cpp):
//  - devicetree text, through the DTS importer's preprocess(), against `cpp -x assembler-with-cpp -P
//    -undef` as Zephyr runs it: hand-made cases, every Zephyr board of the corpus from its raw files
//    (the SoC files the corpus lacks stand in as empty files, for both), and every preprocessed.dts;
//  - wolfBoot target.h headers in Mode::MacrosOnly against `cpp -dM`: hand-made ones, and one written
//    for each wolfBoot .config of the corpus in the shape of wolfBoot's include/target.h.in.
// The text must be the same byte for byte; the macro tables the same names, parameters and tokens.
#include "CorpusSupport.h"
#include "io/TextFile.h"
#include "io/cpp/Expander.h"
#include "io/cpp/Lexer.h"
#include "io/cpp/Preprocessor.h"
#include "io/dts/DtsPreprocessor.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>

using namespace flashplan;

namespace {

const QStringList kDtsArguments{"-x",
                                "assembler-with-cpp",
                                "-nostdinc",
                                "-undef",
                                "-P",
                                "-E",
                                "-D__DTS__",
                                "-DDT_SIZE_K(x)=((x) * 1024)",
                                "-DDT_SIZE_M(x)=(DT_SIZE_K(x) * 1024)"};

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString errors;
};

Run runCpp(const QStringList& arguments) {
    QProcess p;
    p.start(QStandardPaths::findExecutable("cpp"), arguments);
    Run r;
    if (!p.waitForFinished(60000))
        qFatal("cpp did not finish");
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.errors = QString::fromUtf8(p.readAllStandardError());
    return r;
}

bool writeFile(const QString& path, const std::string& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) &&
           f.write(text.data(), static_cast<qint64>(text.size())) == qint64(text.size());
}

/// Where two texts first differ, for a failure message.
QString firstDifference(const std::string& ours, const QByteArray& gcc) {
    const QStringList a = QString::fromStdString(ours).split('\n');
    const QStringList b = QString::fromUtf8(gcc).split('\n');
    for (int i = 0; i < std::max(a.size(), b.size()); ++i) {
        const QString x = i < a.size() ? a[i] : "<end>";
        const QString y = i < b.size() ? b[i] : "<end>";
        if (x != y)
            return QString("output line %1:\n      ours: %2\n       gcc: %3").arg(i + 1).arg(x, y);
    }
    return {};
}

/// `file` through cpp and through dts::preprocess with the same include folders. For each include that
/// no folder holds, an empty file stands in (in `stubs`, the last folder) and both run again. Returns
/// what differs, empty when the outputs are the same byte for byte.
QString compareDevicetree(const QString& file, QStringList dirs, const QString& stubs) {
    dirs << stubs;
    QDir().mkpath(stubs); // cpp drops an -I folder that does not exist
    QStringList arguments = kDtsArguments;
    for (const QString& d : dirs)
        arguments << "-I" << d;
    arguments << file;
    Run gcc;
    for (int round = 0; round < 100; ++round) {
        gcc = runCpp(arguments);
        static const QRegularExpression missing("fatal error: (\\S+): No such file");
        const auto m = missing.match(gcc.errors);
        if (gcc.exitCode == 0 || !m.hasMatch())
            break;
        if (!writeFile(QDir::cleanPath(stubs + "/" + m.captured(1)), ""))
            return "cannot write a stand-in for " + m.captured(1);
    }
    if (gcc.exitCode != 0)
        return "cpp failed: " + gcc.errors;
    ImportOptions options;
    for (const QString& d : dirs)
        options.includeDirs.push_back(d.toStdString());
    auto text = readTextFile(file.toStdString());
    if (!text)
        return QString::fromStdString(text.error().toString());
    auto ours = dts::preprocess(*text, file.toStdString(), options);
    if (!ours)
        return "Flashplan failed: " + QString::fromStdString(ours.error().toString());
    if (ours->text() == gcc.out.toStdString())
        return {};
    return firstDifference(ours->text(), gcc.out);
}

/// A macro table as names -> "params|token token token" (the body's tokens, so that spacing, which
/// `cpp -dM` keeps from the definition, does not matter).
using MacroDump = std::map<std::string, std::string>;

std::string tokensOf(std::string_view body) {
    const auto t = cpp::lexText(body, {});
    if (!t)
        return "<" + t.error().message + ">";
    std::string out;
    for (const cpp::Token& k : *t)
        out += (out.empty() ? "" : " ") + k.text;
    return out;
}

/// `cpp -dM` output, less what cpp defines on its own (`cpp -dM` of an empty file).
MacroDump parseDM(const QByteArray& text) {
    MacroDump out;
    for (const QString& line : QString::fromUtf8(text).split('\n')) {
        if (!line.startsWith("#define "))
            continue;
        const std::string l = line.mid(8).toStdString();
        std::size_t nameEnd = 0;
        while (nameEnd < l.size() && cpp::isIdentifierChar(l[nameEnd]))
            ++nameEnd;
        std::string params;
        std::size_t bodyStart = nameEnd;
        if (nameEnd < l.size() && l[nameEnd] == '(') {
            bodyStart = l.find(')', nameEnd) + 1;
            params = l.substr(nameEnd, bodyStart - nameEnd);
        }
        out[l.substr(0, nameEnd)] = params + "|" + tokensOf(std::string_view(l).substr(bodyStart));
    }
    return out;
}

MacroDump dumpOf(const cpp::MacroTable& table) {
    MacroDump out;
    for (const cpp::Macro* m : table.inOrder()) {
        std::string params;
        if (m->functionLike) {
            params = "(";
            for (std::size_t i = 0; i < m->params.size(); ++i) {
                const bool anonymous =
                    m->variadic && i + 1 == m->params.size() && m->params[i] == "__VA_ARGS__";
                params += (i ? "," : "") + (anonymous ? std::string() : m->params[i]);
            }
            params += m->variadic ? "...)" : ")";
        }
        out[m->name] = params + "|" + tokensOf(m->bodyText());
    }
    return out;
}

QString compareDumps(const MacroDump& ours, const MacroDump& gcc) {
    QStringList diffs;
    for (const auto& [name, def] : gcc) {
        const auto it = ours.find(name);
        if (it == ours.end())
            diffs << QString("%1 missing (gcc: %2)").arg(name.c_str(), def.c_str());
        else if (it->second != def)
            diffs << QString("%1: ours %2, gcc %3").arg(name.c_str(), it->second.c_str(), def.c_str());
    }
    for (const auto& [name, def] : ours)
        if (!gcc.count(name))
            diffs << QString("%1 defined only by us: %2").arg(name.c_str(), def.c_str());
    return diffs.join("\n    ");
}

/// A target.h as wolfBoot's `make config` writes it from include/target.h.in: the values of a .config
/// put in place, the flags that the build passes with -D defined at the top.
std::string targetHeader(const std::map<std::string, std::string>& values,
                         const std::vector<std::string>& flags) {
    const auto v = [&](const std::string& name) {
        const auto it = values.find(name);
        return it == values.end() ? std::string() : it->second;
    };
    std::string h = "/* target.h, in the shape of wolfBoot's target.h.in */\n";
    for (const std::string& f : flags)
        h += "#define " + f + " 1\n";
    h += "#ifndef H_TARGETS_TARGET_\n#define H_TARGETS_TARGET_\n\n"
         "#ifndef WOLFBOOT_NO_PARTITIONS\n#    define WOLFBOOT_FIXED_PARTITIONS\n#endif\n\n"
         "#define WOLFBOOT_SECTOR_SIZE                 " +
         v("WOLFBOOT_SECTOR_SIZE") +
         "\n\n#ifdef WOLFBOOT_FIXED_PARTITIONS\n"
         "#if defined(ARCH_SIM) && !defined(WOLFBOOT_PARTITION_FILENAME)\n"
         "    #include <stdint.h>\n    extern uint8_t *sim_ram_base;\n    #undef  ARCH_FLASH_OFFSET\n"
         "    #define ARCH_FLASH_OFFSET ((size_t)sim_ram_base)\n    #define "
         "WOLFBOOT_PART_USE_ARCH_OFFSET\n#endif\n";
    for (const char* area : {"BOOT", "UPDATE", "SWAP"}) {
        const std::string name = std::string("WOLFBOOT_PARTITION_") + area + "_ADDRESS";
        h += "#if defined(WOLFBOOT_PART_USE_ARCH_OFFSET)\n"
             "    #if !defined(EXT_FLASH) || (defined(EXT_FLASH) && !defined(PART_" +
             std::string(area) + "_EXT))\n        #define " + name + " (ARCH_FLASH_OFFSET + " + v(name) +
             ")\n    #endif\n#endif\n#ifndef " + name + "\n#define " + name + " " + v(name) + "\n#endif\n";
    }
    h += "#ifndef WOLFBOOT_PARTITION_SIZE\n#define WOLFBOOT_PARTITION_SIZE           " +
         v("WOLFBOOT_PARTITION_SIZE") + "\n#endif\n#endif /* WOLFBOOT_FIXED_PARTITIONS */\n\n";
    h += "#if defined(WOLFBOOT_FIXED_PARTITIONS) && \\\n    !defined(WOLFBOOT_PART_USE_ARCH_OFFSET)\n"
         "    #if !defined(PART_BOOT_EXT) && !defined(PART_UPDATE_EXT) && \\\n"
         "        ((WOLFBOOT_PARTITION_UPDATE_ADDRESS + 0) != 0) && \\\n"
         "        ((WOLFBOOT_PARTITION_BOOT_ADDRESS + 0 + WOLFBOOT_PARTITION_SIZE + 0) > \\\n"
         "         (WOLFBOOT_PARTITION_UPDATE_ADDRESS + 0)) && \\\n"
         "        ((WOLFBOOT_PARTITION_BOOT_ADDRESS + 0) < \\\n"
         "         (WOLFBOOT_PARTITION_UPDATE_ADDRESS + 0 + WOLFBOOT_PARTITION_SIZE + 0))\n"
         "        #error \"Boot and update partitions overlap\"\n    #endif\n#endif\n\n"
         "#if !defined(WOLFBOOT_NO_LOAD_ADDRESS)\n/* Load address in RAM for staged OS (update_ram only) */\n"
         "#define WOLFBOOT_LOAD_ADDRESS                 " +
         v("WOLFBOOT_LOAD_ADDRESS") + "\n#endif\n#define WOLFBOOT_LOAD_DTS_ADDRESS             " +
         v("WOLFBOOT_LOAD_DTS_ADDRESS") + "\n\n#endif /* !H_TARGETS_TARGET_ */\n";
    return h;
}

} // namespace

class TestCppVersusGcc : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    MacroDump builtins_; // what cpp -dM defines for an empty file

    /// `text` as a header through `cpp -dM` and through cpp::preprocess in Mode::MacrosOnly.
    QString compareHeader(const std::string& text, const QString& name, cpp::Preprocessed* keep = nullptr) {
        const QString path = tmp_.path() + "/headers/" + name;
        if (!writeFile(path, text))
            return "cannot write " + path;
        // An empty <stdint.h> for cpp (the simulator's branch includes it); Flashplan follows no include.
        const QString system = tmp_.path() + "/headers/system";
        if (!writeFile(system + "/stdint.h", ""))
            return "cannot write " + system;
        const Run gcc = runCpp({"-dM", "-undef", "-nostdinc", "-I", system, path});
        cpp::Options o;
        o.mode = cpp::Mode::MacrosOnly;
        o.include = [](const cpp::IncludeRequest&) -> Result<std::optional<cpp::IncludedFile>> {
            return std::optional<cpp::IncludedFile>();
        };
        auto ours = cpp::preprocess(text, path.toStdString(), o);
        if (!ours)
            return "Flashplan failed: " + QString::fromStdString(ours.error().toString());
        const cpp::Preprocessed& last = *ours;
        if (keep)
            *keep = last;
        const bool gccError = gcc.errors.contains("#error");
        const bool ourError = std::any_of(last.notes.begin(), last.notes.end(),
                                          [](const cpp::Note& n) { return n.message.starts_with("#error"); });
        if (gccError != ourError)
            return QString("#error: cpp %1, Flashplan %2")
                .arg(gccError ? "fired" : "did not")
                .arg(ourError ? "did" : "did not");
        if (gcc.exitCode != 0 && !gccError)
            return "cpp failed: " + gcc.errors;
        MacroDump g = parseDM(gcc.out);
        for (const auto& [n, d] : builtins_)
            if (g.count(n) && g[n] == d)
                g.erase(n);
        return compareDumps(dumpOf(last.macros), g);
    }

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable("cpp").isEmpty())
            QSKIP("cpp is not installed (Debian: cpp)");
        QVERIFY(tmp_.isValid());
        builtins_ = parseDM(runCpp({"-dM", "-undef", "-nostdinc", "/dev/null"}).out);
        QVERIFY(!builtins_.empty());
    }

    void handMadeDevicetree_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("zephyr macros")
            << "/dts-v1/;\n#include <mem.h>\n#define STORAGE_SIZE DT_SIZE_K(32)\n/ {\n"
               "\t#address-cells = <1>;\n\tflash0: flash@8000000 {\n"
               "\t\treg = <0x08000000 DT_SIZE_K(512)>;\n\t\tsize = <DT_SIZE_M(2)>;\n"
               "\t\tstorage: partition@d0000 { reg = <0xd0000 STORAGE_SIZE>; };\n\t};\n};\n";
        QTest::newRow("pinctrl shapes")
            << "#define STM32_PINMUX(port, line, mode) (((((port) - 'A') & 0xF) << 12) | (((line) & 0xF) << "
               "8) | (mode))\n"
               "#define NRF_PSEL(fun, port, pin) ((((((port) * 32) + (pin)) & 0x7F)) | (((fun) & 0xFFFF) << "
               "16))\n"
               "#define DT_FREQ_M(x) ((x) * 1000 * 1000)\n"
               "&pinctrl {\n\tusart1_tx: usart1_tx_pa9 {\n\t\tpinmux = <STM32_PINMUX('A', 9, 7)>;\n\t};\n"
               "\tuart0_default: uart0_default {\n\t\tpsels = <NRF_PSEL(0, 0, 6)>, <NRF_PSEL(1,0,8)>;\n\t};\n"
               "\tclock-frequency = <DT_FREQ_M(64)>;\n};\n";
        QTest::newRow("stringizing and pasting") << "#define STR(x) #x\n#define XSTR(x) STR(x)\n#define "
                                                    "CAT(a, b) a##b\n#define LBL(n) slot##n##_partition\n"
                                                    "#define V 1.2\n"
                                                    "/ {\n\tmodel = STR(Acme  board \"v2\");\n\tversion = "
                                                    "XSTR(V);\n\tCAT(slot, 0)_partition: a {};\n"
                                                    "\tLBL(1): b {};\n\tlabel = STR('x' \\n);\n};\n";
        QTest::newRow("variadic")
            << "#define LIST(...) <__VA_ARGS__>\n#define P(f, ...) f(__VA_ARGS__)\n"
               "#define G(fmt, ...) fmt , ## __VA_ARGS__\n#define N(args...) <args>\n"
               "a = LIST(1, 2, 3);\nb = LIST();\nc = P(LIST, 4, 5);\nd = <G(1)>, <G(1, 2)>;\n"
               "e = N(6 7);\n";
        // C11 6.10.3.5, EXAMPLE 3: rescanning, blocked recursion and the spacing around expansions.
        QTest::newRow("C11 example 3")
            << "#define x 3\n#define f(a) f(x * (a))\n#undef x\n#define x 2\n#define g f\n#define z z[0]\n"
               "#define h g(~\n#define m(a) a(w)\n#define w 0,1\n#define t(a) a\n#define p() int\n#define "
               "q(x) x\n"
               "#define r(x,y) x ## y\n#define str(x) # x\n"
               "f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);\ng(x+(3,4)-w) | h 5) & m\n(f)^m(m);\n"
               "p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };\n"
               "char c[2][6] = { str(hello), str() };\n";
        // C11 6.10.3.5, EXAMPLE 4: # and ## together.
        QTest::newRow("C11 example 4")
            << "#define str(s) # s\n#define xstr(s) str(s)\n"
               "#define debug(s, t) printf(\"x\" # s \"= %d, x\" # t \"= %s\", \\\n x ## s, x ## t)\n"
               "#define INCFILE(n) vers ## n\n#define glue(a, b) a ## b\n#define xglue(a, b) glue(a, b)\n"
               "#define HIGHLOW \"hello\"\n#define LOW LOW \", world\"\n"
               "debug(1, 2);\nfputs(str(strncmp(\"abc\\0d\", \"abc\", '\\4') // this goes away\n"
               "  == 0) str(: @\\n), s);\nxstr(INCFILE(2).h)\nglue(HIGH, LOW);\nxglue(HIGH, LOW)\n";
        QTest::newRow("conditionals")
            << "#define REV 3\n#if REV >= 3 && defined(REV)\nrev3;\n#elif REV == 2\nrev2;\n"
               "#else\nold;\n#endif\n#if -1 < 0u\nsigned;\n#else\nunsigned;\n#endif\n"
               "#ifndef NOPE\n#if (1 ? -1 : 0u) > 0 && 0x7fffffffffffffff + 0 > 0\nwide;\n"
               "#endif\n#endif\n#if (2 || 1 / 0) && !(0 && 1 % 0)\nlazy;\n#endif\n";
        QTest::newRow("calls across lines") << "#define PAIR(a, b) <a b>\n#define F(x) x\n#define E\n"
                                               "reg = PAIR(0x0,\n\t0x1000);\nw = <F(1)F(2)>;\nz = <E 1 E>;\n"
                                               "q = F\n(3);\nr = F\n;\n#define H() h\nH\n#if 1\n()\n#endif\n";
        QTest::newRow("devicetree text")
            << "/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n"
               "\tn@0 { compatible = \"a,b\"; v = /bits/ 8 <0x1e 'a' '\\n'>; it's; };\n"
               "\t/delete-property/ x;\n};\n/omit-if-no-ref/ &n;\n";
        QTest::newRow("includes")
            << "#include \"sub/part.dtsi\"\n#include <dt-bindings/gpio/gpio.h>\n"
               "#define HDR <dt-bindings/gpio/gpio.h>\n#include HDR\nflags = <GPIO_ACTIVE_LOW>;\n";
    }
    void handMadeDevicetree() {
        QFETCH(QString, text);
        const QString dir = tmp_.path() + "/dts/" + QTest::currentDataTag();
        QVERIFY(writeFile(dir + "/board/board.dts", text.toStdString()));
        QVERIFY(writeFile(dir + "/board/sub/part.dtsi", "#pragma once\npart { p = <1>; };\n"));
        QVERIFY(writeFile(dir + "/include/dt-bindings/gpio/gpio.h",
                          "#ifndef GPIO_H\n#define GPIO_H\n#define GPIO_ACTIVE_LOW (1 << 0)\n#endif\n"));
        const QString diff = compareDevicetree(dir + "/board/board.dts", {dir + "/include"}, dir + "/stubs");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    /// Every Zephyr board of the corpus from its raw files, with the corpus's include roots.
    void zephyrBoardsPreprocessAsCpp() {
        FLASHPLAN_REQUIRE_CORPUS();
        int same = 0;
        QStringList failures;
        for (const corpus::Entry& e : corpus::entries("zephyr")) {
            const QString base = QFileInfo(e.input).absolutePath() + "/original";
            const QString raw = corpus::visibleDir() + "/" + e.raw.value("raw_path").toString();
            const QString arch = corpus::readJson(e.truth).value("arch").toString();
            QStringList dirs;
            for (const QString& root : {QFileInfo(raw).absolutePath(), base})
                for (const QString& sub :
                     QStringList{"include", "include/zephyr", "dts/common", "dts/" + arch, "dts"})
                    dirs << root + "/" + sub;
            const QString stubs = tmp_.path() + "/stubs/" + QFileInfo(raw).baseName() + "/a/b";
            const QString diff = compareDevicetree(raw, dirs, stubs);
            if (diff.isEmpty())
                ++same;
            else
                failures << raw + ": " + diff;
        }
        qInfo("zephyr raw boards: %d the same as cpp, %lld differ", same,
              static_cast<long long>(failures.size()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
        QCOMPARE(same, 100);
    }

    /// Every preprocessed.dts (cpp's own output: no directive left, text kept as it is).
    void preprocessedFilesPassThroughAsCpp() {
        FLASHPLAN_REQUIRE_CORPUS();
        int same = 0;
        QStringList failures;
        for (const QString source : {"zephyr", "zephyr-overlay"})
            for (const corpus::Entry& e : corpus::entries(source)) {
                if (!QFile::exists(e.input))
                    continue; // an index entry whose input is not on disk (see tst_corpus_zephyr)
                const QString diff = compareDevicetree(e.input, {}, tmp_.path() + "/stubs/none");
                if (diff.isEmpty())
                    ++same;
                else
                    failures << e.input + ": " + diff;
            }
        qInfo("preprocessed.dts: %d the same as cpp, %lld differ", same,
              static_cast<long long>(failures.size()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
        QCOMPARE(same, 108);
    }

    void handMadeTargetHeaders_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("stm32 internal")
            << QString::fromStdString(targetHeader({{"WOLFBOOT_SECTOR_SIZE", "0x20000"},
                                                    {"WOLFBOOT_PARTITION_SIZE", "0x20000"},
                                                    {"WOLFBOOT_PARTITION_BOOT_ADDRESS", "0x08020000"},
                                                    {"WOLFBOOT_PARTITION_UPDATE_ADDRESS", "0x08040000"},
                                                    {"WOLFBOOT_PARTITION_SWAP_ADDRESS", "0x08060000"},
                                                    {"WOLFBOOT_LOAD_ADDRESS", "0x200000"}},
                                                   {}));
        QTest::newRow("external update")
            << QString::fromStdString(targetHeader({{"WOLFBOOT_SECTOR_SIZE", "0x1000"},
                                                    {"WOLFBOOT_PARTITION_SIZE", "0x40000"},
                                                    {"WOLFBOOT_PARTITION_BOOT_ADDRESS", "0x10000"},
                                                    {"WOLFBOOT_PARTITION_UPDATE_ADDRESS", "0x0"},
                                                    {"WOLFBOOT_PARTITION_SWAP_ADDRESS", "0x80000"}},
                                                   {"EXT_FLASH", "PART_UPDATE_EXT", "PART_SWAP_EXT"}));
        QTest::newRow("overlap fires #error")
            << QString::fromStdString(targetHeader({{"WOLFBOOT_SECTOR_SIZE", "0x1000"},
                                                    {"WOLFBOOT_PARTITION_SIZE", "0x40000"},
                                                    {"WOLFBOOT_PARTITION_BOOT_ADDRESS", "0x10000"},
                                                    {"WOLFBOOT_PARTITION_UPDATE_ADDRESS", "0x20000"},
                                                    {"WOLFBOOT_PARTITION_SWAP_ADDRESS", "0x80000"}},
                                                   {}));
        QTest::newRow("simulator") << QString::fromStdString(
            targetHeader({{"WOLFBOOT_SECTOR_SIZE", "0x1000"},
                          {"WOLFBOOT_PARTITION_SIZE", "0x40000"},
                          {"WOLFBOOT_PARTITION_BOOT_ADDRESS", "0x80000"},
                          {"WOLFBOOT_PARTITION_UPDATE_ADDRESS", "0x100000"},
                          {"WOLFBOOT_PARTITION_SWAP_ADDRESS", "0x180000"}},
                         {"ARCH_SIM"}));
        QTest::newRow("older spelling and expressions")
            << "/* target.h of an MCUboot-era wolfBoot port */\n#ifndef TARGET_H\n#define TARGET_H\n"
               "#define FLASH_BASE 0x08000000UL\n#define KB(x) ((x) * 1024u)\n"
               "#define FLASH_AREA_IMAGE_0_OFFSET (FLASH_BASE + KB(128))\n"
               "#define FLASH_AREA_IMAGE_0_SIZE \\\n        KB(256)\n"
               "#define FLASH_AREA_IMAGE_1_OFFSET (FLASH_AREA_IMAGE_0_OFFSET + FLASH_AREA_IMAGE_0_SIZE)\n"
               "#define FLASH_AREA_IMAGE_1_SIZE FLASH_AREA_IMAGE_0_SIZE\n"
               "#define FLASH_AREA_IMAGE_SCRATCH_OFFSET ((uint32_t)(FLASH_AREA_IMAGE_1_OFFSET + KB(256)))\n"
               "#define FLASH_AREA_IMAGE_SCRATCH_SIZE (1 << 17)\n"
               "#define STR(x) # x\n#define CAT(a,b) a ## b\n#define LOG(fmt, ...) printf(fmt, ## "
               "__VA_ARGS__)\n"
               "#define W(args...) f(args)\n#if (FLASH_AREA_IMAGE_0_SIZE % 0x20000) != 0\n#error \"not "
               "aligned\"\n#endif\n"
               "#if -1 < 0u\n#define PROMOTION_BROKEN 1\n#endif\n#undef STR\n#define EMPTY\n"
               "#define LOAD /* comment */ 0x1000 // trailing\n#endif\n";
    }
    void handMadeTargetHeaders() {
        QFETCH(QString, text);
        const QString diff = compareHeader(text.toStdString(), QString(QTest::currentDataTag()) + ".h");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    /// A target.h for every wolfBoot .config of the corpus: the same macros as cpp -dM, and the values of
    /// the layout macros those of the truth.
    void corpusTargetHeaders() {
        FLASHPLAN_REQUIRE_CORPUS();
        int same = 0;
        int values = 0;
        QStringList failures;
        for (const corpus::Entry& e : corpus::entries("wolfboot")) {
            const QJsonObject truth = corpus::readJson(e.truth);
            std::map<std::string, std::string> layout;
            const QJsonObject l = truth.value("layout").toObject();
            for (auto it = l.begin(); it != l.end(); ++it)
                layout[it.key().toStdString()] =
                    it.value().toObject().value("value").toString().toStdString();
            std::vector<std::string> flags;
            const QJsonObject f = truth.value("flags").toObject();
            for (const char* name : {"EXT_FLASH", "PART_BOOT_EXT", "PART_UPDATE_EXT", "PART_SWAP_EXT"})
                if (f.value(name).toString() == "1")
                    flags.push_back(name);
            const std::string header = targetHeader(layout, flags);
            cpp::Preprocessed ours;
            const QString diff = compareHeader(header, QFileInfo(e.input).fileName() + ".h", &ours);
            if (!diff.isEmpty()) {
                failures << e.input + ":\n    " + diff;
                continue;
            }
            ++same;
            for (auto it = l.begin(); it != l.end(); ++it) {
                const QJsonObject v = it.value().toObject();
                if (!ours.macros.defined(it.key().toStdString()))
                    continue; // a layout value target.h does not hold (WOLFBOOT_ORIGIN...)
                const auto got = cpp::macroValue(ours.macros, it.key().toStdString());
                if (!got || *got != static_cast<std::uint64_t>(v.value("int").toDouble()))
                    failures << QString("%1: %2 is %3, the truth says %4")
                                    .arg(e.input, it.key(),
                                         got ? QString::number(*got, 16)
                                             : QString::fromStdString(got.error().toString()),
                                         v.value("hex").toString());
                else
                    ++values;
            }
        }
        qInfo("wolfboot target.h: %d of %lld the same as cpp -dM, %d values as the truth", same,
              static_cast<long long>(corpus::entries("wolfboot").size()), values);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
    }
};

QTEST_APPLESS_MAIN(TestCppVersusGcc)
#include "tst_cppversusgcc.moc"
