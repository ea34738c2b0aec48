// SPDX-License-Identifier: Apache-2.0
#include "CoreSight.h"

namespace flashplan::emu {

namespace {
constexpr std::uint8_t kJep106Continuation = 0x4; // ARM: JEP106 bank 5 (4 continuation codes), code 0x3b
constexpr std::uint8_t kJep106Code = 0x3b;
} // namespace

std::uint32_t CoreSightComponent::readRegister(std::uint32_t offset) {
    if (offset < kIdRegisters)
        return readComponent(offset);
    switch (offset) {
    case 0xfd0: // PIDR4: 4 KiB (SIZE 0), JEP106 continuation code
        return kJep106Continuation;
    case 0xfe0: // PIDR0: part number [7:0]
        return id_.partNumber & 0xffu;
    case 0xfe4: // PIDR1: part number [11:8], JEP106 code [3:0]
        return (id_.partNumber >> 8 & 0xfu) | (kJep106Code & 0xfu) << 4;
    case 0xfe8: // PIDR2: JEP106 code [6:4], JEDEC, revision
        return (kJep106Code >> 4 & 0x7u) | 0x8u | std::uint32_t(id_.revision & 0xfu) << 4;
    case 0xff0:
        return 0x0d;
    case 0xff4: // CIDR1: component class
        return std::uint32_t(id_.componentClass & 0xfu) << 4;
    case 0xff8:
        return 0x05;
    case 0xffc:
        return 0xb1;
    default: // PIDR3, PIDR5-7
        return 0;
    }
}

void CoreSightComponent::writeRegister(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    if (offset < kIdRegisters)
        writeComponent(offset, value, mask);
}

RomTable::RomTable(std::uint32_t base, std::vector<Entry> entries)
    : CoreSightComponent(CoreSightId{0x4c4, 0, 0x1}) { // Cortex-M4 ROM table
    for (const Entry& e : entries)
        words_.push_back(((e.address - base) & ~0xfffu) | 0x2u | (e.present ? 1u : 0u));
    words_.push_back(0); // end of table
}

std::uint32_t RomTable::readComponent(std::uint32_t offset) {
    if (offset == 0xfcc) // MEMTYPE: system memory is present on this bus
        return 1;
    const std::size_t index = offset / 4;
    return index < words_.size() ? words_[index] : 0;
}

void PlainRegisters::define(std::uint32_t offset, std::uint32_t writable, std::uint32_t fixed) {
    regs_[offset] = Reg{0, writable, fixed};
}

bool PlainRegisters::read(std::uint32_t offset, std::uint32_t& value) const {
    const auto it = regs_.find(offset);
    if (it == regs_.end())
        return false;
    value = it->second.value | it->second.fixed;
    return true;
}

void PlainRegisters::write(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    const auto it = regs_.find(offset);
    if (it == regs_.end())
        return;
    const std::uint32_t m = mask & it->second.writable;
    it->second.value = (it->second.value & ~m) | (value & m);
}

Dwt::Dwt() : CoreSightComponent(CoreSightId{0x002, 3, 0xe}) {
    regs_.define(0x000, 0x003fffffu, 4u << 28); // DWT_CTRL, NUMCOMP = 4
    regs_.define(0x004, 0xffffffffu);           // CYCCNT
    for (std::uint32_t off = 0x008; off <= 0x018; off += 4)
        regs_.define(off, 0xffu); // CPICNT, EXCCNT, SLEEPCNT, LSUCNT, FOLDCNT
    regs_.define(0x01c, 0);       // PCSR
    for (std::uint32_t n = 0; n < 4; ++n) {
        regs_.define(0x020 + 16 * n, 0xffffffffu); // COMPn
        regs_.define(0x024 + 16 * n, 0x1fu);       // MASKn
        regs_.define(0x028 + 16 * n, 0x000fffefu); // FUNCTIONn (MATCHED reads 0)
    }
}

std::uint32_t Dwt::readComponent(std::uint32_t offset) {
    std::uint32_t v = 0;
    regs_.read(offset, v);
    return v;
}

void Dwt::writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    regs_.write(offset, value, mask);
}

Fpb::Fpb() : CoreSightComponent(CoreSightId{0x003, 2, 0xe}) {
    regs_.define(0x004, 0x1fffffe0u, 1u << 29); // FP_REMAP, RMPSPT
    for (std::uint32_t n = 0; n < 8; ++n)
        regs_.define(0x008 + 4 * n, 0xdffffffdu); // FP_COMPn
}

std::uint32_t Fpb::readComponent(std::uint32_t offset) {
    if (offset == 0x000) // FP_CTRL: NUM_CODE 6 in [7:4] (and 0 in [14:12]), NUM_LIT 2, REV 0 (FPBv1)
        return 0x260u | (enabled_ ? 1u : 0u);
    std::uint32_t v = 0;
    regs_.read(offset, v);
    return v;
}

bool Fpb::breaksAt(std::uint32_t address) const {
    if (!enabled_ || address >= 0x20000000)
        return false;
    for (std::uint32_t n = 0; n < 6; ++n) {
        std::uint32_t comp = 0;
        regs_.read(0x008 + 4 * n, comp);
        const std::uint32_t replace = comp >> 30;
        if (!(comp & 1) || replace == 0 || (comp & 0x1ffffffcu) != (address & 0x1ffffffcu))
            continue;
        // REPLACE 01 breaks on the lower half-word of the word, 10 on the upper, 11 on both.
        if (replace == 3 || replace == ((address & 2) ? 2u : 1u))
            return true;
    }
    return false;
}

void Fpb::writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    if (offset == 0x000) {
        if ((mask & 0xff) == 0xff && (value & 2u)) // KEY
            enabled_ = value & 1u;
        return;
    }
    regs_.write(offset, value, mask);
}

Itm::Itm() : CoreSightComponent(CoreSightId{0x001, 3, 0xe}) {
    regs_.define(0xe00, 0xffffffffu); // TER
    regs_.define(0xe40, 0xfu);        // TPR
    regs_.define(0xe80, 0x00ff0f1fu); // TCR
}

std::uint32_t Itm::readComponent(std::uint32_t offset) {
    if (offset < 0x100) // stimulus ports: FIFO always ready
        return 1;
    std::uint32_t v = 0;
    regs_.read(offset, v);
    return v;
}

void Itm::writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    regs_.write(offset, value, mask);
}

} // namespace flashplan::emu
