// SPDX-License-Identifier: Apache-2.0
#include "RamRoutines.h"

#include <algorithm>
#include <array>

namespace flashplan::emu {

namespace {
constexpr std::uint32_t kFlashLoaderFirstWord = 0x8000f8d0; // ldr.w r8, [r0, #0]
constexpr std::uint32_t kStm32f4FlashRegisters = 0x40023c00;
constexpr std::uint32_t kCrcPolynomial = 0x04c11db7;
constexpr std::uint32_t kEraseCheckFirstWord = 0x42126802; // ldr r2, [r0, #0]; tst r2, r2
constexpr std::uint16_t kEraseCheckFourthHalf = 0x6843;    // ldr r3, [r0, #4]
constexpr std::uint32_t kFlashSr = 0x0c;
constexpr std::uint32_t kFlashCr = 0x10;
constexpr std::uint32_t kProgram16 = 0x101;  // CR: PG | PSIZE x16
constexpr std::uint32_t kFlashErrors = 0xf0; // PGSERR | PGPERR | PGAERR | WRPERR

using R = CoreRegisters;

/// stm32f2x.S of OpenOCD's contrib/loaders, done step for step: one half-word per turn of its loop.
class Stm32f2xFlashLoader final : public RamRoutine {
public:
    Stm32f2xFlashLoader(std::uint32_t breakpoint, FlashTiming timing)
        : RamRoutine(breakpoint), timing_(std::move(timing)) {}
    bool run(Bus& bus, CoreRegisters& r) override {
        const std::uint32_t fifo = r.get(R::R0);
        const FlashTiming::Clock::time_point now = timing_.datasheet ? timing_.now() : chipTime_;
        for (;;) {
            const std::uint32_t wp = bus.read32(fifo);
            r.set(R::R8, wp);
            if (wp == 0) // the debugger gave up
                return finish(r, r.get(R::R6));
            std::uint32_t rp = bus.read32(fifo + 4);
            r.set(R::R7, rp);
            if (rp == wp) { // FIFO empty: wait for the debugger
                starved_ = true;
                return false;
            }
            // The chip goes on from where it was, or from now when it had been waiting for data, and
            // has not reached this half-word yet when its program would end after now.
            if (timing_.datasheet) {
                if (starved_)
                    chipTime_ = std::max(chipTime_, now);
                starved_ = false;
                if (chipTime_ + timing_.program() > now)
                    return false;
                chipTime_ += timing_.program();
            }
            const std::uint32_t regs = r.get(R::R4);
            bus.write32(regs + kFlashCr, kProgram16);
            const std::uint16_t half = bus.read16(rp);
            rp += 2;
            bus.write16(r.get(R::R2), half);
            r.set(R::R2, r.get(R::R2) + 2);
            const std::uint32_t sr = bus.read32(regs + kFlashSr); // BSY is never set: no wait
            r.set(R::R6, sr);
            r.set(R::R7, rp);
            if (sr & kFlashErrors) {
                r.set(R::R1, 0);
                bus.write32(fifo + 4, 0);
                return finish(r, sr);
            }
            if (rp >= r.get(R::R1))
                rp = fifo + 8;
            r.set(R::R7, rp);
            bus.write32(fifo + 4, rp);
            r.set(R::R3, r.get(R::R3) - 1);
            if (r.get(R::R3) == 0)
                return finish(r, sr);
        }
    }

private:
    static bool finish(CoreRegisters& r, std::uint32_t status) {
        r.set(R::R0, status);
        return true;
    }

    FlashTiming timing_;
    FlashTiming::Clock::time_point chipTime_{};
    bool starved_ = true;
};

/// armv7m_crc.S of OpenOCD's contrib/loaders/checksum.
class Crc32Routine final : public RamRoutine {
public:
    using RamRoutine::RamRoutine;
    bool run(Bus& bus, CoreRegisters& r) override {
        const std::uint32_t address = r.get(R::R0);
        const std::uint32_t count = r.get(R::R1);
        r.set(R::R0, openOcdCrc32(bus, address, count));
        r.set(R::R2, address);
        r.set(R::R3, count);
        r.set(R::R4, count);
        r.set(R::R6, kCrcPolynomial);
        return true;
    }
};

/// armv7m_erase_check.s of OpenOCD's contrib/loaders/erase_check: blocks of {size in words, address}
/// from r0 on, ended by a size of 0; each size is replaced by 1 when every word equals r1, else 0.
class EraseCheckRoutine final : public RamRoutine {
public:
    using RamRoutine::RamRoutine;
    bool run(Bus& bus, CoreRegisters& r) override {
        std::uint32_t block = r.get(R::R0);
        const std::uint32_t erased = r.get(R::R1);
        for (std::uint32_t words; (words = bus.read32(block)) != 0; block += 8) {
            const std::uint32_t address = bus.read32(block + 4);
            std::uint32_t result = 1;
            for (std::uint32_t i = 0; i < words; ++i)
                if (bus.read32(address + 4 * i) != erased) {
                    result = 0;
                    break;
                }
            bus.write32(block, result);
        }
        r.set(R::R0, block);
        r.set(R::R2, 0);
        return true;
    }
};

/// Code we do not know: it is taken to reach its first `bkpt`, which is where OpenOCD's own routines end.
class HaltAtBreakpoint final : public RamRoutine {
public:
    using RamRoutine::RamRoutine;
    bool run(Bus&, CoreRegisters&) override { return true; }
};

bool isThumb32(std::uint16_t firstHalf) {
    return (firstHalf >> 11) >= 0x1d; // 0b11101, 0b11110, 0b11111
}

const std::array<std::uint32_t, 256>& crcTable() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i << 24;
            for (int bit = 0; bit < 8; ++bit)
                c = (c & 0x80000000u) ? (c << 1) ^ kCrcPolynomial : c << 1;
            t[i] = c;
        }
        return t;
    }();
    return table;
}
} // namespace

std::optional<std::uint32_t> findBreakpoint(Bus& bus, std::uint32_t from, std::uint32_t end) {
    for (std::uint64_t at = from & ~1u; at < end;) {
        const std::uint16_t half = bus.read16(static_cast<std::uint32_t>(at));
        if ((half & 0xff00) == 0xbe00)
            return static_cast<std::uint32_t>(at);
        at += isThumb32(half) ? 4 : 2;
    }
    return std::nullopt;
}

std::unique_ptr<RamRoutine> recogniseRamRoutine(Bus& bus, const CoreRegisters& regs, std::uint32_t ramEnd,
                                                const FlashTiming& timing) {
    const std::uint32_t pc = regs.pc();
    const auto bkpt = findBreakpoint(bus, pc, ramEnd);
    if (!bkpt)
        return nullptr;
    if (bus.read32(pc) == kFlashLoaderFirstWord && regs.get(R::R4) == kStm32f4FlashRegisters)
        return std::make_unique<Stm32f2xFlashLoader>(*bkpt, timing);
    if (bus.read32(pc) == kEraseCheckFirstWord && bus.read16(pc + 6) == kEraseCheckFourthHalf)
        return std::make_unique<EraseCheckRoutine>(*bkpt);
    // The CRC routine keeps its polynomial in a literal pool right after the bkpt.
    for (std::uint32_t at = (pc + 3) & ~3u; at <= *bkpt + 8 && at + 4 <= ramEnd; at += 4)
        if (bus.read32(at) == kCrcPolynomial)
            return std::make_unique<Crc32Routine>(*bkpt);
    return std::make_unique<HaltAtBreakpoint>(*bkpt);
}

std::uint32_t openOcdCrc32(Bus& bus, std::uint32_t address, std::uint32_t length) {
    const auto& table = crcTable();
    std::uint32_t crc = 0xffffffffu;
    std::uint32_t i = 0;
    for (; i + 4 <= length && (address + i) % 4 == 0; i += 4) {
        const std::uint32_t word = bus.read32(address + i);
        for (int b = 0; b < 4; ++b)
            crc = (crc << 8) ^ table[((crc >> 24) ^ (word >> (8 * b))) & 0xff];
    }
    for (; i < length; ++i)
        crc = (crc << 8) ^ table[((crc >> 24) ^ bus.read8(address + i)) & 0xff];
    return crc;
}

} // namespace flashplan::emu
