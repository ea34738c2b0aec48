// SPDX-License-Identifier: Apache-2.0
// The pure half of the OpenOCD backend: Tcl quoting of paths and labels, the TCL-RPC wrapper and its
// answers, OpenOCD's argument list for each kind of probe, and the flash commands.
#include "backends/openocd/OpenOcdCommand.h"
#include "backends/openocd/TclText.h"

#include <QTest>

using namespace flashplan;
using namespace flashplan::programmer::openocd;

namespace {
std::string word(std::string_view text) {
    auto w = tclWord(text);
    return w ? *w : "<error: " + w.error().message + ">";
}

ProgrammerHints hints(std::string interface, std::string target) {
    ProgrammerHints h;
    h.openocdInterface = std::move(interface);
    h.openocdTarget = std::move(target);
    return h;
}

std::vector<std::string> args(const OpenOcdSettings& s, const ProgrammerHints& h,
                              std::uint16_t port = 50000) {
    auto a = openOcdArguments(s, h, port);
    if (!a)
        return {"<error: " + a.error().message + ">"};
    return *a;
}

/// The -c commands that follow the four fixed server settings.
std::vector<std::string> configPart(const std::vector<std::string>& a) {
    std::vector<std::string> out;
    for (std::size_t i = 8; i < a.size(); ++i)
        out.push_back(a[i]);
    return out;
}
} // namespace

class TestOpenOcdCommand : public QObject {
    Q_OBJECT

private slots:
    void plainTextIsOnlyQuoted() {
        QCOMPARE(word("interface/stlink.cfg"), std::string("\"interface/stlink.cfg\""));
        QCOMPARE(word(""), std::string("\"\""));
        QCOMPARE(word("a b"), std::string("\"a b\""));
        QCOMPARE(word("semi;colon #hash"), std::string("\"semi;colon #hash\""));
        QCOMPARE(word("caf\xc3\xa9"), std::string("\"caf\xc3\xa9\"")); // UTF-8 passes as it is
    }

    void everyCharacterTclGivesMeaningIsEscaped_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("\"a\\\\b\"");
        QTest::newRow("double quote") << QByteArray("a\"b") << QByteArray("\"a\\\"b\"");
        QTest::newRow("dollar") << QByteArray("$HOME") << QByteArray("\"\\$HOME\"");
        QTest::newRow("brackets") << QByteArray("[exit 1]") << QByteArray("\"\\[exit 1\\]\"");
        QTest::newRow("open brace") << QByteArray("a{b") << QByteArray("\"a\\{b\"");
        QTest::newRow("close brace") << QByteArray("a}b") << QByteArray("\"a\\}b\"");
        QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("\"a\\nb\"");
        QTest::newRow("tab") << QByteArray("a\tb") << QByteArray("\"a\\tb\"");
        QTest::newRow("carriage return") << QByteArray("a\rb") << QByteArray("\"a\\rb\"");
        QTest::newRow("rpc terminator") << QByteArray("a\x1a"
                                                      "b")
                                        << QByteArray("\"a\\032b\"");
        QTest::newRow("control") << QByteArray("\x01"
                                               "7")
                                 << QByteArray("\"\\0017\"");
        QTest::newRow("delete") << QByteArray("\x7f") << QByteArray("\"\\177\"");
        QTest::newRow("backslash before quote") << QByteArray("\\\"") << QByteArray("\"\\\\\\\"\"");
        QTest::newRow("all of them")
            << QByteArray("/tmp/it\x27s a {weird} [name] \"q\" $x;\\.cfg")
            << QByteArray("\"/tmp/it\x27s a \\{weird\\} \\[name\\] \\\"q\\\" \\$x;\\\\.cfg\"");
    }
    void everyCharacterTclGivesMeaningIsEscaped() {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, quoted);
        QCOMPARE(QByteArray::fromStdString(word(text.toStdString())), quoted);
    }

    void aNulByteIsRefused() {
        const auto w = tclWord(std::string_view("a\0b", 3));
        QVERIFY(!w);
        QCOMPARE(w.error().code, Errc::InvalidArgument);
    }

    void theRpcScriptNeverCarriesTheTerminatorAndStaysBalanced() {
        const std::string s = rpcScript("flash write_bank 0 " + word("/tmp/a\x1a}{[b].bin") + " 0x0");
        QVERIFY(s.find('\x1a') == std::string::npos);
        QVERIFY(s.find('\x1f') == std::string::npos);
        // Unescaped braces balance (Tcl counts braces that no backslash escapes).
        int depth = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\') {
                ++i;
                continue;
            }
            depth += s[i] == '{' ? 1 : s[i] == '}' ? -1 : 0;
            QVERIFY(depth >= 0);
        }
        QCOMPARE(depth, 0);
        QVERIFY(s.find("capture") != std::string::npos && s.find("catch") != std::string::npos);
    }

    void rpcAnswersAreParsed() {
        auto ok = parseRpcReply("0\x1fwrote 16 bytes\n\x1f");
        QVERIFY(ok);
        QVERIFY(ok->ok());
        QCOMPARE(ok->result, std::string("wrote 16 bytes"));
        QCOMPARE(ok->log, std::string());

        auto failed = parseRpcReply("-4\x1f"
                                    "diff 0 address 0x08020000. Was 0xcf instead of 0xff\n\x1f"
                                    "checksum mismatch - attempting binary compare\n");
        QVERIFY(failed);
        QCOMPARE(failed->code, -4);
        QVERIFY(!failed->ok());
        QCOMPARE(failed->log, std::string("checksum mismatch - attempting binary compare"));
        QCOMPARE(failed->text(), std::string("checksum mismatch - attempting binary compare\n"
                                             "diff 0 address 0x08020000. Was 0xcf instead of 0xff"));

        QCOMPARE(parseRpcReply("shutdown command invoked").error().code, Errc::Parse);
        QCOMPARE(parseRpcReply("x\x1f\x1f").error().code, Errc::Parse);
    }

    void serversAreDisabledButAPrivateTclPort() {
        const auto a = args({}, hints("interface/stlink.cfg", "target/stm32f4x.cfg"), 41234);
        const std::vector<std::string> head(a.begin(), a.begin() + 8);
        QCOMPARE(head, (std::vector<std::string>{"-c", "bindto 127.0.0.1", "-c", "gdb_port disabled", "-c",
                                                 "telnet_port disabled", "-c", "tcl_port 41234"}));
        QCOMPARE(a.back(), std::string("noinit"));
    }

    void eachProbeGetsItsSwdTransport_data() {
        QTest::addColumn<QString>("interface");
        QTest::addColumn<QString>("transport");
        QTest::newRow("ST-Link") << "interface/stlink.cfg"
                                 << "hla_swd";
        QTest::newRow("ST-Link v2 (old name)") << "interface/stlink-v2.cfg"
                                               << "hla_swd";
        QTest::newRow("ST-Link DAP") << "interface/stlink-dap.cfg"
                                     << "dapdirect_swd";
        QTest::newRow("CMSIS-DAP") << "interface/cmsis-dap.cfg"
                                   << "swd";
        QTest::newRow("J-Link") << "interface/jlink.cfg"
                                << "swd";
        QTest::newRow("J-Link, full path") << "/usr/share/openocd/scripts/interface/jlink.cfg"
                                           << "swd";
        QTest::newRow("FTDI (JTAG)") << "interface/ftdi/esp32_devkitj_v1.cfg"
                                     << "";
        QTest::newRow("not a stock name") << "my-interface/jlink.cfg"
                                          << "";
    }
    void eachProbeGetsItsSwdTransport() {
        QFETCH(QString, interface);
        QFETCH(QString, transport);
        const std::string i = interface.toStdString();
        const auto a = configPart(args({}, hints(i, "target/stm32f4x.cfg")));
        std::vector<std::string> expected{"-c", "script " + word(i)};
        if (!transport.isEmpty())
            expected.insert(expected.end(), {"-c", "transport select " + transport.toStdString()});
        expected.insert(expected.end(), {"-c", "script \"target/stm32f4x.cfg\"", "-c", "noinit"});
        QCOMPARE(a, expected);
    }

    void theUsersConfigsWinOverTheBoardsHints() {
        OpenOcdSettings s;
        s.targetConfig = "/home/me/my target.cfg";
        QCOMPARE(
            configPart(args(s, hints("interface/jlink.cfg", "target/nrf52.cfg"))),
            (std::vector<std::string>{"-c", "script \"interface/jlink.cfg\"", "-c", "transport select swd",
                                      "-c", "script \"/home/me/my target.cfg\"", "-c", "noinit"}));
        s.interfaceConfig = "interface/cmsis-dap.cfg";
        QCOMPARE(configPart(args(s, hints("interface/jlink.cfg", "target/nrf52.cfg")))[1],
                 std::string("script \"interface/cmsis-dap.cfg\""));
        // One config of the user's replaces both, with no transport of ours.
        s.config = "/work/board {rev B}.cfg";
        QCOMPARE(configPart(args(s, hints("interface/jlink.cfg", "target/nrf52.cfg"))),
                 (std::vector<std::string>{"-c", "script \"/work/board \\{rev B\\}.cfg\"", "-c", "noinit"}));
    }

    // The board's hints (or the user) name the probe by serial and the transport: both between the
    // interface and the target config, the user's over the hints'; a transport OpenOCD does not know is
    // refused before anything starts.
    void theProbesSerialAndTransportComeFromHintsOrTheUser() {
        ProgrammerHints h = hints("interface/cmsis-dap.cfg", "target/stm32f4x.cfg");
        h.probeSerial = "E6614103 \"B\"";
        h.openocdTransport = "jtag";
        QCOMPARE(
            configPart(args({}, h)),
            (std::vector<std::string>{"-c", "script \"interface/cmsis-dap.cfg\"", "-c",
                                      "adapter serial \"E6614103 \\\"B\\\"\"", "-c", "transport select jtag",
                                      "-c", "script \"target/stm32f4x.cfg\"", "-c", "noinit"}));
        OpenOcdSettings s;
        s.serial = "FPSWD-A";
        s.transport = "swd";
        QCOMPARE(configPart(args(s, h)),
                 (std::vector<std::string>{"-c", "script \"interface/cmsis-dap.cfg\"", "-c",
                                           "adapter serial \"FPSWD-A\"", "-c", "transport select swd", "-c",
                                           "script \"target/stm32f4x.cfg\"", "-c", "noinit"}));
        // With a session config, only what the user gives follows it.
        s.config = "board.cfg";
        QCOMPARE(configPart(args(s, h)),
                 (std::vector<std::string>{"-c", "script \"board.cfg\"", "-c", "adapter serial \"FPSWD-A\"",
                                           "-c", "transport select swd", "-c", "noinit"}));
        s = {};
        s.transport = "usb";
        const auto bad = openOcdArguments(s, h, 50000);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, Errc::InvalidArgument);
        QVERIFY2(bad.error().message.find("transport \"usb\": not one of OpenOCD's") != std::string::npos,
                 bad.error().message.c_str());
    }

    void aHostilePathStaysOneQuotedArgument() {
        OpenOcdSettings s;
        s.interfaceConfig = "/tmp/a b/\"x\" [exit] {y} $z\\.cfg";
        s.targetConfig = "target/stm32f4x.cfg";
        const auto a = args(s, {});
        QCOMPARE(a[8], std::string("-c"));
        QCOMPARE(a[9], std::string("script \"/tmp/a b/\\\"x\\\" \\[exit\\] \\{y\\} \\$z\\\\.cfg\""));
        QCOMPARE(a.size(), std::size_t(14));
    }

    void withoutConfigsNothingStarts() {
        const auto none = openOcdArguments({}, {}, 50000);
        QVERIFY(!none);
        QCOMPARE(none.error().code, Errc::InvalidArgument);
        QVERIFY(none.error().message.find("an interface and a target config") != std::string::npos);
        const auto noTarget = openOcdArguments({}, hints("interface/stlink.cfg", ""), 50000);
        QVERIFY(!noTarget);
        QVERIFY(noTarget.error().message.find("a target config") != std::string::npos);
        OpenOcdSettings s;
        s.config = std::string("bad\0.cfg", 8);
        QCOMPARE(openOcdArguments(s, {}, 50000).error().code, Errc::InvalidArgument);
    }

    void flashCommandsQuotePathsAndReadRawBinaries() {
        QCOMPARE(flashInfo(1), std::string("flash info 1 sectors"));
        QCOMPARE(flashEraseSectors(0, 5, 7), std::string("flash erase_sector 0 5 7"));
        QCOMPARE(*flashWriteBank(0, "/t/a b.bin", 0x20000),
                 std::string("flash write_bank 0 \"/t/a b.bin\" 0x20000"));
        QCOMPARE(*flashReadBank(0, "/t/$r.bin", 0x4000, 0xc000),
                 std::string("flash read_bank 0 \"/t/\\$r.bin\" 0x4000 0xc000"));
        QCOMPARE(*verifyImage("/t/[v].bin", 0x08004000),
                 std::string("verify_image \"/t/\\[v\\].bin\" 0x8004000 bin"));
        QCOMPARE(*verifyImageChecksum("/t/v.bin", 0x08000000),
                 std::string("verify_image_checksum \"/t/v.bin\" 0x8000000 bin"));
        QVERIFY(!flashWriteBank(0, std::string_view("a\0b", 3), 0));
    }
};

QTEST_GUILESS_MAIN(TestOpenOcdCommand)
#include "tst_openocd_command.moc"
