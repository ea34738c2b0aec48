// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "CoreRegisters.h"
#include "CoreSight.h"
#include "RamRoutines.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace flashplan::emu {

/// A Cortex-M4 r0p1 without an FPU, as its debugger sees it through the System Control Space
/// (0xe000e000, 4 KiB): CPUID, AIRCR, DFSR, the debug registers DHCSR/DCRSR/DCRDR/DEMCR, and storage for
/// the other system registers. No instruction is ever executed:
///  - halted, the register file is read and written through DCRSR/DCRDR (S_REGRDY is always set);
///  - resumed at an address in SRAM, the routine there is recognised (RamRoutines) and done directly; the
///    core then halts at its bkpt with DFSR.BKPT, as OpenOCD's algorithms expect;
///  - resumed where an FPB comparator or a `bkpt` instruction is, it halts there at once (DFSR.BKPT), as a
///    core with no interrupt pending does; OpenOCD's `step` relies on this;
///  - resumed anywhere else (the application in flash) it "runs" until the debugger halts it;
///  - a single step halts again at once, PC unchanged.
/// SYSRESETREQ resets the core and, through the reset hook, the peripherals (the flash controller), loads
/// SP and PC from the vector table at 0, sets the sticky S_RESET_ST and halts when DEMCR.VC_CORERESET is
/// set; VECTRESET does the same for the core only.
class CortexM4 final : public CoreSightComponent {
public:
    static constexpr std::uint32_t kScsBase = 0xe000e000;
    static constexpr std::uint32_t kCpuid = 0x410fc241;

    // Offsets in the SCS.
    static constexpr std::uint32_t kCpuidReg = 0xd00;
    static constexpr std::uint32_t kAircr = 0xd0c;
    static constexpr std::uint32_t kDfsr = 0xd30;
    static constexpr std::uint32_t kDhcsr = 0xdf0;
    static constexpr std::uint32_t kDcrsr = 0xdf4;
    static constexpr std::uint32_t kDcrdr = 0xdf8;
    static constexpr std::uint32_t kDemcr = 0xdfc;

    // DHCSR
    static constexpr std::uint32_t kDbgKey = 0xa05fu << 16;
    static constexpr std::uint32_t kCDebugEn = 1u << 0;
    static constexpr std::uint32_t kCHalt = 1u << 1;
    static constexpr std::uint32_t kCStep = 1u << 2;
    static constexpr std::uint32_t kCMaskInts = 1u << 3;
    static constexpr std::uint32_t kSRegRdy = 1u << 16;
    static constexpr std::uint32_t kSHalt = 1u << 17;
    static constexpr std::uint32_t kSRetireSt = 1u << 24;
    static constexpr std::uint32_t kSResetSt = 1u << 25;
    // DFSR
    static constexpr std::uint32_t kDfsrHalted = 1u << 0;
    static constexpr std::uint32_t kDfsrBkpt = 1u << 1;
    static constexpr std::uint32_t kDfsrVcatch = 1u << 3;
    // DEMCR
    static constexpr std::uint32_t kVcCoreReset = 1u << 0;
    // AIRCR
    static constexpr std::uint32_t kVectKey = 0x05fau << 16;
    static constexpr std::uint32_t kVectReset = 1u << 0;
    static constexpr std::uint32_t kSysResetReq = 1u << 2;

    /// `bus`: where the vector table is fetched from and where SRAM routines do their work; routines are
    /// recognised only when the PC lies in [sramBase, sramEnd).
    CortexM4(Bus& bus, std::uint32_t sramBase, std::uint32_t sramEnd);

    /// The breakpoint unit whose comparators a resume checks. Must outlive the core.
    void attachFpb(const Fpb& fpb) { fpb_ = &fpb; }

    /// The pace of the flash loader it recognises (RamRoutines.h); instant by default.
    void setFlashTiming(FlashTiming timing) { flashTiming_ = std::move(timing); }

    /// Called on SYSRESETREQ before the core resets, to reset the peripherals.
    void setSystemResetHook(std::function<void()> hook) { systemResetHook_ = std::move(hook); }

    /// Power-on: debug registers cleared, core reset from the vector table and running. Call it once the
    /// bus is mapped, before the first debug access.
    void powerOn();
    /// SYSRESETREQ (or SRST): peripherals and core.
    void systemReset();

    /// Lets a routine that is "running" catch up with the debugger; called after every debug transfer.
    void service();

    bool halted() const { return run_ == Run::Halted; }
    bool runningRoutine() const { return run_ == Run::Routine; }
    CoreRegisters& registers() { return regs_; }
    std::uint32_t dfsr() const { return dfsr_; }
    std::uint32_t demcr() const { return demcr_; }

private:
    enum class Run { Halted, Running, Routine };

    std::uint32_t readComponent(std::uint32_t offset) override;
    void writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) override;

    void writeDhcsr(std::uint32_t value);
    void writeDcrsr(std::uint32_t value);
    void writeAircr(std::uint32_t value);
    void coreReset();
    void halt(std::uint32_t reason);
    void resume(bool step);

    Bus& bus_;
    std::uint32_t sramBase_;
    std::uint32_t sramEnd_;
    std::function<void()> systemResetHook_;
    const Fpb* fpb_ = nullptr;
    CoreRegisters regs_;
    PlainRegisters system_; // the SCS registers that only hold a value
    Run run_ = Run::Running;
    std::unique_ptr<RamRoutine> routine_;
    FlashTiming flashTiming_;
    std::uint32_t control_ = 0; // DHCSR C_* bits
    bool resetSticky_ = true;
    bool retiredSticky_ = false;
    std::uint32_t dcrdr_ = 0;
    std::uint32_t demcr_ = 0;
    std::uint32_t dfsr_ = 0;
    std::uint32_t prigroup_ = 0;
};

} // namespace flashplan::emu
