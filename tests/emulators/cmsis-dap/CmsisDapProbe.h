// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "DapProcessor.h"
#include "EmulatedUsbDevice.h"
#include "Stm32f4Target.h"
#include "SwDp.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace flashplan::emu {

/// A fault the probe shows from some point on: once a flash program reaches a flash offset, once so
/// many bytes have been programmed, or (neither given) from the first SWD transaction.
struct ProbeFault {
    enum class Kind {
        None,
        Vanish, ///< the probe drops off the USB bus in the middle of the command that got there
        Fault,  ///< every AP transaction is answered FAULT and sets STICKYERR (a bus that fails)
        Wait,   ///< every AP transaction is answered WAIT, for ever (a target that stopped answering)
    };
    Kind kind = Kind::None;
    std::optional<std::uint32_t> atFlashOffset;
    std::optional<std::uint64_t> afterBytesProgrammed;
};

/// What happened on the probe, for tests to check instead of the clock.
struct ProbeRecord {
    DapCounters dap;
    unsigned commands = 0; ///< bulk OUT packets (DAP commands) received
    bool faultBegan = false;
    std::uint64_t bytesAtFault = 0;  ///< bytes programmed into the flash when the fault began
    unsigned commandsAfterFault = 0; ///< DAP commands received after it began
};

/// An emulated CMSIS-DAP v2 probe (USB 2.0 high speed, VID:PID 1209:0002, a pid.codes test ID) with an
/// STM32F407 behind its SWD port:
///  - USB: one vendor-specific interface (FF/00/00) whose string is "CMSIS-DAP v2 Interface", bulk OUT
///    0x01 and bulk IN 0x81 of 512 bytes; strings for manufacturer, product and the serial number
///    (OpenOCD's `adapter serial` picks a probe by it);
///  - one DAP command per bulk OUT packet, its response queued for the next bulk IN (DapProcessor);
///  - the SW-DP (SwDp, DPIDR 0x2ba01477) in front of the register-level STM32F407 of the JTAG
///    emulator (Stm32f4Target: AHB-AP, Cortex-M4, flash controller, the recognised RAM routines), as
///    the chip's SWJ-DP puts both in front of the same AP. nRESET resets the system.
/// Thread-safe: the bus calls it on umockdev's worker thread while a test may look.
class CmsisDapProbe final : public EmulatedUsbDevice {
public:
    static constexpr std::uint16_t kVendorId = 0x1209;
    static constexpr std::uint16_t kProductId = 0x0002;
    static constexpr std::uint8_t kOutEndpoint = 0x01;
    static constexpr std::uint8_t kInEndpoint = 0x81;
    static constexpr std::uint16_t kMaxPacketSize = 512;

    /// A probe with this serial number and an erased flash.
    explicit CmsisDapProbe(std::string serial);

    // EmulatedUsbDevice
    std::vector<std::uint8_t> descriptors() const override;
    unsigned speedMbps() const override { return 480; }
    ControlReply control(const UsbSetup& setup, std::span<const std::uint8_t> out) override;
    bool bulkOut(std::uint8_t endpoint, std::span<const std::uint8_t> data) override;
    std::optional<std::vector<std::uint8_t>> bulkIn(std::uint8_t endpoint, std::size_t length) override;
    bool vanished() const override;

    void setFault(const ProbeFault& fault);
    /// A test's fixed point mid-write, as the JTAG emulator's --hold-at: once a flash program reaches
    /// `offset`, the probe stops answering (it takes DAP commands but neither runs nor answers them, as a
    /// stalled probe) until release(), so a test can cancel mid-write on any machine. Not together with
    /// a fault at a flash offset (both are the flash controller's one trigger).
    void holdAt(std::uint32_t offset);
    /// Waits until a write holds at holdAt()'s offset; false after `timeout`.
    bool waitForHold(std::chrono::milliseconds timeout);
    /// Ends the hold: the commands taken meanwhile run and are answered in order. It does not come again.
    void release();
    /// Fault injection, as the JTAG emulator's --stuck-sector: erases and programs of this sector change
    /// nothing and report success, so only a verify can tell.
    void setStuckSector(std::uint64_t index);
    /// The target's flash timing (FlashTiming.h: datasheet figures for benchmarks); instant by default.
    void setFlashTiming(const FlashTiming& timing);
    ProbeRecord record() const;
    std::string serial() const { return identity_.serial; }

    /// The whole flash (a copy), its erases per sector and bytes programmed.
    std::vector<std::uint8_t> flash() const;
    std::uint32_t eraseCount(std::uint64_t sector) const;
    std::uint64_t bytesProgrammed() const;
    /// Fills the flash (programs it from erased; wear counters are reset to zero).
    void loadFlash(std::span<const std::uint8_t> bytes);

private:
    void checkFault();
    void beginFault();
    void run(std::span<const std::uint8_t> command);

    mutable std::mutex mutex_;
    DapIdentity identity_;
    std::unique_ptr<Stm32f4Target> target_;
    SwDp dp_;
    DapProcessor dap_;
    std::deque<std::vector<std::uint8_t>> responses_;
    ProbeFault fault_;
    ProbeRecord record_;
    bool gone_ = false;
    std::optional<std::uint32_t> holdAt_;
    std::set<std::uint64_t> stuck_; // kept for loadFlash(), which makes a new target
    bool holding_ = false, held_ = false;
    FlashTiming timing_;
    std::deque<std::vector<std::uint8_t>> heldCommands_; // taken while holding, run on release()
    std::condition_variable holdChanged_;
};

} // namespace flashplan::emu
