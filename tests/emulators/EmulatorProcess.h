// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVector>

#include <optional>

namespace flashplan::testing {

/// How to start flashplan-emu-stm32f4.
struct EmulatorOptions {
    QString flashIn;         ///< a 1 MiB image to start from; empty: erased flash
    QList<int> stuckSectors; ///< fault injection: sectors that silently keep their content
    bool exitOnDisconnect = true;
    /// A fixed point mid-write: once a program reaches this flash offset the emulator stops answering
    /// until release() or until OpenOCD goes away (waitForHold() tells when).
    std::optional<quint32> holdAt;
    bool datasheetTiming = false; ///< --timing datasheet: erases and programs take a real chip's time
    QStringList extraArguments;   ///< passed as they are, after the others

    static EmulatorOptions withFlashIn(const QString& image) {
        EmulatorOptions o;
        o.flashIn = image;
        return o;
    }
};

/// The emulator's wear counters (its --stats-out JSON).
struct EmulatorStats {
    QVector<quint32> erasesPerSector;
    quint64 totalErases = 0;
    quint64 bytesProgrammed = 0;
};

/// flashplan-emu-stm32f4 as a child process, for tests. start() waits for its ready line (never a fixed
/// sleep) and learns the port; stop() ends it with SIGTERM, then SIGKILL after a timeout. The emulator
/// writes its flash and stats files into a private temporary folder, at exit and on requestDump().
/// The destructor stops a process still running, so a failed test leaves nothing behind; a crashed one
/// neither, since the kernel sends the emulator SIGTERM when its parent dies (PR_SET_PDEATHSIG).
class EmulatorProcess {
public:
    EmulatorProcess();
    ~EmulatorProcess();
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;

    /// The emulator binary of this build.
    static QString executable();

    /// Starts it and waits up to `timeoutMs` for "ready on port <p>". False, with errorString() saying
    /// why (including what the emulator printed on stderr), when it exits or stays silent.
    bool start(const EmulatorOptions& options = {}, int timeoutMs = 10000);
    QString errorString() const { return error_; }
    quint16 port() const { return port_; }
    bool isRunning() const { return process_.state() != QProcess::NotRunning; }

    /// SIGUSR1: the emulator writes its flash and stats files; waits for its "dumped" line.
    bool requestDump(int timeoutMs = 10000);
    /// Waits up to `timeoutMs` for the emulator to say it holds (EmulatorOptions::holdAt was reached); 0
    /// only looks at what it printed so far, for a wait that keeps an event loop running.
    bool waitForHold(int timeoutMs = 120000);
    /// SIGUSR2: the emulator answers again.
    void release();
    /// Waits up to `timeoutMs` for the emulator to exit on its own (it does when OpenOCD's session ends).
    bool waitForExit(int timeoutMs);
    /// SIGTERM, then SIGKILL after `timeoutMs`. Returns the exit code, or -1 when it had to be killed or
    /// crashed. Returns the earlier exit code when it had already exited.
    int stop(int timeoutMs = 5000);

    /// Files written at exit and on requestDump().
    QString flashOutPath() const;
    QString statsOutPath() const;
    /// The dumped flash (empty when there is no dump yet) and counters.
    QByteArray flash() const;
    std::optional<EmulatorStats> stats() const;
    /// What the emulator printed on stderr so far.
    QString standardError();

private:
    bool waitForLine(const QByteArray& prefix, int timeoutMs, QByteArray* line);

    QTemporaryDir dir_;
    QProcess process_;
    QByteArray stdout_;
    bool holding_ = false;
    QByteArray stderr_;
    QString error_;
    quint16 port_ = 0;
};

/// What an openocd run left.
struct OpenOcdResult {
    int exitCode = -1; ///< -1 when it crashed or was killed at the timeout
    bool timedOut = false;
    QString standardOutput;
    QString standardError; ///< OpenOCD logs here, echo included
    qint64 elapsedMs = 0;
    QString output() const { return standardOutput + standardError; }
};

/// How to run openocd against the emulator.
struct OpenOcdOptions {
    QString workAreaSize; ///< WORKAREASIZE for target/stm32f4x.cfg ("0", "0x8000"); empty: its default
    QString tclPort = QStringLiteral("disabled"); ///< a port for TCL-RPC, or "disabled"
    QStringList commands;                         ///< each becomes one -c after the config, in order
    int timeoutMs = 60000;
    QString workingDirectory;
};

/// The openocd on PATH; empty when there is none (tests QSKIP then).
QString openOcdExecutable();
/// tests/emulators/stm32f4-jtag/openocd-emu.cfg of this source tree.
QString openOcdEmulatorConfig();
/// The arguments: -c "bindto 127.0.0.1" -c "gdb_port disabled" -c "telnet_port disabled"
/// -c "tcl_port <tclPort>" -c "set EMU_PORT <port>" [-c "set WORKAREASIZE <n>"] -f <config>, then one -c
/// per command. Each is one argv entry, never split by a shell.
QStringList openOcdArguments(quint16 port, const OpenOcdOptions& options);
/// Runs openocd with openOcdArguments() to its end (or kills it at the timeout).
OpenOcdResult runOpenOcd(quint16 port, const OpenOcdOptions& options);
/// Runs openocd with these arguments to its end (or kills it after `timeoutMs`).
OpenOcdResult runOpenOcdWith(const QStringList& arguments, int timeoutMs,
                             const QString& workingDirectory = {});

/// How to run openocd over an emulated CMSIS-DAP probe (cmsis-dap/, on a UmockdevUsbBus of this
/// process): the stock interface/cmsis-dap.cfg, `transport select swd` and the stock
/// target/stm32f4x.cfg, nothing special for the emulator.
struct SwdOpenOcdOptions {
    QString serial;       ///< `adapter serial`; empty: the first CMSIS-DAP probe found
    QString workAreaSize; ///< WORKAREASIZE for target/stm32f4x.cfg; empty: its default
    QStringList commands; ///< each becomes one -c after the target config, in order
    int timeoutMs = 60000;
};
/// -c "bindto 127.0.0.1" -c "gdb_port disabled" -c "telnet_port disabled" -c "tcl_port disabled"
/// -f interface/cmsis-dap.cfg -c "transport select swd" [-c "adapter serial <s>"]
/// [-c "set WORKAREASIZE <n>"] -f target/stm32f4x.cfg, then one -c per command.
QStringList openOcdSwdArguments(const SwdOpenOcdOptions& options);
OpenOcdResult runOpenOcdSwd(const SwdOpenOcdOptions& options);

/// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
quint16 unusedLocalPort();

} // namespace flashplan::testing
