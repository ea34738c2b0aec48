// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"

#include <cstdint>
#include <span>
#include <vector>

namespace flashplan::emu {

/// Little-endian byte memory: SRAM (writable) or a ROM such as the STM32's system memory (writes ignored).
class Memory final : public BusDevice {
public:
    enum class Access { ReadWrite, ReadOnly };
    Memory(std::uint32_t size, std::uint8_t fill, Access access);

    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, unsigned size, std::uint32_t value) override;

    std::uint32_t size() const { return static_cast<std::uint32_t>(bytes_.size()); }
    /// Direct access for set-up (ROM content) and for tests.
    std::span<std::uint8_t> bytes() { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
    Access access_;
};

} // namespace flashplan::emu
