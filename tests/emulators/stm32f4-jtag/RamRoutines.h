// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"
#include "CoreRegisters.h"
#include "FlashTiming.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace flashplan::emu {

/// A routine a debugger loaded into SRAM and resumed the core at. No instruction is executed: the
/// routines OpenOCD uses are recognised by their code and their work done directly, through the bus, with
/// the registers the real code would leave; any other routine just reaches its first `bkpt`.
class RamRoutine {
public:
    explicit RamRoutine(std::uint32_t breakpoint) : breakpoint_(breakpoint) {}
    virtual ~RamRoutine() = default;

    /// Does what the routine can do now. True when it has finished: the core halts at breakpoint().
    /// False while it waits for the debugger (the flash loader for data in its FIFO).
    virtual bool run(Bus& bus, CoreRegisters& regs) = 0;

    /// The address of the `bkpt` the routine halts at.
    std::uint32_t breakpoint() const { return breakpoint_; }

private:
    std::uint32_t breakpoint_;
};

/// The first `bkpt` instruction in [from, end), stepping over 32-bit Thumb-2 instructions, or nullopt.
std::optional<std::uint32_t> findBreakpoint(Bus& bus, std::uint32_t from, std::uint32_t end);

/// The routine that starts at the core's PC, which lies in [ramBase, ramEnd):
///  - OpenOCD's stm32f2x flash loader (first instruction `ldr.w r8, [r0]`, word 0x8000f8d0, with
///    r4 = 0x40023c00): a FIFO at r0 (write pointer at [r0], read pointer at [r0+4], data from r0+8 up to
///    r1) whose half-words it programs from r2 on, r3 of them, with CR = PG|PSIZE_16 through the flash
///    controller at r4; it advances the read pointer as it goes, stops when the write pointer is 0, and
///    on an error (SR & 0xf0) sets the read pointer to 0. It ends with r0 = the last SR. It programs at
///    the pace `timing` gives (one half-word per FlashTiming::program()), counted from when data is
///    first there: each call does the half-words the chip would have done by now.
///  - OpenOCD's CRC routine (the literal 0x04c11db7 before its end): CRC-32 of [r0, r0+r1), MSB first,
///    initial value 0xffffffff, no final XOR, into r0.
///  - OpenOCD's erase check (first word 0x42126802, `ldr r2, [r0]; tst r2, r2`, then `ldr r3, [r0, #4]`):
///    blocks of {size in words, address} from r0 on, ended by size 0; each size becomes 1 when all its
///    words equal r1, else 0.
///  - anything else with a `bkpt`: halts there at once.
/// Nullptr when there is no `bkpt` before ramEnd: such code would run away, so the core keeps running.
std::unique_ptr<RamRoutine> recogniseRamRoutine(Bus& bus, const CoreRegisters& regs, std::uint32_t ramEnd,
                                                const FlashTiming& timing = FlashTiming{});

/// CRC-32 as OpenOCD's target-side checksum computes it (polynomial 0x04c11db7, MSB first, init
/// 0xffffffff, no reflection, no final XOR), of `length` bytes read through the bus.
std::uint32_t openOcdCrc32(Bus& bus, std::uint32_t address, std::uint32_t length);

} // namespace flashplan::emu
