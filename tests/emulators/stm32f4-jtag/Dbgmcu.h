// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"

#include <cstdint>

namespace flashplan::emu {

/// The STM32's MCU debug component at 0xe0042000 (RM0090 section 38.16): DBGMCU_IDCODE (device 0x413,
/// revision 0x1007 on the STM32F407, which OpenOCD shows as "Rev: 1") and the freeze/low-power control
/// registers, which only hold their value (OpenOCD sets them after examining the target).
class Dbgmcu final : public RegisterBlock {
public:
    static constexpr std::uint32_t kBase = 0xe0042000;
    static constexpr std::uint32_t kSize = 0x10;

    explicit Dbgmcu(std::uint32_t idcode) : idcode_(idcode) {}

private:
    std::uint32_t readRegister(std::uint32_t offset) override {
        switch (offset) {
        case 0x0:
            return idcode_;
        case 0x4:
            return cr_;
        case 0x8:
            return apb1Freeze_;
        case 0xc:
            return apb2Freeze_;
        default:
            return 0;
        }
    }
    void writeRegister(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) override {
        const auto update = [&](std::uint32_t& reg, std::uint32_t writable) {
            reg = (reg & ~(mask & writable)) | (value & mask & writable);
        };
        switch (offset) {
        case 0x4:
            update(cr_, 0xe7u); // DBG_SLEEP, DBG_STOP, DBG_STANDBY, TRACE_IOEN, TRACE_MODE
            break;
        case 0x8:
            update(apb1Freeze_, 0x06e01dffu);
            break;
        case 0xc:
            update(apb2Freeze_, 0x00070003u);
            break;
        default:
            break;
        }
    }

    std::uint32_t idcode_;
    std::uint32_t cr_ = 0;
    std::uint32_t apb1Freeze_ = 0;
    std::uint32_t apb2Freeze_ = 0;
};

} // namespace flashplan::emu
