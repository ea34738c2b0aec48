// SPDX-License-Identifier: Apache-2.0
// OpenOCD's own words (as Debian's 0.12 prints them) turned into errors a user can act on.
#include "backends/openocd/OpenOcdErrors.h"

#include <QTest>

using namespace flashplan;
using namespace flashplan::programmer::openocd;

Q_DECLARE_METATYPE(flashplan::Errc)

class TestOpenOcdErrors : public QObject {
    Q_OBJECT

private slots:
    void recognised_data() {
        QTest::addColumn<QString>("output");
        QTest::addColumn<Errc>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("port taken")
            << "Info : only one transport option; autoselect 'jtag'\n"
               "Error: couldn't bind tcl to socket on port 47113: Address already in use\n"
            << Errc::Io << "port 47113 on 127.0.0.1 is taken";
        QTest::newRow("config missing")
            << "embedded:startup.tcl:28: Error: Can't find /nonexistent/x.cfg\nin procedure 'script' \n"
               "at file \"embedded:startup.tcl\", line 28\n"
            << Errc::NotFound << "cannot find the config file /nonexistent/x.cfg";
        QTest::newRow("config broken")
            << "bad.cfg:1: Error: invalid command name \"foo\"\nin procedure 'script' \n"
            << Errc::Parse
            << "error in the OpenOCD config file bad.cfg at line 1: invalid command "
               "name \"foo\"";
        QTest::newRow("ST-Link missing") << "Info : clock speed 2000 kHz\nError: open failed\n"
                                         << Errc::NoDevice << "no debug probe found";
        QTest::newRow("J-Link missing") << "Error: No J-Link device found\n"
                                        << Errc::NoDevice << "no debug probe found";
        QTest::newRow("CMSIS-DAP missing") << "Error: unable to find a matching CMSIS-DAP device\n"
                                           << Errc::NoDevice << "no debug probe found";
        QTest::newRow("probe unplugged")
            << "Error: error reading data: No such device (it may have been disconnected)\n"
               "Error: CMSIS-DAP command CMD_CONNECT failed.\nError: Error connecting DP: cannot read IDR\n"
            << Errc::NoDevice << "the debug probe was disconnected during the session";
        QTest::newRow("nothing listening")
            << "Info : Connecting to 127.0.0.1:40111\nError: Error on socket 'Failed to connect': Connection "
               "refused\n"
            << Errc::NoDevice << "nothing answers at the debug adapter's network address";
        QTest::newRow("dead target (JTAG)") << "Error: JTAG scan chain interrogation failed: all ones\n"
                                               "Error: Check JTAG interface, timings, target power, etc.\n"
                                               "Error: Invalid ACK (7) in DAP response\n"
                                            << Errc::Io << "the target does not respond";
        QTest::newRow("dead target (ST-Link)")
            << "Error: init mode failed (unable to connect to the target)\n"
            << Errc::Io << "the target does not respond";
        QTest::newRow("not examined") << "Target not examined yet\n"
                                      << Errc::Io << "the target does not respond";
        QTest::newRow("protected") << "stm32x device protected\n" << Errc::Io << "write-protected";
        QTest::newRow("write protected") << "Error: flash memory write protected\n"
                                         << Errc::Io << "write-protected";
        QTest::newRow("verify diff") << "checksum mismatch - attempting binary compare\n"
                                        "diff 0 address 0x08020000. Was 0xcf instead of 0xff\n"
                                        "diff 1 address 0x08020001. Was 0x52 instead of 0xff\n"
                                     << Errc::Io
                                     << "verify failed at 0x08020000: the flash holds 0xcf, the image 0xff";
        QTest::newRow("checksum only") << "Error: checksum mismatch\n" << Errc::Io << "verify failed";
        QTest::newRow("file") << "Error: couldn't open /tmp/x.bin\n"
                              << Errc::Io << "cannot open the file /tmp/x.bin";
        QTest::newRow("command line") << "Unexpected command line argument: tcl_port\n"
                                      << Errc::InvalidArgument << "did not understand its command line";
    }
    void recognised() {
        QFETCH(QString, output);
        QFETCH(Errc, code);
        QFETCH(QString, says);
        const auto e = recogniseOpenOcdError(output.toStdString());
        QVERIFY(e);
        QCOMPARE(e->code, code);
        QVERIFY2(e->message.find(says.toStdString()) != std::string::npos, e->message.c_str());
        // OpenOCD's own line follows, without its level.
        QVERIFY2(e->message.find("(OpenOCD: ") != std::string::npos, e->message.c_str());
        QVERIFY2(e->message.find("(OpenOCD: Error: ") == std::string::npos, e->message.c_str());
    }

    void aConfigErrorNamesTheFileAndLine() {
        auto missing = recogniseOpenOcdError("embedded:startup.tcl:28: Error: Can't find my board.cfg\n");
        QVERIFY(missing);
        QCOMPARE(missing->where.file, std::string("my board.cfg"));
        QCOMPARE(missing->where.line, 0);
        auto broken = recogniseOpenOcdError("/home/me/cfg/board.cfg:12: Error: wrong # args\n");
        QVERIFY(broken);
        QCOMPARE(broken->where.file, std::string("/home/me/cfg/board.cfg"));
        QCOMPARE(broken->where.line, 12);
        // A command used wrongly: OpenOCD printed its usage and no message.
        auto misused = recogniseOpenOcdError("remote_bitbang\n  remote_bitbang port port_number\n"
                                             "/tmp/a b.cfg:3: Error: \nin procedure 'script' \n");
        QVERIFY(misused);
        QCOMPARE(misused->code, Errc::Parse);
        QCOMPARE(misused->where.file, std::string("/tmp/a b.cfg"));
        QCOMPARE(misused->where.line, 3);
        QVERIFY2(misused->message.find("error in the OpenOCD config file /tmp/a b.cfg at line 3 (") == 0,
                 misused->message.c_str());
    }

    void theCauseWinsOverItsConsequences() {
        // A missing probe makes the target errors after it meaningless.
        const auto e = recogniseOpenOcdError("Error: open failed\nError: Target not examined yet\n");
        QVERIFY(e);
        QCOMPARE(e->code, Errc::NoDevice);
        // The first differing address, not the summary.
        const auto v = recogniseOpenOcdError("Error: checksum mismatch - attempting binary compare\n"
                                             "diff 0 address 0x08004000. Was 0x00 instead of 0x5a\n");
        QVERIFY(v);
        QVERIFY2(v->message.find("0x08004000") != std::string::npos, v->message.c_str());
    }

    void theRestSaysWhatFailedWithOpenOcdsFirstError() {
        QVERIFY(!recogniseOpenOcdError("Info : all is well\n"));
        const Error e = explainOpenOcd("OpenOCD's `flash probe 0` failed",
                                       "Info : probing\nError: something odd\nError: and more\n");
        QCOMPARE(e.code, Errc::Io);
        QCOMPARE(e.message, std::string("OpenOCD's `flash probe 0` failed: something odd"));
        QCOMPARE(explainOpenOcd("OpenOCD exited", "last words\n").message,
                 std::string("OpenOCD exited: last words"));
        QCOMPARE(explainOpenOcd("OpenOCD exited", "").message, std::string("OpenOCD exited"));
    }
};

QTEST_GUILESS_MAIN(TestOpenOcdErrors)
#include "tst_openocd_errors.moc"
