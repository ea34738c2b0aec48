// SPDX-License-Identifier: Apache-2.0
// What the OpenOCD backend suites share: the emulated STM32F407 with OpenOCD configs that reach it, an F407
// layout, a job context that keeps its log, and a count of openocd children left behind.
#pragma once

#include "EmulatorProcess.h"
#include "Jobs.h"
#include "backends/openocd/OpenOcdBackend.h"
#include "backends/openocd/TclText.h"
#include "db/DeviceDatabase.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStringList>
#include <QTemporaryDir>

#include <mutex>

#include <unistd.h>

namespace flashplan::testing {

inline constexpr int kFlashSize = 1024 * 1024;

/// STM32F407 (stm32f4_disco): boot (sector 0, read-only), app (sectors 1-3, 16K each), scratch (sector 4,
/// 64K), slot (sector 5, 128K), data (sectors 6-7), big (sectors 8-11, 4x128K).
inline Layout f407Layout() {
    Layout l;
    l.board = *DeviceDatabase::builtin()->find("stm32f4_disco");
    const auto add = [&](const char* label, std::uint64_t offset, std::uint64_t size, bool readOnly = false) {
        Partition p;
        p.label = label;
        p.device = "flash0";
        p.offset = offset;
        p.size = size;
        p.readOnly = readOnly;
        l.partitions.push_back(p);
    };
    add("boot", 0, 0x4000, true);
    add("app", 0x4000, 0xc000);
    add("scratch", 0x10000, 0x10000);
    add("slot", 0x20000, 0x20000);
    add("data", 0x40000, 0x40000);
    add("big", 0x80000, 0x80000);
    return l;
}
enum PartitionIndex : std::size_t { Boot, App, Scratch, Slot, Data, Big };

inline QByteArray randomBytes(int size, quint32 seed) {
    QRandomGenerator rng(seed);
    QByteArray b(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        b[i] = char(rng.bounded(256));
    return b;
}

inline std::span<const std::uint8_t> bytes(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()), static_cast<std::size_t>(b.size())};
}

inline bool writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

/// A job context that keeps the log, for failure messages.
class LoggedContext : public programmer::JobContext {
public:
    explicit LoggedContext(ProgressFn progress = {})
        : JobContext(std::move(progress), [this](const std::string& line) {
              std::lock_guard lock(mutex_);
              lines_.push_back(QString::fromStdString(line));
          }) {}
    QString text() const {
        std::lock_guard lock(mutex_);
        return lines_.join(QLatin1Char('\n'));
    }

private:
    mutable std::mutex mutex_;
    QStringList lines_;
};

/// "error: ..." and the job's log, for QVERIFY2.
inline QByteArray explain(const programmer::JobReport& r, const LoggedContext& ctx) {
    return (QStringLiteral("error: ") +
            (r.error ? QString::fromStdString(r.error->toString()) : QStringLiteral("none")) +
            QStringLiteral("\nlog:\n") + ctx.text())
        .toUtf8();
}

/// The emulated F407, started from random content (so an untouched byte is told from an erased or
/// written one) and serving one OpenOCD session after another, with the configs OpenOCD needs to reach
/// it: an "interface" file that sets the emulator's port and the work area size, and the emulator's
/// target config (tests/emulators/stm32f4-jtag/openocd-emu.cfg).
class EmulatedF407 {
public:
    /// `workArea` is WORKAREASIZE: "0" makes OpenOCD program through the debug port, "0x8000" run its
    /// flash loader and CRC routine (which the emulator carries out).
    bool start(const QString& workArea, QList<int> stuckSectors = {}, quint32 seed = 1) {
        if (!dir_.isValid())
            return fail(QStringLiteral("no temporary folder"));
        background_ = randomBytes(kFlashSize, seed);
        const QString in = dir_.filePath(QStringLiteral("background.bin"));
        if (!writeFile(in, background_))
            return fail(QStringLiteral("cannot write ") + in);
        EmulatorOptions o = EmulatorOptions::withFlashIn(in);
        o.exitOnDisconnect = false;
        o.stuckSectors = std::move(stuckSectors);
        o.holdAt = holdAt_;
        if (!emu_.start(o))
            return fail(emu_.errorString());
        workArea_ = workArea;
        return writeFile(interfaceConfig(), portConfig().toUtf8()) ||
               fail(QStringLiteral("cannot write ") + interfaceConfig());
    }
    /// Before start(): the emulator stops answering once a write reaches flash offset `offset`, so a test
    /// can cancel mid-write on any machine (process().waitForHold() says when).
    void holdAt(quint32 offset) { holdAt_ = offset; }
    QString error() const { return error_; }
    quint16 port() const { return emu_.port(); }
    const QByteArray& background() const { return background_; }
    EmulatorProcess& process() { return emu_; }

    /// The Tcl that points openocd-emu.cfg at this emulator.
    QString portConfig() const {
        return QStringLiteral("set EMU_PORT %1\nset WORKAREASIZE %2\n").arg(emu_.port()).arg(workArea_);
    }
    QString interfaceConfig() const { return dir_.filePath(QStringLiteral("emu-port.cfg")); }
    programmer::openocd::OpenOcdSettings settings() const {
        programmer::openocd::OpenOcdSettings s;
        s.interfaceConfig = interfaceConfig().toStdString();
        s.targetConfig = openOcdEmulatorConfig().toStdString();
        return s;
    }
    /// One config file in `folder` that does everything (the settings' `config`), naming the emulator's
    /// config with the backend's own quoting.
    QString writeWholeConfig(const QString& folder) const {
        const QString path = folder + QStringLiteral("/session {1} [emu] \"$x\".cfg");
        const QString source =
            QStringLiteral("source ") +
            QString::fromStdString(
                programmer::openocd::tclWord(openOcdEmulatorConfig().toStdString()).value()) +
            QLatin1Char('\n');
        return writeFile(path, (portConfig() + source).toUtf8()) ? path : QString();
    }

    /// The emulator's flash now (it dumps on request).
    QByteArray flash() { return emu_.requestDump() ? emu_.flash() : QByteArray(); }
    std::optional<EmulatorStats> stats() { return emu_.requestDump() ? emu_.stats() : std::nullopt; }

private:
    bool fail(const QString& why) {
        error_ = why;
        return false;
    }
    QTemporaryDir dir_;
    EmulatorProcess emu_;
    QByteArray background_;
    QString workArea_;
    QString error_;
    std::optional<quint32> holdAt_;
};

/// Children of this process whose name is `name` (zombies included): what a test must not leave behind.
inline int childProcesses(const QString& name) {
    int n = 0;
    const QString self = QString::number(::getpid());
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile f(QStringLiteral("/proc/") + pid + QStringLiteral("/stat"));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        // pid (comm) state ppid ...: comm may hold blanks, so split after its closing parenthesis.
        const QString stat = QString::fromUtf8(f.readAll());
        const auto open = stat.indexOf(QLatin1Char('(')), close = stat.lastIndexOf(QLatin1Char(')'));
        if (open < 0 || close < open)
            continue;
        const QStringList rest = stat.mid(close + 2).split(QLatin1Char(' '));
        if (stat.mid(open + 1, close - open - 1) == name && rest.size() > 1 && rest[1] == self)
            ++n;
    }
    return n;
}

/// Whether a process id is gone (not even a zombie).
inline bool processGone(std::int64_t pid) {
    return pid > 0 && !QFile::exists(QStringLiteral("/proc/%1").arg(pid));
}

} // namespace flashplan::testing
