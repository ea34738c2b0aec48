// SPDX-License-Identifier: Apache-2.0
// What the OpenOCD backend suites share: the emulated STM32F407 over JTAG or SWD with OpenOCD configs that
// reach it, an F407 layout, a job context that keeps its log, and a count of openocd children left behind.
#pragma once

#include "CmsisDapProbe.h"
#include "EmulatorProcess.h"
#include "EmulatorTestFiles.h" // randomBytes, writeFile
#include "Jobs.h"
#include "UmockdevUsbBus.h" // and FLASHPLAN_UMOCKDEV_TEST_MAIN, which the SWD transport needs
#include "backends/openocd/OpenOcdBackend.h"
#include "backends/openocd/TclText.h"
#include "db/DeviceDatabase.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

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

inline std::span<const std::uint8_t> bytes(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()), static_cast<std::size_t>(b.size())};
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

/// A flash of `image` into `partition` of `layout` (the image at the partition's start), timed: seconds,
/// or -1 after a warning with the job's log. What the benchmarks compare against plain OpenOCD.
inline double timedFlash(programmer::Backend& backend, const Layout& layout, const QByteArray& image,
                         std::size_t partition, bool full) {
    programmer::FlashRequest r;
    r.layout = &layout;
    r.partition = partition;
    r.offset = layout.partitions[partition].offset;
    r.data = bytes(image);
    r.full = full;
    LoggedContext ctx;
    QElapsedTimer clock;
    clock.start();
    const programmer::JobReport report = programmer::flashPartition(backend, r, ctx);
    const double s = double(clock.nsecsElapsed()) / 1e9;
    if (!report.ok()) {
        qWarning("%s", explain(report, ctx).constData());
        return -1;
    }
    return s;
}

/// How OpenOCD reaches the emulated F407, the column tests are run over.
enum class Transport {
    Jtag, ///< remote_bitbang to flashplan-emu-stm32f4 (a process), through its openocd-emu.cfg
    Swd,  ///< the stock interface/cmsis-dap.cfg to CmsisDapProbe on this process's umockdev bus
};
inline const char* transportName(Transport t) {
    return t == Transport::Swd ? "swd" : "jtag";
}
/// The data column a suite runs over both transports with.
inline void addTransportRows() {
    QTest::addColumn<Transport>("transport");
    QTest::newRow("jtag") << Transport::Jtag;
    QTest::newRow("swd") << Transport::Swd;
}

/// The emulated F407, started from random content (so an untouched byte is told from an erased or
/// written one) and reached over a transport:
///  - JTAG: flashplan-emu-stm32f4 serving one OpenOCD session after another, with an "interface" file
///    that sets the emulator's port and the work area size, and the emulator's target config
///    (tests/emulators/stm32f4-jtag/openocd-emu.cfg);
///  - SWD: an emulated CMSIS-DAP probe on a umockdev bus of this process (the test runs under
///    FLASHPLAN_UMOCKDEV_TEST_MAIN), with the stock interface/cmsis-dap.cfg and target/stm32f4x.cfg (a
///    work area other than its default 0x8000 goes into a target config that sets it and sources the
///    stock one). The same STM32F407 model is behind both.
class EmulatedF407 {
public:
    explicit EmulatedF407(Transport transport = Transport::Jtag) : transport_(transport) {}

    /// `workArea` is WORKAREASIZE: "0" makes OpenOCD program through the debug port, "0x8000" run its
    /// flash loader and CRC routine (which the emulator carries out).
    bool start(const QString& workArea, QList<int> stuckSectors = {}, quint32 seed = 1) {
        if (!dir_.isValid())
            return fail(QStringLiteral("no temporary folder"));
        background_ = randomBytes(kFlashSize, seed);
        workArea_ = workArea;
        return transport_ == Transport::Swd ? startProbe(stuckSectors) : startEmulator(stuckSectors);
    }
    /// Before start(): the target stops answering once a write reaches flash offset `offset`, so a test
    /// can cancel mid-write on any machine (waitForHold() says when).
    void holdAt(quint32 offset) { holdAt_ = offset; }
    /// Before start(): erases and programs take the STM32F407 datasheet's typical times instead of none
    /// (tests/emulators/stm32f4-jtag/FlashTiming.h), for benchmarks.
    void useDatasheetTiming() { datasheetTiming_ = true; }
    /// Before start(), SWD only: the probe's fault (tests/emulators/cmsis-dap).
    void setFault(const emu::ProbeFault& fault) { fault_ = fault; }
    bool waitForHold() { return probe_ ? probe_->waitForHold(std::chrono::minutes(2)) : emu_.waitForHold(); }
    /// Lets a held SWD probe answer again (a held JTAG emulator resumes when its OpenOCD goes).
    void release() {
        if (probe_)
            probe_->release();
    }
    Transport transport() const { return transport_; }
    QString error() const { return error_; }
    const QByteArray& background() const { return background_; }
    /// The JTAG emulator's process and port (unused over SWD).
    EmulatorProcess& process() { return emu_; }
    quint16 port() const { return emu_.port(); }
    /// The probe (SWD), for its record(); nullptr over JTAG.
    emu::CmsisDapProbe* probe() { return probe_; }
    /// Whether the probe dropped off its bus (SWD's Vanish fault).
    bool probeGone() const { return bus_ && bus_->gone(1); }

    programmer::openocd::OpenOcdSettings settings() const {
        programmer::openocd::OpenOcdSettings s;
        s.interfaceConfig = interfaceConfig().toStdString();
        s.targetConfig = targetConfig().toStdString();
        return s;
    }
    /// The interface config to name (the backend adds `transport select swd` for cmsis-dap.cfg).
    QString interfaceConfig() const {
        return transport_ == Transport::Swd ? QStringLiteral("interface/cmsis-dap.cfg")
                                            : dir_.filePath(QStringLiteral("emu-port.cfg"));
    }
    QString targetConfig() const {
        if (transport_ == Transport::Jtag)
            return openOcdEmulatorConfig();
        return workArea_ == QLatin1String(kStockWorkArea) ? QStringLiteral("target/stm32f4x.cfg")
                                                          : dir_.filePath(QStringLiteral("stm32f4x-wa.cfg"));
    }
    /// One config file in `folder` that does everything (the settings' `config`), naming the configs it
    /// sources with the backend's own quoting.
    QString writeWholeConfig(const QString& folder) const {
        const QString path = folder + QStringLiteral("/session {1} [emu] \"$x\".cfg");
        const auto word = [](const QString& file) {
            return QString::fromStdString(programmer::openocd::tclWord(file.toStdString()).value());
        };
        QString text;
        if (transport_ == Transport::Swd)
            text = QStringLiteral("source [find interface/cmsis-dap.cfg]\ntransport select swd\n"
                                  "set WORKAREASIZE %1\nsource [find target/stm32f4x.cfg]\n")
                       .arg(workArea_);
        else
            text =
                portConfig() + QStringLiteral("source ") + word(openOcdEmulatorConfig()) + QLatin1Char('\n');
        return writeFile(path, text.toUtf8()) ? path : QString();
    }
    /// Plain openocd against this target with its configs and work area, `commands` after them.
    OpenOcdResult runOpenOcd(const QStringList& commands) const {
        if (transport_ == Transport::Swd) {
            SwdOpenOcdOptions o;
            o.workAreaSize = workArea_;
            o.commands = commands;
            return runOpenOcdSwd(o);
        }
        OpenOcdOptions o;
        o.workAreaSize = workArea_;
        o.commands = commands;
        return testing::runOpenOcd(emu_.port(), o);
    }

    /// The target's flash now (the JTAG emulator dumps on request).
    QByteArray flash() {
        if (probe_) {
            const auto f = probe_->flash();
            return QByteArray(reinterpret_cast<const char*>(f.data()), qsizetype(f.size()));
        }
        return emu_.requestDump() ? emu_.flash() : QByteArray();
    }
    std::optional<EmulatorStats> stats() {
        if (!probe_)
            return emu_.requestDump() ? emu_.stats() : std::nullopt;
        EmulatorStats s;
        for (std::uint64_t i = 0; i < 12; ++i) {
            s.erasesPerSector << probe_->eraseCount(i);
            s.totalErases += probe_->eraseCount(i);
        }
        s.bytesProgrammed = probe_->bytesProgrammed();
        return s;
    }

private:
    static constexpr const char* kStockWorkArea = "0x8000"; // target/stm32f4x.cfg's default

    bool startEmulator(const QList<int>& stuckSectors) {
        const QString in = dir_.filePath(QStringLiteral("background.bin"));
        if (!writeFile(in, background_))
            return fail(QStringLiteral("cannot write ") + in);
        EmulatorOptions o = EmulatorOptions::withFlashIn(in);
        o.exitOnDisconnect = false;
        o.stuckSectors = stuckSectors;
        o.holdAt = holdAt_;
        o.datasheetTiming = datasheetTiming_;
        if (!emu_.start(o))
            return fail(emu_.errorString());
        const QString port = dir_.filePath(QStringLiteral("emu-port.cfg"));
        return writeFile(port, portConfig().toUtf8()) || fail(QStringLiteral("cannot write ") + port);
    }
    bool startProbe(const QList<int>& stuckSectors) {
        bus_ = std::make_unique<emu::UmockdevUsbBus>();
        probe_ = &bus_->plug(std::make_unique<emu::CmsisDapProbe>("FPSWD0001"));
        probe_->loadFlash(bytes(background_));
        for (int s : stuckSectors)
            probe_->setStuckSector(std::uint64_t(s));
        if (holdAt_)
            probe_->holdAt(*holdAt_);
        probe_->setFault(fault_);
        if (datasheetTiming_) {
            emu::FlashTiming timing;
            timing.datasheet = true;
            probe_->setFlashTiming(timing);
        }
        const QString target = dir_.filePath(QStringLiteral("stm32f4x-wa.cfg"));
        const QString text =
            QStringLiteral("set WORKAREASIZE %1\nsource [find target/stm32f4x.cfg]\n").arg(workArea_);
        return writeFile(target, text.toUtf8()) || fail(QStringLiteral("cannot write ") + target);
    }
    /// The Tcl that points openocd-emu.cfg at the JTAG emulator.
    QString portConfig() const {
        return QStringLiteral("set EMU_PORT %1\nset WORKAREASIZE %2\n").arg(emu_.port()).arg(workArea_);
    }
    bool fail(const QString& why) {
        error_ = why;
        return false;
    }

    Transport transport_;
    QTemporaryDir dir_;
    EmulatorProcess emu_;
    std::unique_ptr<emu::UmockdevUsbBus> bus_;
    emu::CmsisDapProbe* probe_ = nullptr; // owned by bus_
    emu::ProbeFault fault_;
    QByteArray background_;
    QString workArea_;
    QString error_;
    std::optional<quint32> holdAt_;
    bool datasheetTiming_ = false;
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

Q_DECLARE_METATYPE(flashplan::testing::Transport)
