// SPDX-License-Identifier: Apache-2.0
// The OpenOCD backend when things go wrong: each case ends in a clear error, and no openocd is left
// behind. A write-protected sector is refused over JTAG and over SWD alike (the data column `transport`).
// Cases that start openocd skip when it is not installed. A verify mismatch (a stuck sector) and a range
// outside the partition are in tst_backend_conformance, with every backend's faults.
#include "OpenOcdRig.h"

#include <QTcpServer>
#include <QTest>

#include <atomic>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>

using namespace flashplan;
using namespace flashplan::programmer;
using namespace flashplan::testing;

namespace {

/// A remote_bitbang adapter with no chip behind it: it takes every JTAG clock and reads TDO as 1, as a
/// probe does when the target is unpowered. OpenOCD connects fine and then finds nothing on the chain.
class DeadJtagTarget {
public:
    DeadJtagTarget() {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(listener_, 1) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            return;
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~DeadJtagTarget() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        if (const int c = client_.load(); c >= 0)
            ::shutdown(c, SHUT_RDWR);
        if (thread_.joinable())
            thread_.join();
        ::close(listener_);
    }
    DeadJtagTarget(const DeadJtagTarget&) = delete;
    DeadJtagTarget& operator=(const DeadJtagTarget&) = delete;
    quint16 port() const { return port_; }

private:
    void serve() {
        while (!stop_) {
            const int c = ::accept(listener_, nullptr, nullptr);
            if (c < 0)
                return;
            client_ = c;
            char in[4096];
            ssize_t n;
            while ((n = ::recv(c, in, sizeof in, 0)) > 0) {
                const std::string ones(static_cast<std::size_t>(std::count(in, in + n, 'R')), '1');
                if (!ones.empty() && ::send(c, ones.data(), ones.size(), MSG_NOSIGNAL) < 0)
                    break;
            }
            client_ = -1;
            ::close(c);
        }
    }
    int listener_ = -1;
    std::atomic<int> client_{-1};
    quint16 port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace

class TestOpenOcdFailures : public QObject {
    Q_OBJECT

    Layout layout_ = f407Layout();
    QTemporaryDir dir_;

    JobReport flash(OpenOcdBackend& backend, const QByteArray& image, std::size_t partition,
                    LoggedContext& ctx, std::uint64_t offset) {
        FlashRequest r;
        r.layout = &layout_;
        r.partition = partition;
        r.offset = offset;
        r.data = bytes(image);
        return flashPartition(backend, r, ctx);
    }
    JobReport flash(OpenOcdBackend& backend, const QByteArray& image, std::size_t partition,
                    LoggedContext& ctx) {
        return flash(backend, image, partition, ctx, layout_.partitions[partition].offset);
    }

    /// Settings that point openocd-emu.cfg at `port` with no work area.
    openocd::OpenOcdSettings emulatorAt(quint16 port, const QString& name) {
        const QString cfg = dir_.filePath(name);
        writeFile(cfg, QStringLiteral("set EMU_PORT %1\nset WORKAREASIZE 0\n").arg(port).toUtf8());
        openocd::OpenOcdSettings s;
        s.interfaceConfig = cfg.toStdString();
        s.targetConfig = openOcdEmulatorConfig().toStdString();
        return s;
    }

    /// Connects and expects `code` with `says` in the message; the process must be gone.
    Error connectFails(openocd::OpenOcdSettings settings, Errc code, const char* says) {
        OpenOcdBackend backend(std::move(settings));
        LoggedContext ctx;
        auto r = backend.connect(layout_.board, ctx);
        if (r.ok())
            return makeError(Errc::InvalidArgument, "connected");
        const Error e = r.error();
        backend.disconnect();
        qInfo("%s", e.toString().c_str());
        if (e.code != code || e.message.find(says) == std::string::npos)
            qWarning("%s\nlog:\n%s", e.toString().c_str(), qPrintable(ctx.text()));
        return e;
    }

    static void needOpenOcd() {
        if (openOcdExecutable().isEmpty())
            QSKIP("openocd is not on PATH (Debian: apt-get install openocd)");
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void cleanup() { QCOMPARE(childProcesses(QStringLiteral("openocd")), 0); }

    void openOcdMissing() {
        openocd::OpenOcdSettings s;
        s.executable = "/nonexistent/bin/openocd";
        s.interfaceConfig = "interface/stlink.cfg";
        s.targetConfig = "target/stm32f4x.cfg";
        OpenOcdBackend backend(s);
        LoggedContext ctx;
        const JobReport r = flash(backend, randomBytes(0x100, 1), App, ctx);
        QVERIFY(r.error);
        QCOMPARE(r.error->code, Errc::NotFound);
        QCOMPARE(r.error->message, std::string("there is no OpenOCD at /nonexistent/bin/openocd"));
        QCOMPARE(r.error->where.file, s.executable);
        // Nothing was touched: the job never got past connecting.
        for (const SectorReport& sector : r.sectors)
            QCOMPARE(sector.outcome, SectorOutcome::Untouched);

        s.executable = "openocd-that-is-not-installed";
        const Error notOnPath = OpenOcdBackend(s).connect(layout_.board, ctx).error();
        QCOMPARE(notOnPath.code, Errc::NotFound);
        QVERIFY2(notOnPath.message.find("is not on PATH: install OpenOCD") != std::string::npos,
                 notOnPath.message.c_str());

        s.executable = dir_.path().toStdString(); // a folder
        QVERIFY(
            OpenOcdBackend(s).connect(layout_.board, ctx).error().message.find("is not an executable file") !=
            std::string::npos);
    }

    void aMissingConfigFileIsNamed() {
        needOpenOcd();
        openocd::OpenOcdSettings s;
        s.interfaceConfig = "interface/stlink.cfg";
        s.targetConfig = dir_.filePath(QStringLiteral("no such target.cfg")).toStdString();
        const Error e = connectFails(s, Errc::NotFound, "cannot find the config file");
        QCOMPARE(e.code, Errc::NotFound);
        QCOMPARE(e.where.file, s.targetConfig);
        QVERIFY2(e.message.find("OpenOCD cannot find the config file " + s.targetConfig) == 0,
                 e.message.c_str());
    }

    void aBrokenConfigFileIsNamedWithItsLine() {
        needOpenOcd();
        const QString cfg = dir_.filePath(QStringLiteral("broken.cfg"));
        QVERIFY(writeFile(cfg, "# a comment\nadapter driver remote_bitbang\nremote_bitbang nonsense here\n"));
        openocd::OpenOcdSettings s;
        s.config = cfg.toStdString();
        const Error e = connectFails(s, Errc::Parse, "error in the OpenOCD config file");
        QCOMPARE(e.code, Errc::Parse);
        QCOMPARE(e.where.file, s.config);
        QCOMPARE(e.where.line, 3);
    }

    void aTakenPortIsSaid() {
        needOpenOcd();
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress(QHostAddress::LocalHost), 0));
        EmulatedF407 emu;
        QVERIFY2(emu.start(QStringLiteral("0")), qPrintable(emu.error()));
        openocd::OpenOcdSettings s = emu.settings();
        s.tclPort = squatter.serverPort();
        const Error e = connectFails(s, Errc::Io, "is taken");
        QCOMPARE(e.code, Errc::Io);
        QVERIFY2(e.message.find("port " + std::to_string(squatter.serverPort()) + " on 127.0.0.1 is taken") ==
                     0,
                 e.message.c_str());
    }

    void nothingListeningAtTheAdapter() {
        needOpenOcd();
        const quint16 port = unusedLocalPort();
        QVERIFY(port != 0);
        const Error e = connectFails(emulatorAt(port, QStringLiteral("nobody.cfg")), Errc::NoDevice,
                                     "nothing answers at the debug adapter's network address");
        QCOMPARE(e.code, Errc::NoDevice);
        QVERIFY2(e.message.find("nothing answers at the debug adapter's network address") == 0,
                 e.message.c_str());
        QVERIFY2(e.message.find("Failed to connect") != std::string::npos, e.message.c_str());
    }

    void aTargetThatDoesNotRespond() {
        needOpenOcd();
        DeadJtagTarget dead;
        QVERIFY(dead.port() != 0);
        const Error e = connectFails(emulatorAt(dead.port(), QStringLiteral("dead.cfg")), Errc::Io,
                                     "the target does not respond");
        QCOMPARE(e.code, Errc::Io);
        QVERIFY2(e.message.find("the target does not respond") == 0, e.message.c_str());
    }

    void aWriteProtectedSectorIsRefusedBeforeAnyErase_data() { addTransportRows(); }
    void aWriteProtectedSectorIsRefusedBeforeAnyErase() {
        needOpenOcd();
        QFETCH(Transport, transport);
        EmulatedF407 emu(transport);
        QVERIFY2(emu.start(QStringLiteral("0x8000")), qPrintable(emu.error()));
        // Another tool protected sector 2 (nWRP in the option bytes) in an earlier session.
        const OpenOcdResult protect =
            emu.runOpenOcd({QStringLiteral("init"), QStringLiteral("reset halt"),
                            QStringLiteral("flash protect 0 2 2 on"), QStringLiteral("shutdown")});
        QVERIFY2(protect.exitCode == 0, qPrintable(protect.output()));
        OpenOcdBackend backend(emu.settings());
        LoggedContext ctx;
        const JobReport r = flash(backend, randomBytes(48 * 1024, 8), App, ctx);
        QVERIFY(r.error);
        QCOMPARE(r.error->code, Errc::Io);
        QVERIFY2(r.error->message.find("sector 2 of flash bank stm32f4x.flash is write-protected") == 0,
                 explain(r, ctx));
        qInfo("%s", r.error->message.c_str());
        const auto stats = emu.stats();
        QVERIFY(stats);
        // Refused while comparing, before the first erase.
        QCOMPARE(stats->totalErases, quint64(0));
        for (const SectorReport& sector : r.sectors)
            QCOMPARE(sector.outcome, SectorOutcome::Untouched);
    }
};

FLASHPLAN_UMOCKDEV_TEST_MAIN(TestOpenOcdFailures)
#include "tst_openocd_failures.moc"
