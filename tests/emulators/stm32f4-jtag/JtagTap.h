// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace flashplan::emu {

/// The sixteen states of the IEEE 1149.1 TAP controller.
enum class TapState : std::uint8_t {
    TestLogicReset,
    RunTestIdle,
    SelectDrScan,
    CaptureDr,
    ShiftDr,
    Exit1Dr,
    PauseDr,
    Exit2Dr,
    UpdateDr,
    SelectIrScan,
    CaptureIr,
    ShiftIr,
    Exit1Ir,
    PauseIr,
    Exit2Ir,
    UpdateIr,
};

/// The state the controller moves to on a rising TCK edge with this TMS.
TapState nextTapState(TapState state, bool tms);
const char* to_string(TapState state);

/// One TAP as its chain sees it: the length and capture value of its instruction register, the
/// instruction selected in Test-Logic-Reset, and per instruction the data register's length, what it
/// captures and what an update does. The shifting itself is the chain's (TapChain), since every TAP of a
/// chain moves through the same states on the same TMS.
class JtagTap {
public:
    virtual ~JtagTap() = default;

    virtual unsigned irLength() const = 0;
    virtual std::uint32_t irCapture() const = 0;
    virtual std::uint32_t resetInstruction() const = 0;

    /// 1..64 bits.
    virtual unsigned drLength(std::uint32_t instruction) const = 0;
    virtual std::uint64_t captureDr(std::uint32_t instruction) = 0;
    virtual void updateDr(std::uint32_t instruction, std::uint64_t value) = 0;
};

/// A TAP with an IDCODE and nothing else to offer: every other instruction selects BYPASS. This is the
/// STM32F4's boundary-scan TAP as a debugger sees it (boundary scan itself is not emulated).
class IdcodeOnlyTap final : public JtagTap {
public:
    IdcodeOnlyTap(unsigned irLength, std::uint32_t irCapture, std::uint32_t idcodeInstruction,
                  std::uint32_t idcode)
        : irLength_(irLength), irCapture_(irCapture), idcodeInstruction_(idcodeInstruction), idcode_(idcode) {
    }

    unsigned irLength() const override { return irLength_; }
    std::uint32_t irCapture() const override { return irCapture_; }
    std::uint32_t resetInstruction() const override { return idcodeInstruction_; }
    unsigned drLength(std::uint32_t instruction) const override {
        return instruction == idcodeInstruction_ ? 32 : 1;
    }
    std::uint64_t captureDr(std::uint32_t instruction) override {
        return instruction == idcodeInstruction_ ? idcode_ : 0;
    }
    void updateDr(std::uint32_t, std::uint64_t) override {}

private:
    unsigned irLength_;
    std::uint32_t irCapture_;
    std::uint32_t idcodeInstruction_;
    std::uint32_t idcode_;
};

} // namespace flashplan::emu
