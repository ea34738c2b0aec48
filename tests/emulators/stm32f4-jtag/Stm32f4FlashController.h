// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"
#include "FlashTiming.h"

#include "sim/FlashSimulator.h"

#include <cstdint>
#include <optional>
#include <set>

namespace flashplan::emu {

/// The STM32F40x/41x embedded flash interface (RM0090 section 3) over the project's NOR simulator.
///  - KEYR: KEY1 then KEY2 clears CR.LOCK; any other write while locked locks CR until the next reset.
///    OPTKEYR does the same for OPTCR.OPTLOCK.
///  - CR: PG, SER, MER, SNB, PSIZE, EOPIE, ERRIE, LOCK; STRT starts a sector or mass erase. Writes are
///    ignored while locked. An erase changes the array at once; SR.BSY then stays set for as long as the
///    FlashTiming says (no time at all by default). A program is never seen busy: 16 us is shorter than
///    any debug-port round trip (the flash loader paces itself, RamRoutines.h).
///  - SR: EOP (only with EOPIE, as on the chip), WRPERR, PGAERR, PGPERR, PGSERR; write 1 to clear.
///  - Programming: a write to the flash array with CR.PG set, of the size PSIZE asks for, aligned to it.
///    A write without PG, with SER/MER, or while locked is PGSERR; a size other than PSIZE is PGPERR; an
///    unaligned one PGAERR; into a sector whose nWRP bit is 0, WRPERR (as erases of it).
///  - NOR: programming can only clear bits. Where the chip would store the AND of old and new, the
///    simulator refuses and changes nothing; the controller reports it as PGSERR (the emulator's choice:
///    the F4 has no flag for it), so a test sees the mistake instead of corrupted data.
///  - OPTCR: the option bytes, 0x0fffaaed after reset (no protection, RDP level 0). With OPTSTRT the
///    written value becomes the option bytes at once; only nWRP has an effect here.
/// A "stuck" sector (fault injection) takes erases and programs without a change and without an error,
/// like a worn-out sector on a chip that does not check: only a verify can tell.
class Stm32f4FlashController final : public RegisterBlock {
public:
    // Register offsets from 0x40023c00.
    static constexpr std::uint32_t kAcr = 0x00;
    static constexpr std::uint32_t kKeyr = 0x04;
    static constexpr std::uint32_t kOptKeyr = 0x08;
    static constexpr std::uint32_t kSr = 0x0c;
    static constexpr std::uint32_t kCr = 0x10;
    static constexpr std::uint32_t kOptCr = 0x14;

    // SR
    static constexpr std::uint32_t kEop = 1u << 0;
    static constexpr std::uint32_t kOpErr = 1u << 1;
    static constexpr std::uint32_t kWrpErr = 1u << 4;
    static constexpr std::uint32_t kPgaErr = 1u << 5;
    static constexpr std::uint32_t kPgpErr = 1u << 6;
    static constexpr std::uint32_t kPgsErr = 1u << 7;
    static constexpr std::uint32_t kBsy = 1u << 16;
    // CR
    static constexpr std::uint32_t kPg = 1u << 0;
    static constexpr std::uint32_t kSer = 1u << 1;
    static constexpr std::uint32_t kMer = 1u << 2;
    static constexpr unsigned kSnbShift = 3;
    static constexpr std::uint32_t kSnbMask = 0xfu << kSnbShift;
    static constexpr unsigned kPsizeShift = 8;
    static constexpr std::uint32_t kPsizeMask = 3u << kPsizeShift;
    static constexpr std::uint32_t kStrt = 1u << 16;
    static constexpr std::uint32_t kEopie = 1u << 24;
    static constexpr std::uint32_t kErrie = 1u << 25;
    static constexpr std::uint32_t kLock = 1u << 31;
    // OPTCR
    static constexpr std::uint32_t kOptLock = 1u << 0;
    static constexpr std::uint32_t kOptStrt = 1u << 1;
    static constexpr unsigned kNwrpShift = 16;

    static constexpr std::uint32_t kKey1 = 0x45670123;
    static constexpr std::uint32_t kKey2 = 0xcdef89ab;
    static constexpr std::uint32_t kOptKey1 = 0x08192a3b;
    static constexpr std::uint32_t kOptKey2 = 0x4c5d6e7f;
    static constexpr std::uint32_t kOptionBytesDefault = 0x0fffaaec;

    explicit Stm32f4FlashController(FlashSimulator& flash);

    /// The flash array as the bus sees it (map it at 0x08000000, and at 0 for the boot alias): reads come
    /// from the simulator, writes are programming requests.
    BusDevice& memory() { return memory_; }

    /// System reset: CR locked, SR clear (an erase under way is cut short), OPTCR reloaded from the option
    /// bytes and locked.
    void reset();

    /// How long erases keep SR.BSY set (FlashTiming.h); instant by default.
    void setTiming(FlashTiming timing) { timing_ = std::move(timing); }
    const FlashTiming& timing() const { return timing_; }
    /// Whether an erase is still under way.
    bool busy() const { return timing_.now() < busyUntil_; }

    /// Fault injection: erases and programs of this sector change nothing and report success.
    void setStuck(std::uint64_t sectorIndex) { stuck_.insert(sectorIndex); }
    /// A test's fixed point in a write: the first program at or past flash offset `offset` marks the
    /// controller held (it still programs); the server stops serving while it is, so a test can act in
    /// the middle of a write, whatever the machine's speed.
    void setHoldAt(std::uint32_t offset) { holdAt_ = offset; }
    bool held() const { return held_; }
    /// Ends the hold; it does not come again.
    void release() {
        held_ = false;
        holdAt_.reset();
    }

    std::uint32_t sr() const { return sr_ | (busy() ? kBsy : 0); }
    std::uint32_t cr() const { return cr_; }
    std::uint32_t optcr() const { return optcr_; }
    FlashSimulator& flash() { return flash_; }

private:
    class MemoryWindow final : public BusDevice {
    public:
        explicit MemoryWindow(Stm32f4FlashController& c) : c_(c) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override;
        void write(std::uint32_t offset, unsigned size, std::uint32_t value) override {
            c_.program(offset, size, value);
        }

    private:
        Stm32f4FlashController& c_;
    };

    std::uint32_t readRegister(std::uint32_t offset) override;
    void writeRegister(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) override;

    void writeKey(std::uint32_t value);
    void writeOptionKey(std::uint32_t value);
    void writeControl(std::uint32_t value);
    void writeOptionControl(std::uint32_t value);
    void program(std::uint32_t offset, unsigned size, std::uint32_t value);
    void eraseSector(std::uint64_t index);
    void massErase();
    bool writeProtected(std::uint64_t sectorIndex) const;
    void fail(std::uint32_t error) { sr_ |= error; }
    void busyFor(FlashTiming::Duration d);
    unsigned psize() const { return (cr_ & kPsizeMask) >> kPsizeShift; }
    void succeed() { sr_ |= (cr_ & kEopie) ? kEop : 0; }

    FlashSimulator& flash_;
    MemoryWindow memory_;
    FlashTiming timing_;
    FlashTiming::Clock::time_point busyUntil_{};
    std::set<std::uint64_t> stuck_;
    std::optional<std::uint32_t> holdAt_;
    bool held_ = false;
    std::uint32_t acr_ = 0;
    std::uint32_t sr_ = 0;
    std::uint32_t cr_ = kLock;
    std::uint32_t optionBytes_ = kOptionBytesDefault;
    std::uint32_t optcr_ = kOptionBytesDefault | kOptLock;
    int keyStage_ = 0;
    int optKeyStage_ = 0;
    bool keyFault_ = false;
    bool optKeyFault_ = false;
};

} // namespace flashplan::emu
