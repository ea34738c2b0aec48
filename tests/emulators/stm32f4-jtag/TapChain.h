// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "JtagTap.h"

#include <cstdint>
#include <vector>

namespace flashplan::emu {

/// TAPs in series between TDI and TDO, clocked together. A rising TCK edge samples TMS and TDI: in
/// Capture-xR every TAP loads its register, in Shift-xR the registers shift one bit towards TDO; entering
/// Update-IR latches the instructions, entering Update-DR hands each TAP its data register, and
/// Test-Logic-Reset selects every TAP's reset instruction (IDCODE). TDO is the bit at the TDO end of the
/// last TAP while shifting, as a debugger samples it with TCK low before the next rising edge.
class TapChain {
public:
    /// `tdiToTdo`: the TAPs from the one at TDI to the one at TDO. The TAPs must outlive the chain.
    explicit TapChain(std::vector<JtagTap*> tdiToTdo);

    /// One rising edge of TCK.
    void clock(bool tms, bool tdi);
    bool tdo() const;
    /// TRST (or power-on): Test-Logic-Reset with every TAP on its reset instruction.
    void reset();

    TapState state() const { return state_; }
    std::uint32_t instruction(std::size_t tap) const { return slots_[tap].instruction; }

private:
    struct Slot {
        JtagTap* tap;
        std::uint32_t instruction = 0;
        std::uint64_t ir = 0;
        std::uint64_t dr = 0;
        unsigned drLength = 1;
    };
    static std::uint64_t shift(std::uint64_t& reg, unsigned length, std::uint64_t in);

    std::vector<Slot> slots_; // TDI side first
    TapState state_ = TapState::TestLogicReset;
};

} // namespace flashplan::emu
