// SPDX-License-Identifier: Apache-2.0
// flashplan-emu-stm32f4 as a process: its command line, its files, its signals, and its socket spoken to
// directly (no OpenOCD needed).
#include "EmulatorProcess.h"
#include "EmulatorTestFiles.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace flashplan::testing;

namespace {
constexpr int kFlashSize = 1024 * 1024;

struct Finished {
    int exitCode;
    QString err;
};

/// Runs the emulator with `args` to its end.
Finished runEmulator(const QStringList& args) {
    QProcess p;
    p.start(EmulatorProcess::executable(), args);
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return {-1, QStringLiteral("did not exit")};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardError())};
}

/// A blocking TCP client for the remote_bitbang protocol.
class BitbangClient {
public:
    explicit BitbangClient(quint16 port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~BitbangClient() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    bool ok() const { return fd_ >= 0; }
    /// Sends `bytes` and reads one reply byte per 'R' in them.
    QByteArray exchange(const QByteArray& bytes) {
        if (::send(fd_, bytes.constData(), size_t(bytes.size()), 0) != bytes.size())
            return {};
        const qsizetype want = bytes.count('R');
        QByteArray in;
        while (in.size() < want) {
            char buf[256];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            in.append(buf, n);
        }
        return in;
    }
    void close() {
        ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

/// The bytes OpenOCD's bitbang layer sends for one TCK cycle: TCK low with TMS/TDI (and a TDO read), high.
QByteArray cycle(bool tms, bool tdi, bool read) {
    const char low = char('0' + (tms ? 2 : 0) + (tdi ? 1 : 0));
    QByteArray b(1, low);
    if (read)
        b += 'R';
    b += char(low + 4);
    return b;
}
} // namespace

class TestEmuProcess : public QObject {
    Q_OBJECT
private slots:
    void startsErasedAndDumpsAtStop() {
        EmulatorProcess emu;
        QVERIFY2(emu.start(), qPrintable(emu.errorString()));
        QVERIFY(emu.port() != 0);
        QCOMPARE(emu.stop(), 0);
        QCOMPARE(emu.flash(), QByteArray(kFlashSize, char(0xff)));
        const auto stats = emu.stats();
        QVERIFY(stats);
        QCOMPARE(stats->erasesPerSector, QVector<quint32>(12, 0));
        QCOMPARE(stats->totalErases, quint64(0));
        QCOMPARE(stats->bytesProgrammed, quint64(0));
    }

    void flashInAndDumpOnRequest() {
        QTemporaryDir dir;
        const QByteArray image = randomBytes(kFlashSize, 7);
        const QString in = dir.filePath(QStringLiteral("in.bin"));
        QVERIFY(writeFile(in, image));
        EmulatorProcess emu;
        QVERIFY2(emu.start(EmulatorOptions::withFlashIn(in)), qPrintable(emu.errorString()));
        QVERIFY(emu.flash().isEmpty());
        QVERIFY(emu.requestDump());
        QVERIFY(emu.isRunning());
        QCOMPARE(emu.flash(), image);
        QVERIFY(emu.requestDump()); // again: each request has its own "dumped" line
        QCOMPARE(emu.stop(), 0);
    }

    void wrongSizeFlashInIsRefused() {
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("small.bin"));
        QVERIFY(writeFile(in, QByteArray(16384, char(0))));
        const Finished f = runEmulator({QStringLiteral("--flash-in"), in});
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(f.err.contains(QStringLiteral("16384 bytes")) && f.err.contains(QStringLiteral("1048576")),
                 qPrintable(f.err));
        const Finished missing =
            runEmulator({QStringLiteral("--flash-in"), dir.filePath(QStringLiteral("none"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("none")), qPrintable(missing.err));
    }

    void portTakenIsAnError() {
        EmulatorProcess first;
        QVERIFY2(first.start(), qPrintable(first.errorString()));
        const Finished f = runEmulator({QStringLiteral("--port"), QString::number(first.port())});
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(f.err.contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(first.port())),
                 qPrintable(f.err));
    }

    void badArguments() {
        QCOMPARE(runEmulator({QStringLiteral("--frobnicate")}).exitCode, 2);
        QCOMPARE(runEmulator({QStringLiteral("--port"), QStringLiteral("70000")}).exitCode, 2);
        QCOMPARE(runEmulator({QStringLiteral("--port")}).exitCode, 2);
        QCOMPARE(runEmulator({QStringLiteral("--stuck-sector"), QStringLiteral("12")}).exitCode, 2);
        const auto timing = runEmulator({QStringLiteral("--timing"), QStringLiteral("fast")});
        QCOMPARE(timing.exitCode, 2);
        QVERIFY2(timing.err.contains(QStringLiteral("--timing: 'fast' is neither instant nor datasheet")),
                 qPrintable(timing.err));
        QCOMPARE(runEmulator({QStringLiteral("--help")}).exitCode, 0);
    }

    void idcodeOverTheSocket() {
        EmulatorProcess emu;
        QVERIFY2(emu.start(), qPrintable(emu.errorString()));
        BitbangClient c(emu.port());
        QVERIFY(c.ok());
        // Test-Logic-Reset, Run-Test/Idle, Select-DR, Capture-DR, Shift-DR; 32 bits out; the DAP's IDCODE.
        QByteArray bytes;
        for (int i = 0; i < 5; ++i)
            bytes += cycle(true, false, false);
        bytes += cycle(false, false, false) + cycle(true, false, false) + cycle(false, false, false) +
                 cycle(false, false, false);
        for (int i = 0; i < 32; ++i)
            bytes += cycle(false, false, true);
        const QByteArray tdo = c.exchange(bytes);
        QCOMPARE(tdo.size(), 32);
        quint32 idcode = 0;
        for (int i = 0; i < 32; ++i)
            idcode |= quint32(tdo[i] == '1') << i;
        QCOMPARE(idcode, 0x4ba00477u);
        // 'Q' ends the session; the emulator writes its files and exits 0.
        c.exchange("Q");
        QVERIFY(emu.waitForExit(10000));
        QCOMPARE(emu.stop(), 0);
        QCOMPARE(emu.flash().size(), kFlashSize);
    }

    void disconnectEndsTheSession() {
        EmulatorProcess emu;
        QVERIFY2(emu.start(), qPrintable(emu.errorString()));
        {
            BitbangClient c(emu.port());
            QVERIFY(c.ok());
            QCOMPARE(c.exchange("0R"), QByteArray("0"));
        }
        QVERIFY(emu.waitForExit(10000));
        QCOMPARE(emu.stop(), 0);
        QVERIFY(emu.stats());
    }

    void keepServingAcceptsAnotherSession() {
        EmulatorOptions o;
        o.exitOnDisconnect = false;
        EmulatorProcess emu;
        QVERIFY2(emu.start(o), qPrintable(emu.errorString()));
        for (int session = 0; session < 2; ++session) {
            BitbangClient c(emu.port());
            QVERIFY(c.ok());
            QCOMPARE(c.exchange("0R"), QByteArray("0"));
            c.exchange("Q");
        }
        QVERIFY(emu.isRunning());
        QCOMPARE(emu.stop(), 0);
    }

    void openOcdArgumentsStayWhole() {
        OpenOcdOptions o;
        o.workAreaSize = QStringLiteral("0x8000");
        o.commands = {QStringLiteral("program {/tmp/a b.bin} 0x08000000 verify exit")};
        const QStringList args = openOcdArguments(4242, o);
        QCOMPARE(args.mid(0, 10),
                 (QStringList{"-c", "bindto 127.0.0.1", "-c", "gdb_port disabled", "-c",
                              "telnet_port disabled", "-c", "tcl_port disabled", "-c", "set EMU_PORT 4242"}));
        QCOMPARE(args.mid(10, 4),
                 (QStringList{"-c", "set WORKAREASIZE 0x8000", "-f", openOcdEmulatorConfig()}));
        QCOMPARE(args.mid(14), (QStringList{"-c", "program {/tmp/a b.bin} 0x08000000 verify exit"}));
        QVERIFY(QFile::exists(openOcdEmulatorConfig()));
    }
};

QTEST_GUILESS_MAIN(TestEmuProcess)
#include "tst_emu_process.moc"
