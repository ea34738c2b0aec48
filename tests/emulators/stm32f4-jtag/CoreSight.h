// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"

#include <array>
#include <cstdint>
#include <map>
#include <vector>

namespace flashplan::emu {

/// The identification a CoreSight component carries in its last 48 bytes (0xfd0..0xfff): PIDR0-7 with
/// ARM's JEP106 code (0x4, 0x3b), the part number and revision, and CIDR0-3 with the component class
/// (0x1 ROM table, 0xe generic IP such as the SCS, DWT, FPB, ITM of a Cortex-M).
struct CoreSightId {
    std::uint16_t partNumber = 0;
    std::uint8_t revision = 0;
    std::uint8_t componentClass = 0xe;
};

/// A 4 KiB CoreSight component: subclasses answer the registers below 0xfd0, the ID registers are here.
class CoreSightComponent : public RegisterBlock {
public:
    static constexpr std::uint32_t kSize = 0x1000;
    static constexpr std::uint32_t kIdRegisters = 0xfd0;

protected:
    explicit CoreSightComponent(CoreSightId id) : id_(id) {}
    virtual std::uint32_t readComponent(std::uint32_t offset) = 0;
    virtual void writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) = 0;

private:
    std::uint32_t readRegister(std::uint32_t offset) final;
    void writeRegister(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) final;

    CoreSightId id_;
};

/// The Cortex-M4 ROM table: one entry per debug component, as offsets from the table, then a 0 end marker.
class RomTable final : public CoreSightComponent {
public:
    struct Entry {
        std::uint32_t address; ///< the component's base
        bool present;
    };
    RomTable(std::uint32_t base, std::vector<Entry> entries);

private:
    std::uint32_t readComponent(std::uint32_t offset) override;
    void writeComponent(std::uint32_t, std::uint32_t, std::uint32_t) override {}

    std::vector<std::uint32_t> words_;
};

/// Registers that hold what is written to them (under a per-register mask of writable bits) and read
/// back with fixed bits added; everything else reads 0. The DWT, FPB and ITM are mostly this.
class PlainRegisters {
public:
    void define(std::uint32_t offset, std::uint32_t writable, std::uint32_t fixed = 0);
    bool read(std::uint32_t offset, std::uint32_t& value) const;
    void write(std::uint32_t offset, std::uint32_t value, std::uint32_t mask);

private:
    struct Reg {
        std::uint32_t value;
        std::uint32_t writable;
        std::uint32_t fixed;
    };
    std::map<std::uint32_t, Reg> regs_;
};

/// Data Watchpoint and Trace unit with four comparators (DWT_CTRL.NUMCOMP = 4); nothing is watched.
class Dwt final : public CoreSightComponent {
public:
    Dwt();

private:
    std::uint32_t readComponent(std::uint32_t offset) override;
    void writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) override;
    PlainRegisters regs_;
};

/// Flash Patch and Breakpoint unit, revision 1, with six code and two literal comparators. The enable bit
/// only changes when KEY is written with it. No code runs, so a breakpoint can only be hit where the core
/// is resumed (see CortexM4).
class Fpb final : public CoreSightComponent {
public:
    Fpb();
    bool enabled() const { return enabled_; }
    /// True when the unit is enabled and a code comparator set to break (REPLACE != 0) matches the
    /// half-word at `address` (code region only, below 0x20000000).
    bool breaksAt(std::uint32_t address) const;

private:
    std::uint32_t readComponent(std::uint32_t offset) override;
    void writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) override;
    PlainRegisters regs_;
    bool enabled_ = false;
};

/// Instrumentation Trace Macrocell: stimulus ports always ready, output discarded.
class Itm final : public CoreSightComponent {
public:
    Itm();

private:
    std::uint32_t readComponent(std::uint32_t offset) override;
    void writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) override;
    PlainRegisters regs_;
};

} // namespace flashplan::emu
