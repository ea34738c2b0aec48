// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

namespace flashplan::emu {

/// Something that answers bus transfers inside its own window: memory, a block of registers. Offsets are
/// relative to the window; `size` is 1, 2 or 4. Values are right-aligned: a byte read returns 0..0xff, not
/// the byte on its lane. A transfer not aligned to its size is passed on as it came: each device decides
/// (registers align down, memory takes the bytes, the flash controller flags a programming error).
class BusDevice {
public:
    virtual ~BusDevice() = default;
    virtual std::uint32_t read(std::uint32_t offset, unsigned size) = 0;
    virtual void write(std::uint32_t offset, unsigned size, std::uint32_t value) = 0;
};

/// A device made of 32-bit registers. Smaller transfers read the whole register and pick their bytes,
/// or write with a byte mask, so each device only deals with words.
class RegisterBlock : public BusDevice {
public:
    std::uint32_t read(std::uint32_t offset, unsigned size) final;
    void write(std::uint32_t offset, unsigned size, std::uint32_t value) final;

protected:
    /// `offset` is word-aligned (transfers not aligned to their size are aligned down first). Reads may
    /// have side effects (a sticky bit that clears on read).
    virtual std::uint32_t readRegister(std::uint32_t offset) = 0;
    /// `value` holds the written bytes in their lanes; `mask` has 0xff in each written lane.
    virtual void writeRegister(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) = 0;
};

/// The system bus as the debugger's MEM-AP sees it: devices mapped at fixed windows. Addresses no device
/// claims read as 0 and ignore writes (the note on which this emulator rests: OpenOCD only probes them).
class Bus {
public:
    /// Maps `device` at [base, base+size). Windows must not overlap; the device must outlive the bus.
    void map(std::uint32_t base, std::uint32_t size, BusDevice& device);

    /// A transfer of `size` (1, 2 or 4) bytes.
    std::uint32_t read(std::uint32_t address, unsigned size);
    void write(std::uint32_t address, unsigned size, std::uint32_t value);

    std::uint32_t read32(std::uint32_t address) { return read(address, 4); }
    std::uint16_t read16(std::uint32_t address) { return static_cast<std::uint16_t>(read(address, 2)); }
    std::uint8_t read8(std::uint32_t address) { return static_cast<std::uint8_t>(read(address, 1)); }
    void write32(std::uint32_t address, std::uint32_t value) { write(address, 4, value); }
    void write16(std::uint32_t address, std::uint16_t value) { write(address, 2, value); }
    void write8(std::uint32_t address, std::uint8_t value) { write(address, 1, value); }

private:
    struct Window {
        std::uint32_t base;
        std::uint32_t size;
        BusDevice* device;
    };
    const Window* find(std::uint32_t address);

    std::vector<Window> windows_;  // sorted by base
    const Window* last_ = nullptr; // most transfers go to the window of the previous one
};

} // namespace flashplan::emu
