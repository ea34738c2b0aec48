// SPDX-License-Identifier: Apache-2.0
#include "EmulatorProcess.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flashplan::testing {

namespace {
const QByteArray kReady = "flashplan-emu-stm32f4 ready on port ";
const QByteArray kDumped = "flashplan-emu-stm32f4 dumped";
const QByteArray kHolding = "flashplan-emu-stm32f4 holding at ";
} // namespace

EmulatorProcess::EmulatorProcess() {
    process_.setProgram(executable());
}

EmulatorProcess::~EmulatorProcess() {
    if (isRunning())
        stop(2000);
}

QString EmulatorProcess::executable() {
    return QStringLiteral(FLASHPLAN_EMU_STM32F4);
}

QString EmulatorProcess::flashOutPath() const {
    return dir_.filePath(QStringLiteral("flash-out.bin"));
}

QString EmulatorProcess::statsOutPath() const {
    return dir_.filePath(QStringLiteral("stats.json"));
}

bool EmulatorProcess::start(const EmulatorOptions& options, int timeoutMs) {
    if (!dir_.isValid()) {
        error_ = QStringLiteral("cannot create a temporary folder: ") + dir_.errorString();
        return false;
    }
    QStringList args{QStringLiteral("--port"), QStringLiteral("0"),           QStringLiteral("--flash-out"),
                     flashOutPath(),           QStringLiteral("--stats-out"), statsOutPath()};
    if (!options.flashIn.isEmpty())
        args << QStringLiteral("--flash-in") << options.flashIn;
    for (int s : options.stuckSectors)
        args << QStringLiteral("--stuck-sector") << QString::number(s);
    if (options.holdAt)
        args << QStringLiteral("--hold-at") << QString::number(*options.holdAt);
    if (options.datasheetTiming)
        args << QStringLiteral("--timing") << QStringLiteral("datasheet");
    args << (options.exitOnDisconnect ? QStringLiteral("--exit-on-disconnect")
                                      : QStringLiteral("--keep-serving"));
    args << options.extraArguments;
    process_.setArguments(args);
    // A test that crashes never runs the destructor; the kernel then ends the emulator (a --keep-serving
    // one would otherwise wait for sessions forever). SIGTERM still writes its dumps.
    process_.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    process_.start();
    if (!process_.waitForStarted(timeoutMs)) {
        error_ = QStringLiteral("cannot start %1: %2").arg(executable(), process_.errorString());
        return false;
    }
    QByteArray line;
    if (!waitForLine(kReady, timeoutMs, &line)) {
        error_ = QStringLiteral("the emulator did not get ready: ") + QString::fromUtf8(stderr_).trimmed();
        stop(1000);
        return false;
    }
    bool ok = false;
    port_ = line.mid(kReady.size()).trimmed().toUShort(&ok);
    if (!ok || port_ == 0) {
        error_ = QStringLiteral("unexpected ready line: ") + QString::fromUtf8(line);
        stop(1000);
        return false;
    }
    return true;
}

bool EmulatorProcess::waitForLine(const QByteArray& prefix, int timeoutMs, QByteArray* line) {
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        stdout_ += process_.readAllStandardOutput();
        stderr_ += process_.readAllStandardError();
        qsizetype start = 0;
        for (qsizetype nl; (nl = stdout_.indexOf('\n', start)) >= 0; start = nl + 1) {
            const QByteArray l = stdout_.mid(start, nl - start);
            if (l.startsWith(prefix)) {
                if (line)
                    *line = l;
                stdout_.remove(0, nl + 1); // consumed: a later wait looks for a later line
                return true;
            }
        }
        if (process_.state() == QProcess::NotRunning || deadline.hasExpired())
            return false;
        // Wakes on output or exit; no fixed sleep.
        if (!process_.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))) &&
            process_.state() == QProcess::NotRunning) {
            stdout_ += process_.readAllStandardOutput();
            stderr_ += process_.readAllStandardError();
        }
    }
}

bool EmulatorProcess::requestDump(int timeoutMs) {
    if (!isRunning())
        return false;
    ::kill(static_cast<pid_t>(process_.processId()), SIGUSR1);
    return waitForLine(kDumped, timeoutMs, nullptr);
}

bool EmulatorProcess::waitForHold(int timeoutMs) {
    // Remembered, so that asking again (as QTRY_VERIFY does) gives the same answer.
    holding_ = holding_ || waitForLine(kHolding, timeoutMs, nullptr);
    return holding_;
}

void EmulatorProcess::release() {
    holding_ = false;
    if (isRunning())
        ::kill(static_cast<pid_t>(process_.processId()), SIGUSR2);
}

bool EmulatorProcess::waitForExit(int timeoutMs) {
    if (!isRunning())
        return true;
    return process_.waitForFinished(timeoutMs);
}

int EmulatorProcess::stop(int timeoutMs) {
    if (isRunning()) {
        process_.terminate(); // SIGTERM: the emulator writes its files and exits 0
        if (!process_.waitForFinished(timeoutMs)) {
            process_.kill();
            process_.waitForFinished(timeoutMs);
            return -1;
        }
    }
    stderr_ += process_.readAllStandardError();
    return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
}

QString EmulatorProcess::standardError() {
    stderr_ += process_.readAllStandardError();
    return QString::fromUtf8(stderr_);
}

QByteArray EmulatorProcess::flash() const {
    QFile f(flashOutPath());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

std::optional<EmulatorStats> EmulatorProcess::stats() const {
    QFile f(statsOutPath());
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    if (o.value(QStringLiteral("schema")).toString() != QStringLiteral("flashplan-emu-stm32f4/1"))
        return std::nullopt;
    EmulatorStats s;
    for (const QJsonValue v : o.value(QStringLiteral("erases_per_sector")).toArray())
        s.erasesPerSector.push_back(quint32(v.toInteger()));
    s.totalErases = quint64(o.value(QStringLiteral("total_erases")).toInteger());
    s.bytesProgrammed = quint64(o.value(QStringLiteral("bytes_programmed")).toInteger());
    return s;
}

QString openOcdExecutable() {
    return QStandardPaths::findExecutable(QStringLiteral("openocd"));
}

QString openOcdEmulatorConfig() {
    return QStringLiteral(FLASHPLAN_EMU_OPENOCD_CFG);
}

QStringList openOcdArguments(quint16 port, const OpenOcdOptions& options) {
    QStringList args;
    const auto command = [&args](const QString& c) { args << QStringLiteral("-c") << c; };
    command(QStringLiteral("bindto 127.0.0.1"));
    command(QStringLiteral("gdb_port disabled"));
    command(QStringLiteral("telnet_port disabled"));
    command(QStringLiteral("tcl_port %1").arg(options.tclPort));
    command(QStringLiteral("set EMU_PORT %1").arg(port));
    if (!options.workAreaSize.isEmpty())
        command(QStringLiteral("set WORKAREASIZE %1").arg(options.workAreaSize));
    args << QStringLiteral("-f") << openOcdEmulatorConfig();
    for (const QString& c : options.commands)
        command(c);
    return args;
}

OpenOcdResult runOpenOcd(quint16 port, const OpenOcdOptions& options) {
    return runOpenOcdWith(openOcdArguments(port, options), options.timeoutMs, options.workingDirectory);
}

OpenOcdResult runOpenOcdWith(const QStringList& arguments, int timeoutMs, const QString& workingDirectory) {
    OpenOcdResult result;
    QProcess p;
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    QElapsedTimer clock;
    clock.start();
    p.start(openOcdExecutable(), arguments);
    if (!p.waitForStarted(10000)) {
        result.standardError = QStringLiteral("cannot start openocd: ") + p.errorString();
        return result;
    }
    if (!p.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
    }
    result.elapsedMs = clock.elapsed();
    result.standardOutput = QString::fromUtf8(p.readAllStandardOutput());
    result.standardError = QString::fromUtf8(p.readAllStandardError());
    if (!result.timedOut && p.exitStatus() == QProcess::NormalExit)
        result.exitCode = p.exitCode();
    return result;
}

QStringList openOcdSwdArguments(const SwdOpenOcdOptions& options) {
    QStringList args;
    const auto command = [&args](const QString& c) { args << QStringLiteral("-c") << c; };
    command(QStringLiteral("bindto 127.0.0.1"));
    command(QStringLiteral("gdb_port disabled"));
    command(QStringLiteral("telnet_port disabled"));
    command(QStringLiteral("tcl_port disabled"));
    args << QStringLiteral("-f") << QStringLiteral("interface/cmsis-dap.cfg");
    command(QStringLiteral("transport select swd"));
    if (!options.serial.isEmpty())
        command(QStringLiteral("adapter serial {%1}").arg(options.serial));
    if (!options.workAreaSize.isEmpty())
        command(QStringLiteral("set WORKAREASIZE %1").arg(options.workAreaSize));
    args << QStringLiteral("-f") << QStringLiteral("target/stm32f4x.cfg");
    for (const QString& c : options.commands)
        command(c);
    return args;
}

OpenOcdResult runOpenOcdSwd(const SwdOpenOcdOptions& options) {
    return runOpenOcdWith(openOcdSwdArguments(options), options.timeoutMs);
}

quint16 unusedLocalPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

} // namespace flashplan::testing
