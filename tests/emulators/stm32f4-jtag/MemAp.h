// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"
#include "DebugPort.h"

#include <cstdint>
#include <functional>

namespace flashplan::emu {

/// The Cortex-M4's AHB-AP: a MEM-AP onto the system bus.
///  - CSW: Size byte/half-word/word (data on the byte lanes of the address, as ADIv5 requires),
///    AddrInc off or single; packed auto-increment is refused (reads back as single), which tells a
///    debugger not to use it. DeviceEn reads 1. Writes of a reserved size keep the previous one.
///  - TAR, and DRW whose transfers auto-increment TAR within its 4 KiB block: the address wraps at the
///    block boundary, as on the Cortex-M4, whose debugger (OpenOCD) relies on 4 KiB.
///  - BD0..BD3 reach the four words of TAR's 16-byte block without moving TAR.
///  - CFG 0 (little-endian, 32-bit addresses), BASE (the ROM table), IDR.
class MemAp final : public AccessPort {
public:
    static constexpr std::uint8_t kCsw = 0x00;
    static constexpr std::uint8_t kTar = 0x04;
    static constexpr std::uint8_t kDrw = 0x0c;
    static constexpr std::uint8_t kBd0 = 0x10;
    static constexpr std::uint8_t kCfg = 0xf4;
    static constexpr std::uint8_t kBase = 0xf8;
    static constexpr std::uint8_t kIdr = 0xfc;

    static constexpr std::uint32_t kAutoIncrementBlock = 4096;

    MemAp(Bus& bus, std::uint32_t idr, std::uint32_t base) : bus_(bus), idr_(idr), base_(base) {}

    std::uint32_t readRegister(std::uint8_t address) override;
    void writeRegister(std::uint8_t address, std::uint32_t value) override;

    /// Called after every transfer on the bus, so a routine the core "runs" can follow what the debugger
    /// writes (the flash loader's FIFO).
    void setTransferObserver(std::function<void()> observer) { observer_ = std::move(observer); }

    std::uint32_t csw() const { return csw_; }
    std::uint32_t tar() const { return tar_; }

private:
    unsigned transferSize() const { return 1u << (csw_ & 7); }
    std::uint32_t readAt(std::uint32_t address);
    void writeAt(std::uint32_t address, std::uint32_t value);
    void advance();

    Bus& bus_;
    std::uint32_t idr_;
    std::uint32_t base_;
    std::uint32_t csw_ = 0x03000042; // word, no increment, DeviceEn, HPROT privileged data
    std::uint32_t tar_ = 0;
    std::function<void()> observer_;
};

} // namespace flashplan::emu
