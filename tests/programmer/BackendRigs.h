// SPDX-License-Identifier: Apache-2.0
// The targets tst_backend_conformance runs every registered backend against, one rig per backend: the
// simulator in a throwaway folder, real openocd against the emulated STM32F407 over JTAG
// (tests/emulators/stm32f4-jtag) and over SWD (tests/emulators/cmsis-dap), and the DFU backend against the
// emulated DfuSe STM32F4 bootloader on a umockdev bus (tests/emulators/dfu). Every rig hands the suite the
// same things: the backend made through the registry from option values, the target's flash and wear as the
// target itself counts them (never the job's own report), a fixed point mid-write to cancel at, and the
// faults the target can show.
#pragma once

#include "BackendRegistry.h"
#include "DfuTestSupport.h"
#include "OpenOcdRig.h"
#include "UmockdevDfuBus.h"
#include "backends/sim/SimulatorBackend.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flashplan::conformance {

using programmer::Backend;
using programmer::BackendOptions;
using programmer::ExpectedRange;
using programmer::JobContext;

/// The STM32F407 every rig emulates: 1 MiB in 4x16K, 1x64K, 7x128K.
inline constexpr std::size_t kSectors = 12;
inline constexpr int kFlashSize = 1024 * 1024;

inline QByteArray randomFlash(quint32 seed) {
    return testing::randomBytes(kFlashSize, seed);
}

/// What a target did to its flash, as it counts it: erases per sector and bytes programmed.
struct Wear {
    std::vector<std::uint64_t> erases = std::vector<std::uint64_t>(kSectors, 0);
    std::uint64_t bytesProgrammed = 0;

    friend bool operator==(const Wear&, const Wear&) = default;
    Wear operator-(const Wear& before) const {
        Wear d;
        for (std::size_t i = 0; i < kSectors; ++i)
            d.erases[i] = erases[i] - before.erases[i];
        d.bytesProgrammed = bytesProgrammed - before.bytesProgrammed;
        return d;
    }
    QString toString() const {
        QStringList parts;
        for (std::size_t i = 0; i < kSectors; ++i)
            if (erases[i])
                parts << QStringLiteral("sector %1 erased %2x").arg(i).arg(erases[i]);
        parts << QStringLiteral("%1 bytes programmed").arg(bytesProgrammed);
        return parts.join(QStringLiteral(", "));
    }
};

/// One erase of each of `sectors`, and `bytes` programmed.
inline Wear wearOf(std::span<const std::size_t> sectors, std::uint64_t bytes) {
    Wear w;
    for (std::size_t s : sectors)
        w.erases[s] = 1;
    w.bytesProgrammed = bytes;
    return w;
}
inline Wear wearOf(std::initializer_list<std::size_t> sectors, std::uint64_t bytes) {
    return wearOf(std::span(sectors.begin(), sectors.size()), bytes);
}

/// A fault a target can be started with, and the error a flash must end with.
struct Fault {
    QString name;
    Errc code;
    std::string says;  ///< part of the error message
    bool duringWrites; ///< the report names sectors whose content is unknown
};

/// How a rig starts its target.
struct Setup {
    std::optional<std::uint64_t> holdAt; ///< a write that reaches this device offset holds there
    QString fault;                       ///< a Fault::name of the rig, or empty
};

/// A backend that passes every call to another and records which calls it got, so a test can prove
/// what reached the backend.
class WatchedBackend : public Backend {
public:
    explicit WatchedBackend(Backend& inner) : inner_(inner) {}

    /// The calls so far, by name ("connect", "write"...).
    QStringList calls() const {
        std::lock_guard lock(mutex_);
        return calls_;
    }

    std::string_view name() const override { return inner_.name(); }
    Result<void> connect(const Board& board, JobContext& ctx) override {
        note("connect");
        return inner_.connect(board, ctx);
    }
    void disconnect() override {
        note("disconnect");
        inner_.disconnect();
    }
    Result<std::vector<FlashDevice>> describe(JobContext& ctx) override {
        note("describe");
        return inner_.describe(ctx);
    }
    std::uint64_t batchBytes() const override { return inner_.batchBytes(); }
    Result<void> erase(const FlashDevice& device, std::uint64_t offset, std::uint64_t length,
                       JobContext& ctx) override {
        note("erase");
        return inner_.erase(device, offset, length, ctx);
    }
    Result<void> write(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                       JobContext& ctx) override {
        note("write");
        return inner_.write(device, offset, data, ctx);
    }
    Result<std::vector<std::uint8_t>> read(const FlashDevice& device, std::uint64_t offset,
                                           std::uint64_t length, JobContext& ctx) override {
        note("read");
        return inner_.read(device, offset, length, ctx);
    }
    Result<std::vector<SectorState>> compare(const FlashDevice& device, std::span<const ExpectedRange> ranges,
                                             JobContext& ctx) override {
        note("compare");
        return inner_.compare(device, ranges, ctx);
    }
    Result<void> verify(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                        JobContext& ctx) override {
        note("verify");
        return inner_.verify(device, offset, data, ctx);
    }
    Result<void> commit(const FlashDevice& device, JobContext& ctx) override {
        note("commit");
        return inner_.commit(device, ctx);
    }
    Result<void> reset(JobContext& ctx) override {
        note("reset");
        return inner_.reset(ctx);
    }

protected:
    Backend& inner_;

private:
    void note(const char* call) {
        std::lock_guard lock(mutex_);
        calls_ << QString::fromLatin1(call);
    }
    mutable std::mutex mutex_;
    QStringList calls_;
};

/// The simulator's fixed point mid-write, after the GatedBackend pattern (tests/support): the write that
/// reaches the hold offset programs the bytes before it, waits there until release(), then hands the rest
/// to the simulator, which refuses it once the job was cancelled. The simulator has no process to stall.
class HeldSimulator final : public WatchedBackend {
public:
    HeldSimulator(Backend& sim, std::optional<std::uint64_t> holdAt) : WatchedBackend(sim), holdAt_(holdAt) {}

    Result<void> write(const FlashDevice& device, std::uint64_t offset, std::span<const std::uint8_t> data,
                       JobContext& ctx) override {
        if (!holdAt_ || offset + data.size() <= *holdAt_ || held())
            return WatchedBackend::write(device, offset, data, ctx);
        const std::size_t before = *holdAt_ > offset ? static_cast<std::size_t>(*holdAt_ - offset) : 0;
        if (before > 0)
            if (auto r = WatchedBackend::write(device, offset, data.first(before), ctx); !r)
                return r;
        {
            std::unique_lock lock(mutex_);
            holding_ = held_ = true;
            changed_.notify_all();
            changed_.wait(lock, [this] { return !holding_; });
        }
        return WatchedBackend::write(device, offset + before, data.subspan(before), ctx);
    }
    bool waitForHold() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::minutes(2), [this] { return held_; });
    }
    void release() {
        std::lock_guard lock(mutex_);
        holding_ = false;
        changed_.notify_all();
    }

private:
    bool held() const {
        std::lock_guard lock(mutex_);
        return held_;
    }
    std::optional<std::uint64_t> holdAt_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool holding_ = false, held_ = false;
};

/// One backend's target, started afresh by each test.
class Rig {
public:
    virtual ~Rig() = default;

    /// The registry name of the backend under test.
    virtual std::string_view backendName() const = 0;
    /// Why the rig cannot run on this machine (a tool missing); empty when it can.
    virtual QString missing() const { return {}; }
    /// Starts a fresh target whose flash holds random bytes (so untouched, erased and written bytes tell
    /// apart), and makes the backend through the registry. False with error() when it cannot.
    virtual bool start(const Setup& setup) = 0;
    QString error() const { return error_; }
    /// The backend under test, made by start().
    virtual Backend& backend() = 0;
    /// The whole flash device as the target holds it now; empty when it cannot be read.
    virtual QByteArray flash() = 0;
    /// What the target counted so far.
    virtual Wear wear() = 0;
    /// Waits until a write holds at Setup::holdAt.
    virtual bool waitForHold() = 0;
    /// Lets a held write go on, once the job was cancelled (a target whose hold ends with the session
    /// has nothing to do).
    virtual void release() {}
    /// True when a cancel ends the job while the target holds (the backend stops its helper process
    /// without waiting for the target): the test then releases only after the job ended, or a released
    /// write could complete before the cancel lands. False when the job needs the target to answer again.
    virtual bool cancelEndsWhileHeld() const { return false; }
    /// The faults this target can be started with.
    virtual std::vector<Fault> faults() const = 0;
    /// What a job's log says about how the backend compared sectors; empty when nothing in particular.
    virtual QString compareNote() const { return {}; }

protected:
    bool fail(const QString& why) {
        error_ = why;
        return false;
    }
    /// The backend of this rig's kind, from option values: what the CLI and the editor do.
    std::unique_ptr<Backend> make(const BackendOptions& options) const {
        const programmer::BackendKind* kind = programmer::findBackend(backendName());
        return kind ? kind->make(options) : nullptr;
    }

private:
    QString error_;
};

/// The simulator, its device file in a throwaway folder.
class SimRig final : public Rig {
public:
    std::string_view backendName() const override { return "sim"; }

    bool start(const Setup& setup) override {
        held_.reset();
        sim_.reset();
        if (!dir_.isValid())
            return fail(QStringLiteral("no temporary folder"));
        const QString folder = dir_.filePath(QStringLiteral("run-%1").arg(++runs_));
        file_ = folder + QStringLiteral("/stm32f4_disco/flash0.bin");
        if (!QDir().mkpath(folder + QStringLiteral("/stm32f4_disco")))
            return fail(QStringLiteral("cannot create ") + folder);
        if (setup.fault == QStringLiteral("unwritable-file")) {
            // A folder where the device file belongs: it cannot be opened for writing, even by root.
            if (!QDir().mkpath(file_))
                return fail(QStringLiteral("cannot create ") + file_);
        } else if (!testing::writeFile(file_, randomFlash(11))) {
            return fail(QStringLiteral("cannot write ") + file_);
        }
        BackendOptions o;
        o.set("folder", folder.toStdString());
        sim_ = make(o);
        if (!dynamic_cast<programmer::SimulatorBackend*>(sim_.get()))
            return fail(QStringLiteral("the registry's sim is no SimulatorBackend"));
        held_ = std::make_unique<HeldSimulator>(*sim_, setup.holdAt);
        return true;
    }
    Backend& backend() override { return *held_; }
    QByteArray flash() override {
        QFile f(file_);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    Wear wear() override {
        // The simulator's own counters, kept by the backend across its connections.
        const auto totals = static_cast<programmer::SimulatorBackend&>(*sim_).totals("flash0");
        Wear w;
        for (const auto& [sector, count] : totals.erasesPerSector)
            w.erases.at(sector) = count;
        w.bytesProgrammed = totals.bytesWritten;
        return w;
    }
    bool waitForHold() override { return held_->waitForHold(); }
    void release() override { held_->release(); }
    std::vector<Fault> faults() const override {
        return {{QStringLiteral("unwritable-file"), Errc::Io, "cannot open flash image", false}};
    }

private:
    QTemporaryDir dir_;
    int runs_ = 0;
    QString file_;
    std::unique_ptr<Backend> sim_;
    std::unique_ptr<HeldSimulator> held_;
};

/// Real openocd against the emulated STM32F407 with a work area, as target/stm32f4x.cfg sets one up:
/// OpenOCD's flash loader writes and its CRC routine compares on the target. (Without a work area everything
/// goes through the debug port, about ten times slower here: tst_openocd_backend covers that path.) Over
/// JTAG (remote_bitbang to the emulator process) or SWD (the stock interface/cmsis-dap.cfg and
/// target/stm32f4x.cfg to the emulated CMSIS-DAP probe, whose faults are this row's too).
class OpenOcdRig final : public Rig {
public:
    explicit OpenOcdRig(testing::Transport transport) : transport_(transport) {}

    std::string_view backendName() const override { return "openocd"; }
    QString missing() const override {
        return testing::openOcdExecutable().isEmpty()
                   ? QStringLiteral("openocd is not on PATH (Debian: apt-get install openocd)")
                   : QString();
    }
    bool start(const Setup& setup) override {
        backend_.reset();
        emu_ = std::make_unique<testing::EmulatedF407>(transport_);
        if (setup.holdAt)
            emu_->holdAt(static_cast<quint32>(*setup.holdAt));
        // Sector 1 takes erases and programs without changing: only a verify can tell.
        const QList<int> stuck = setup.fault == QStringLiteral("stuck-sector") ? QList<int>{1} : QList<int>{};
        // The probe's faults begin once 8 KiB of app's first sector are programmed (as fine as one drain of
        // the flash loader's FIFO allows): mid-write.
        for (const ProbeFaultRow& row : kProbeFaults)
            if (setup.fault == QLatin1String(row.name))
                emu_->setFault({row.kind, {}, 0x2000});
        if (!emu_->start(QStringLiteral("0x8000"), stuck, 12))
            return fail(emu_->error());
        BackendOptions o;
        o.set("interface", emu_->interfaceConfig().toStdString());
        o.set("target", emu_->targetConfig().toStdString());
        backend_ = make(o);
        return backend_ != nullptr || fail(QStringLiteral("no openocd backend"));
    }
    Backend& backend() override { return *backend_; }
    QByteArray flash() override { return emu_->flash(); }
    Wear wear() override {
        Wear w;
        if (const auto stats = emu_->stats()) {
            for (std::size_t i = 0; i < kSectors; ++i)
                w.erases[i] = stats->erasesPerSector.value(qsizetype(i));
            w.bytesProgrammed = stats->bytesProgrammed;
        }
        return w;
    }
    bool waitForHold() override { return emu_->waitForHold(); }
    void release() override { emu_->release(); }
    bool cancelEndsWhileHeld() const override { return true; } // OpenOCD is stopped, held or not
    std::vector<Fault> faults() const override {
        std::vector<Fault> f = {{QStringLiteral("stuck-sector"), Errc::Io,
                                 "flash0: verify failed at 0x08004000: the flash holds 0x", false}};
        if (transport_ == testing::Transport::Swd)
            for (const ProbeFaultRow& row : kProbeFaults)
                f.push_back({QString::fromLatin1(row.name), row.code, row.says, true});
        return f;
    }
    QString compareNote() const override { return QStringLiteral("CRC routine run on the target"); }

private:
    /// The emulated probe's faults and the error each must end in.
    struct ProbeFaultRow {
        const char* name;
        emu::ProbeFault::Kind kind;
        Errc code;
        const char* says;
    };
    static constexpr ProbeFaultRow kProbeFaults[] = {
        {"probe-vanishes", emu::ProbeFault::Kind::Vanish, Errc::NoDevice,
         "the debug probe was disconnected during the session"},
        {"sticky-fault", emu::ProbeFault::Kind::Fault, Errc::Io, "the target does not respond"},
        {"wait-forever", emu::ProbeFault::Kind::Wait, Errc::Io, "the target does not respond"},
    };

    testing::Transport transport_;
    std::unique_ptr<testing::EmulatedF407> emu_;
    std::unique_ptr<Backend> backend_; // ends its openocd before the target goes
};

/// The DFU backend over real libusb against the emulated STM32F4 system bootloader (DfuSe).
class DfuRig final : public Rig {
public:
    std::string_view backendName() const override { return "dfu"; }

    bool start(const Setup& setup) override {
        backend_.reset();
        bus_.reset();
        bus_ = std::make_unique<emu::UmockdevDfuBus>();
        device_ = &bus_->plug(emu::stm32f4Bootloader());
        const QByteArray content = randomFlash(13);
        device_->loadMemory(0, testing::bytes(content));
        emu::DfuFaults faults;
        if (setup.fault == QStringLiteral("vanish"))
            faults.vanishAtBlock = 5;
        else if (setup.fault == QStringLiteral("stall"))
            faults.stallAtBlock = 3;
        device_->setFaults(faults);
        if (setup.holdAt)
            device_->holdAt(*setup.holdAt);
        // No option given: the backend finds the device by the board's DFU VID:PID.
        backend_ = make({});
        return backend_ != nullptr || fail(QStringLiteral("no dfu backend"));
    }
    Backend& backend() override { return *backend_; }
    QByteArray flash() override {
        const auto memory = device_->memory(0);
        return QByteArray(reinterpret_cast<const char*>(memory.data()), qsizetype(memory.size()));
    }
    Wear wear() override {
        Wear w;
        for (std::size_t i = 0; i < kSectors; ++i)
            w.erases[i] = device_->eraseCount(0, i);
        w.bytesProgrammed = device_->counters().bytesProgrammed;
        return w;
    }
    bool waitForHold() override { return device_->waitForHold(std::chrono::minutes(2)); }
    void release() override { device_->release(); }
    std::vector<Fault> faults() const override {
        return {{QStringLiteral("vanish"), Errc::NoDevice, "gone", true},
                {QStringLiteral("stall"), Errc::Io, "errSTALLEDPKT", true}};
    }

private:
    std::unique_ptr<emu::UmockdevDfuBus> bus_;
    emu::EmulatedDfuDevice* device_ = nullptr;
    std::unique_ptr<Backend> backend_; // closes its libusb handles before the bus goes
};

/// The rigs, one row per registered backend, by the backend's name (and one per further way a backend
/// reaches its target, such as OpenOCD over SWD): a new backend adds its row here.
struct RigRow {
    const char* name;
    std::unique_ptr<Rig> (*make)();
};
inline constexpr RigRow kRigs[] = {
    {"dfu", [] { return std::unique_ptr<Rig>(std::make_unique<DfuRig>()); }},
    {"openocd", [] { return std::unique_ptr<Rig>(std::make_unique<OpenOcdRig>(testing::Transport::Jtag)); }},
    {"openocd-swd",
     [] { return std::unique_ptr<Rig>(std::make_unique<OpenOcdRig>(testing::Transport::Swd)); }},
    {"sim", [] { return std::unique_ptr<Rig>(std::make_unique<SimRig>()); }},
};

inline QStringList rigNames() {
    QStringList names;
    for (const RigRow& row : kRigs)
        names << QString::fromLatin1(row.name);
    return names;
}

inline std::unique_ptr<Rig> makeRig(const QString& name) {
    for (const RigRow& row : kRigs)
        if (name == QLatin1String(row.name))
            return row.make();
    return nullptr;
}

} // namespace flashplan::conformance
