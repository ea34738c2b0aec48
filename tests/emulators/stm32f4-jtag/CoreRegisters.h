// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>

namespace flashplan::emu {

/// The Cortex-M4 core registers as DCRSR.REGSEL numbers them (ARMv7-M ARM, C1.6.3): r0-r12, SP (the
/// active stack pointer), LR, DebugReturnAddress (the PC), xPSR, MSP, PSP and the packed
/// CONTROL/FAULTMASK/BASEPRI/PRIMASK word. Other selectors (the FP registers of an FPU this core does not
/// have) are stored but mean nothing.
class CoreRegisters {
public:
    enum : unsigned { R0 = 0, R1, R2, R3, R4, R5, R6, R7, R8, SP = 13, LR = 14, PC = 15 };
    static constexpr unsigned kXpsr = 16;
    static constexpr unsigned kMsp = 17;
    static constexpr unsigned kPsp = 18;
    static constexpr unsigned kSpecial = 20; // CONTROL[31:24] FAULTMASK[23:16] BASEPRI[15:8] PRIMASK[7:0]

    std::uint32_t get(unsigned regsel) const { return regs_[resolve(regsel)]; }
    void set(unsigned regsel, std::uint32_t value) { regs_[resolve(regsel)] = value; }

    std::uint32_t pc() const { return get(PC); }
    void setPc(std::uint32_t value) { set(PC, value); }

    /// What a reset leaves: everything 0 but the stack pointer and PC loaded from the vector table,
    /// xPSR.T from bit 0 of the reset vector, LR 0xffffffff.
    void reset(std::uint32_t initialSp, std::uint32_t resetVector) {
        regs_.fill(0);
        regs_[kMsp] = initialSp & ~3u;
        regs_[PC] = resetVector & ~1u;
        regs_[kXpsr] = (resetVector & 1u) << 24;
        regs_[LR] = 0xffffffffu;
    }

private:
    /// SP is MSP or PSP depending on CONTROL.SPSEL.
    unsigned resolve(unsigned regsel) const {
        regsel &= 0x7f;
        if (regsel == SP)
            return (regs_[kSpecial] >> 25 & 1) ? kPsp : kMsp;
        return regsel;
    }

    std::array<std::uint32_t, 128> regs_{};
};

} // namespace flashplan::emu
