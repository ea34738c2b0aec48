// SPDX-License-Identifier: Apache-2.0
// The pieces of the emulated STM32F407, driven directly: JTAG pins, DP/AP scans, the flash controller's
// registers, the core's debug registers and the SRAM routines. No socket, no OpenOCD.
#include "RamRoutines.h"
#include "RemoteBitbangServer.h"
#include "Stm32f4Target.h"

#include "sim/FlashStorage.h"

#include <QtTest>

#include <vector>

using namespace flashplan;
using namespace flashplan::emu;

namespace {

using FC = Stm32f4FlashController;
constexpr std::uint32_t kFlashRegs = Stm32f4Target::kFlashRegistersBase;
constexpr std::uint32_t kDhcsr = CortexM4::kScsBase + CortexM4::kDhcsr;
constexpr std::uint32_t kDcrsr = CortexM4::kScsBase + CortexM4::kDcrsr;
constexpr std::uint32_t kDcrdr = CortexM4::kScsBase + CortexM4::kDcrdr;
constexpr std::uint32_t kDemcr = CortexM4::kScsBase + CortexM4::kDemcr;
constexpr std::uint32_t kAircr = CortexM4::kScsBase + CortexM4::kAircr;

std::unique_ptr<Stm32f4Target> makeTarget() {
    auto device = Stm32f4Target::flashDevice();
    if (!device)
        qFatal("%s", device.error().toString().c_str());
    return std::make_unique<Stm32f4Target>(FlashSimulator::inRam(*device));
}

std::vector<std::uint8_t> flashBytes(Stm32f4Target& t, std::uint64_t offset, std::size_t n) {
    std::vector<std::uint8_t> out(n);
    if (!t.flash().read(offset, out))
        qFatal("flash read failed");
    return out;
}

/// The datasheet's timing on a clock the test steps by hand.
FlashTiming steppedDatasheetTiming(std::shared_ptr<FlashTiming::Clock::time_point> clock) {
    FlashTiming timing;
    timing.datasheet = true;
    timing.now = [clock] { return *clock; };
    return timing;
}

/// Drives the pins the way OpenOCD's bitbang layer does: TCK low with TMS/TDI, sample TDO, TCK high.
class JtagDriver {
public:
    explicit JtagDriver(BitbangDevice& d) : d_(d) {}

    bool clock(bool tms, bool tdi = false) {
        d_.drive(false, tms, tdi);
        const bool tdo = d_.tdo();
        d_.drive(true, tms, tdi);
        return tdo;
    }
    /// Test-Logic-Reset by TMS, then Run-Test/Idle.
    void resetToIdle() {
        for (int i = 0; i < 5; ++i)
            clock(true);
        clock(false);
    }
    /// From Run-Test/Idle through a DR or IR scan back to Run-Test/Idle; returns the bits seen on TDO.
    std::vector<bool> scan(bool ir, const std::vector<bool>& out) {
        clock(true); // Select-DR-Scan
        if (ir)
            clock(true); // Select-IR-Scan
        clock(false);    // Capture
        clock(false);    // Shift
        std::vector<bool> in;
        for (std::size_t i = 0; i < out.size(); ++i)
            in.push_back(clock(i + 1 == out.size(), out[i]));
        clock(true);  // Update
        clock(false); // Run-Test/Idle
        return in;
    }

private:
    BitbangDevice& d_;
};

std::vector<bool> bitsOf(std::uint64_t value, unsigned n) {
    std::vector<bool> v;
    for (unsigned i = 0; i < n; ++i)
        v.push_back(value >> i & 1);
    return v;
}

std::uint64_t valueOf(const std::vector<bool>& bits, unsigned from, unsigned n) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i)
        v |= std::uint64_t(bits[from + i]) << i;
    return v;
}

/// DP/AP transactions through the two-TAP chain: the DAP TAP is at TDO, the boundary scan TAP in BYPASS.
class DapDriver {
public:
    explicit DapDriver(BitbangDevice& d) : jtag_(d) { jtag_.resetToIdle(); }

    /// One 35-bit scan; returns what it captured (ACK in [2:0], data of the previous read in [34:3]).
    std::uint64_t transact(std::uint32_t instruction, bool read, std::uint8_t address, std::uint32_t data) {
        if (instruction != ir_) {
            jtag_.scan(true, bitsOf(instruction | 0x1fu << 4, 9)); // DAP IR, then BYPASS for the BS TAP
            ir_ = instruction;
        }
        const std::uint64_t request = std::uint64_t(data) << 3 | (address >> 2 & 3) << 1 | (read ? 1 : 0);
        const auto in = jtag_.scan(false, bitsOf(request, 36)); // 35 bits + the BS TAP's bypass bit
        return valueOf(in, 0, 35);
    }
    void writeDp(std::uint8_t a, std::uint32_t v) { checkAck(transact(DapTap::kDpacc, false, a, v)); }
    void writeAp(std::uint8_t a, std::uint32_t v) {
        selectBank(a);
        checkAck(transact(DapTap::kApacc, false, a & 0xc, v));
    }
    std::uint32_t readDp(std::uint8_t a) {
        checkAck(transact(DapTap::kDpacc, true, a, 0));
        return collect();
    }
    std::uint32_t readAp(std::uint8_t a) {
        selectBank(a);
        checkAck(transact(DapTap::kApacc, true, a & 0xc, 0));
        return collect();
    }

private:
    void selectBank(std::uint8_t a) {
        if ((a & 0xf0) != bank_) {
            bank_ = a & 0xf0;
            writeDp(DebugPort::kSelect, bank_); // APSEL 0
        }
    }
    /// Posted read: the value comes with the next scan, a read of RDBUFF.
    std::uint32_t collect() {
        const std::uint64_t c = transact(DapTap::kDpacc, true, DebugPort::kRdBuff, 0);
        checkAck(c);
        return static_cast<std::uint32_t>(c >> 3);
    }
    static void checkAck(std::uint64_t captured) {
        if ((captured & 7) != DebugPort::kAckOkFault)
            qFatal("unexpected ACK %d", int(captured & 7));
    }

    JtagDriver jtag_;
    std::uint32_t ir_ = 0;
    std::uint8_t bank_ = 0xff;
};

void unlockFlash(Bus& bus) {
    bus.write32(kFlashRegs + FC::kKeyr, FC::kKey1);
    bus.write32(kFlashRegs + FC::kKeyr, FC::kKey2);
}

/// Writes `words` into SRAM at `at`.
void poke(Bus& bus, std::uint32_t at, std::initializer_list<std::uint32_t> words) {
    for (std::uint32_t w : words) {
        bus.write32(at, w);
        at += 4;
    }
}

struct RecordingDevice : BitbangDevice {
    std::string log;
    bool level = false;
    void drive(bool tck, bool tms, bool tdi) override {
        log += char('0' + (tck ? 4 : 0) + (tms ? 2 : 0) + (tdi ? 1 : 0));
    }
    bool tdo() override { return level = !level; }
    void reset(bool trst, bool srst) override {
        log += trst ? (srst ? "<TS>" : "<T>") : (srst ? "<S>" : "<->");
    }
};

} // namespace

class TestEmuStm32f4 : public QObject {
    Q_OBJECT
private slots:
    void remoteBitbangDecoding() {
        RecordingDevice d;
        std::string replies;
        QVERIFY(!decodeRemoteBitbang("04RR7Bbr", d, replies));
        QCOMPARE(replies, std::string("10"));
        QCOMPARE(d.log, std::string("047<->"));
        replies.clear();
        QVERIFY(decodeRemoteBitbang("uQ1R", d, replies)); // nothing after Q is read
        QCOMPARE(replies, std::string());
        QCOMPARE(d.log, std::string("047<-><TS>"));
    }

    void chainShiftsBothIdcodes() {
        auto t = makeTarget();
        JtagDriver jtag(*t);
        jtag.resetToIdle(); // both TAPs select IDCODE
        const auto in = jtag.scan(false, std::vector<bool>(72, true));
        QCOMPARE(valueOf(in, 0, 32), std::uint64_t(Stm32f4Target::kDapIdcode)); // nearest TDO first
        QCOMPARE(valueOf(in, 32, 32), std::uint64_t(Stm32f4Target::kBoundaryScanIdcode));
        QCOMPARE(valueOf(in, 64, 8), std::uint64_t(0xff)); // then TDI comes through
    }

    void irCaptureAndBypass() {
        auto t = makeTarget();
        JtagDriver jtag(*t);
        jtag.resetToIdle();
        const auto in = jtag.scan(true, std::vector<bool>(11, true));
        QCOMPARE(valueOf(in, 0, 4), std::uint64_t(0b0001));  // DAP TAP
        QCOMPARE(valueOf(in, 4, 5), std::uint64_t(0b00001)); // boundary scan TAP
        QCOMPARE(valueOf(in, 9, 2), std::uint64_t(0b11));
        QCOMPARE(t->chain().instruction(0), 0x1fu); // all ones: BYPASS in both
        QCOMPARE(t->chain().instruction(1), 0xfu);
        const auto dr = jtag.scan(false, bitsOf(0b1011, 6)); // two bypass bits delay TDI by two clocks
        QCOMPARE(valueOf(dr, 2, 4), std::uint64_t(0b1011));
    }

    void debugPortPowerUp() {
        auto t = makeTarget();
        DapDriver dap(*t);
        QCOMPARE(dap.readDp(DebugPort::kCtrlStat), 0u);
        dap.writeDp(DebugPort::kCtrlStat, DebugPort::kCsysPwrUpReq | DebugPort::kCdbgPwrUpReq);
        const std::uint32_t ctrl = dap.readDp(DebugPort::kCtrlStat);
        QVERIFY(ctrl & DebugPort::kCsysPwrUpAck);
        QVERIFY(ctrl & DebugPort::kCdbgPwrUpAck);
        // Sticky flags clear by writing 1.
        t->debugPort().setStickyError();
        QVERIFY(dap.readDp(DebugPort::kCtrlStat) & DebugPort::kStickyErr);
        dap.writeDp(DebugPort::kCtrlStat,
                    DebugPort::kCsysPwrUpReq | DebugPort::kCdbgPwrUpReq | DebugPort::kStickyErr);
        QVERIFY(!(dap.readDp(DebugPort::kCtrlStat) & DebugPort::kStickyErr));
    }

    void accessPortIdentity() {
        auto t = makeTarget();
        DapDriver dap(*t);
        QCOMPARE(dap.readAp(MemAp::kIdr), Stm32f4Target::kAhbApIdr);
        QCOMPARE(dap.readAp(MemAp::kBase), 0xe00ff003u);
        QCOMPARE(dap.readAp(MemAp::kCfg), 0u);
        // Packed auto-increment is refused: it reads back as single.
        dap.writeAp(MemAp::kCsw, 0xa2000020u);
        QCOMPARE(dap.readAp(MemAp::kCsw) & 0x37u, 0x10u);
    }

    void tarAndDrwThroughApacc() {
        auto t = makeTarget();
        DapDriver dap(*t);
        dap.writeAp(MemAp::kCsw, 0x23000012u); // word, single increment
        dap.writeAp(MemAp::kTar, 0x20000100);
        dap.writeAp(MemAp::kDrw, 0x11223344);
        dap.writeAp(MemAp::kDrw, 0x55667788);
        QCOMPARE(dap.readAp(MemAp::kTar), 0x20000108u);
        QCOMPARE(t->bus().read32(0x20000104), 0x55667788u);
        dap.writeAp(MemAp::kTar, 0x20000100);
        QCOMPARE(dap.readAp(MemAp::kDrw), 0x11223344u);
        QCOMPARE(dap.readAp(MemAp::kDrw), 0x55667788u);
        // Banked data: the words of TAR's 16-byte block, TAR unmoved.
        dap.writeAp(MemAp::kTar, 0x20000100);
        QCOMPARE(dap.readAp(MemAp::kBd0 + 4), 0x55667788u);
        QCOMPARE(dap.readAp(MemAp::kTar), 0x20000100u);
    }

    void autoIncrementWrapsAt4KiB() {
        auto t = makeTarget();
        DapDriver dap(*t);
        dap.writeAp(MemAp::kCsw, 0x23000012u);
        dap.writeAp(MemAp::kTar, 0x20000ffc);
        dap.writeAp(MemAp::kDrw, 0xaaaaaaaa);
        dap.writeAp(MemAp::kDrw, 0xbbbbbbbb); // TAR wrapped to the start of its 4 KiB block
        QCOMPARE(dap.readAp(MemAp::kTar), 0x20000004u);
        QCOMPARE(t->bus().read32(0x20000000), 0xbbbbbbbbu);
        QCOMPARE(t->bus().read32(0x20001000), 0u);
        // Past a 1 KiB boundary it does not wrap.
        dap.writeAp(MemAp::kTar, 0x200003fc);
        dap.writeAp(MemAp::kDrw, 1);
        dap.writeAp(MemAp::kDrw, 2);
        QCOMPARE(t->bus().read32(0x20000400), 2u);
    }

    void byteAndHalfWordLanes() {
        auto t = makeTarget();
        DapDriver dap(*t);
        dap.writeAp(MemAp::kCsw, 0x23000010u); // byte, single increment
        dap.writeAp(MemAp::kTar, 0x20000201);
        dap.writeAp(MemAp::kDrw, 0x0000ab00); // byte at ...1 travels on lane 1
        dap.writeAp(MemAp::kDrw, 0x00cd0000); // ...2 on lane 2
        QCOMPARE(t->bus().read32(0x20000200), 0x00cdab00u);
        dap.writeAp(MemAp::kCsw, 0x23000011u); // half-word
        dap.writeAp(MemAp::kTar, 0x20000202);
        QCOMPARE(dap.readAp(MemAp::kDrw), 0x00cd0000u);
        // The flash size register, as OpenOCD reads it: a half-word at 0x1fff7a22.
        dap.writeAp(MemAp::kTar, Stm32f4Target::kFlashSizeRegister);
        QCOMPARE(dap.readAp(MemAp::kDrw) >> 16, 1024u);
    }

    void identificationRegisters() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        QCOMPARE(bus.read32(0xe0042000), Stm32f4Target::kDbgmcuIdcode);
        QCOMPARE(bus.read32(0xe000ed00), CortexM4::kCpuid);
        QCOMPARE(bus.read16(Stm32f4Target::kFlashSizeRegister), std::uint16_t(1024));
        QCOMPARE(bus.read32(0xe0002000) & 0x7ff0u, 0x260u); // FP_CTRL: 6 code + 2 literal comparators
        QCOMPARE(bus.read32(0xe0001000) >> 28, 4u);         // DWT_CTRL.NUMCOMP
    }

    void romTable() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        const std::uint32_t rom = Stm32f4Target::kRomTableBase;
        QCOMPARE(bus.read32(rom + 0x0), 0xfff0f003u);  // SCS
        QCOMPARE(bus.read32(rom + 0x4), 0xfff02003u);  // DWT
        QCOMPARE(bus.read32(rom + 0x8), 0xfff03003u);  // FPB
        QCOMPARE(bus.read32(rom + 0xc), 0xfff01003u);  // ITM
        QCOMPARE(bus.read32(rom + 0x10), 0xfff41002u); // TPIU, not present
        QCOMPARE(bus.read32(rom + 0x18), 0u);          // end
        QCOMPARE(bus.read32(rom + 0xff4), 0x10u);      // CIDR1: class 1, ROM table
        QCOMPARE(bus.read32(rom + 0xfe0) | (bus.read32(rom + 0xfe4) & 0xf) << 8, 0x4c4u);
        // Each entry leads to a generic-IP component with ARM's JEP106 code: SCS = part 0x00c.
        const std::uint32_t scs = rom + (0xfff0f003u & ~0xfffu);
        QCOMPARE(scs, CortexM4::kScsBase);
        QCOMPARE(bus.read32(scs + 0xff4), 0xe0u);
        QCOMPARE(bus.read32(scs + 0xfe0), 0x0cu);
        QCOMPARE(bus.read32(scs + 0xfe4), 0xb0u);
        QCOMPARE(bus.read32(scs + 0xfe8) & 0xfu, 0xbu);
        QCOMPARE(bus.read32(scs + 0xfd0), 0x04u);
    }

    void programHalfWordAndNorRule() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr), FC::kLock);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg); // ignored while locked
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr), FC::kLock);
        unlockFlash(bus);
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr), 0u);

        bus.write32(kFlashRegs + FC::kCr, FC::kPg | 1u << FC::kPsizeShift); // PG, x16
        bus.write16(0x08000010, 0x1234);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        QCOMPARE(bus.read16(0x08000010), std::uint16_t(0x1234));
        QCOMPARE(flashBytes(*t, 0x10, 2), (std::vector<std::uint8_t>{0x34, 0x12}));
        // Clearing more bits is fine; setting one back is what NOR cannot do.
        bus.write16(0x08000010, 0x1030);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        bus.write16(0x08000010, 0xffff);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kPgsErr);
        QCOMPARE(bus.read16(0x08000010), std::uint16_t(0x1030));
        QCOMPARE(t->flash().bytesProgrammed(), quint64(4));
        bus.write32(kFlashRegs + FC::kSr, FC::kPgsErr); // write 1 to clear
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        // EOP only with EOPIE.
        bus.write32(kFlashRegs + FC::kCr, FC::kPg | 1u << FC::kPsizeShift | FC::kEopie);
        bus.write16(0x08000012, 0x0000);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kEop);
    }

    void programmingErrors() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        bus.write16(0x08000000, 0); // locked, no PG
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kPgsErr);
        bus.write32(kFlashRegs + FC::kSr, 0xff);
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg | 2u << FC::kPsizeShift); // x32
        bus.write16(0x08000000, 0);                                         // a half-word
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kPgpErr);
        bus.write32(kFlashRegs + FC::kSr, 0xff);
        bus.write32(0x08000002, 0); // misaligned word
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kPgaErr);
        QCOMPARE(bus.read32(0x08000000), 0xffffffffu);
        QCOMPARE(t->flash().bytesProgrammed(), quint64(0));
    }

    void wrongKeyLocksUntilReset() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        bus.write32(kFlashRegs + FC::kKeyr, FC::kKey2);
        unlockFlash(bus);
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr), FC::kLock);
        t->flashController().reset();
        unlockFlash(bus);
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr), 0u);
    }

    void sectorAndMassErase() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg | 2u << FC::kPsizeShift);
        bus.write32(0x08020000, 0x12345678); // sector 5
        bus.write32(kFlashRegs + FC::kCr, FC::kSer | 5u << FC::kSnbShift | FC::kStrt);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr) & FC::kStrt, 0u);
        QCOMPARE(bus.read32(0x08020000), 0xffffffffu);
        QCOMPARE(t->flash().eraseCount(5), 1u);
        bus.write32(kFlashRegs + FC::kCr, FC::kMer | FC::kStrt);
        QCOMPARE(t->flash().totalErases(), quint64(13));
        bus.write32(kFlashRegs + FC::kCr, FC::kSer | 12u << FC::kSnbShift | FC::kStrt); // no sector 12
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kPgsErr);
    }

    void datasheetTimingKeepsBsyWhileAnEraseRuns() {
        auto t = makeTarget();
        auto clock = std::make_shared<FlashTiming::Clock::time_point>();
        t->setFlashTiming(steppedDatasheetTiming(clock));
        Bus& bus = t->bus();
        unlockFlash(bus);
        // PSIZE x8 (OpenOCD's stm32f2x erases with PSIZE 0): a 16 KiB sector takes 400 ms, a 128 KiB one 2 s.
        bus.write32(kFlashRegs + FC::kCr, FC::kSer | 1u << FC::kSnbShift | FC::kStrt);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kBsy);
        *clock += std::chrono::milliseconds(399);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kBsy);
        *clock += std::chrono::milliseconds(1);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        bus.write32(kFlashRegs + FC::kCr, FC::kSer | 5u << FC::kSnbShift | 2u << FC::kPsizeShift | FC::kStrt);
        *clock += std::chrono::milliseconds(999); // x32: 1 s
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kBsy);
        *clock += std::chrono::milliseconds(1);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        bus.write32(kFlashRegs + FC::kCr, FC::kMer | 1u << FC::kPsizeShift | FC::kStrt); // x16: 11 s
        *clock += std::chrono::seconds(10);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kBsy);
        t->flashController().reset(); // a system reset cuts it short
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
    }

    void writeProtectionFromOptionBytes() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        QCOMPARE(bus.read32(kFlashRegs + FC::kOptCr), 0x0fffaaedu);
        bus.write32(kFlashRegs + FC::kOptKeyr, FC::kOptKey1);
        bus.write32(kFlashRegs + FC::kOptKeyr, FC::kOptKey2);
        const std::uint32_t protect1 = 0x0fffaaecu & ~(1u << (FC::kNwrpShift + 1));
        bus.write32(kFlashRegs + FC::kOptCr, protect1 | FC::kOptStrt);
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kSer | 1u << FC::kSnbShift | FC::kStrt);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kWrpErr);
        QCOMPARE(t->flash().totalErases(), quint64(0));
        bus.write32(kFlashRegs + FC::kSr, FC::kWrpErr);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg);
        bus.write8(0x08004000, 0);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), FC::kWrpErr);
        QCOMPARE(bus.read8(0x08004000), std::uint8_t(0xff));
        bus.write32(kFlashRegs + FC::kSr, FC::kWrpErr);
        bus.write8(0x08000000, 0); // sector 0 is not protected
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        QCOMPARE(bus.read8(0x08000000), std::uint8_t(0));
        // The option bytes survive a reset; OPTCR comes back locked.
        t->core().systemReset();
        QCOMPARE(bus.read32(kFlashRegs + FC::kOptCr), protect1 | FC::kOptLock);
    }

    void stuckSectorKeepsItsContent() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        t->flashController().setStuck(0);
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg);
        bus.write8(0x08000000, 0x5a);
        bus.write8(0x08004000, 0x5a);
        QCOMPARE(bus.read32(kFlashRegs + FC::kSr), 0u);
        QCOMPARE(bus.read8(0x08000000), std::uint8_t(0xff));
        QCOMPARE(bus.read8(0x08004000), std::uint8_t(0x5a));
    }

    void holdComesWithTheFirstProgramThatReachesItsOffset() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        FC& c = t->flashController();
        c.setHoldAt(0x4800);
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg | 2u << FC::kPsizeShift); // x32
        bus.write32(0x080047f8, 0x11111111);
        QVERIFY(!c.held());
        bus.write32(0x080047fc, 0x22222222); // its last byte is 0x47ff: not yet
        QVERIFY(!c.held());
        bus.write32(0x08004800, 0x33333333);
        QVERIFY(c.held());
        QCOMPARE(bus.read32(0x08004800), 0x33333333u); // held after programming, not instead
        c.release();
        QVERIFY(!c.held());
        bus.write32(0x08004804, 0x44444444); // a hold comes once
        QVERIFY(!c.held());
    }

    void haltAndRegisterAccess() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        QVERIFY(!t->core().halted());
        QVERIFY(bus.read32(kDhcsr) & CortexM4::kSResetSt);           // since power-on
        QVERIFY(!(bus.read32(kDhcsr) & CortexM4::kSResetSt));        // sticky: cleared by the read
        bus.write32(kDhcsr, CortexM4::kCDebugEn | CortexM4::kCHalt); // no key: ignored
        QVERIFY(!t->core().halted());
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        QVERIFY(t->core().halted());
        const std::uint32_t dhcsr = bus.read32(kDhcsr);
        QVERIFY(dhcsr & CortexM4::kSHalt);
        QVERIFY(dhcsr & CortexM4::kSRegRdy);
        bus.write32(kDcrdr, 0xcafef00d);
        bus.write32(kDcrsr, 1u << 16 | 7); // write r7
        bus.write32(kDcrdr, 0);
        bus.write32(kDcrsr, 7); // read r7
        QCOMPARE(bus.read32(kDcrdr), 0xcafef00du);
        QCOMPARE(t->core().registers().get(7), 0xcafef00du);
        // Resumed in flash, the application "runs" until halted again.
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(!t->core().halted());
        QVERIFY(!(bus.read32(kDhcsr) & CortexM4::kSHalt));
    }

    void resumeAtABreakpointHaltsAtOnce() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        bus.write32(0xe0002000, 3);                           // FP_CTRL: KEY | ENABLE
        bus.write32(0xe0002008, 0x08000100u | 1u << 30 | 1u); // COMP0: lower half-word of 0x08000100
        QVERIFY(t->core().registers().pc() != 0x08000100u);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        t->core().registers().setPc(0x08000100);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(t->core().halted());
        QVERIFY(t->core().dfsr() & CortexM4::kDfsrBkpt);
        // The upper half-word of the same word is not covered by REPLACE = 01: the core runs.
        bus.write32(0xe000ed30, 0x1f);
        t->core().registers().setPc(0x08000102);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(!t->core().halted());
        // A single step halts again where it was.
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCStep);
        QVERIFY(t->core().halted());
        QCOMPARE(t->core().registers().pc(), 0x08000102u);
    }

    void systemResetLoadsVectorsAndCatches() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        // A vector table in flash: SP 0x20020000, reset handler 0x08000101 (Thumb).
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg | 2u << FC::kPsizeShift);
        bus.write32(0x08000000, 0x20020000);
        bus.write32(0x08000004, 0x08000101);
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr) & FC::kLock, 0u);

        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        bus.write32(kDemcr, CortexM4::kVcCoreReset);
        bus.read32(kDhcsr);
        bus.write32(kAircr, CortexM4::kVectKey | CortexM4::kSysResetReq);
        QVERIFY(t->core().halted());
        QVERIFY(t->core().dfsr() & CortexM4::kDfsrVcatch);
        QVERIFY(bus.read32(kDhcsr) & CortexM4::kSResetSt);
        CoreRegisters& r = t->core().registers();
        QCOMPARE(r.pc(), 0x08000100u);
        QCOMPARE(r.get(CoreRegisters::SP), 0x20020000u);
        QCOMPARE(r.get(CoreRegisters::kXpsr), 0x01000000u);
        QCOMPARE(bus.read32(kFlashRegs + FC::kCr), FC::kLock); // the flash controller was reset too
        // Without the vector catch the core runs after reset.
        bus.write32(kDemcr, 0);
        bus.write32(kAircr, CortexM4::kVectKey | CortexM4::kSysResetReq);
        QVERIFY(!t->core().halted());
        QCOMPARE(bus.read32(kAircr) >> 16, 0xfa05u);
    }

    void crcRoutineInSram() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        const std::uint32_t code = 0x20000000;
        // Not OpenOCD's bytes, just their shape: some code, a bkpt, the polynomial in a literal pool.
        poke(bus, code, {0x20004602, 0xbf00bf00, 0xbe00bf00, 0x04c11db7});
        const char text[] = "123456789";
        for (int i = 0; i < 9; ++i)
            bus.write8(0x20001000 + i, std::uint8_t(text[i]));
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        CoreRegisters& r = t->core().registers();
        r.set(0, 0x20001000);
        r.set(1, 9);
        r.setPc(code);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(t->core().halted());
        QVERIFY(t->core().dfsr() & CortexM4::kDfsrBkpt);
        QCOMPARE(r.pc(), code + 10);
        QCOMPARE(r.get(0), 0x0376e6e7u); // CRC-32/MPEG-2 check value
    }

    void unknownRoutineHaltsAtItsBreakpoint() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        // A 32-bit instruction whose second half looks like a bkpt must not stop the search.
        poke(bus, 0x20000400, {0xbe00f8d1, 0xbf00bf00, 0x0000be01});
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        t->core().registers().setPc(0x20000400);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(t->core().halted());
        QCOMPARE(t->core().registers().pc(), 0x20000408u);
    }

    void flashLoaderFifo() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        const std::uint32_t code = 0x20000000, fifo = 0x20000100, fifoEnd = 0x20000120;
        poke(bus, code, {0x8000f8d0, 0xbf00bf00, 0xbf00be00, 0x00000101});
        poke(bus, fifo, {fifo + 8, fifo + 8});
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kSer | 0u << FC::kSnbShift | FC::kStrt);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        CoreRegisters& r = t->core().registers();
        r.set(0, fifo);
        r.set(1, fifoEnd);
        r.set(2, 0x08000000);
        r.set(3, 20); // half-words: 40 bytes, more than the 24-byte FIFO holds
        r.set(4, kFlashRegs);
        r.setPc(code);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(t->core().runningRoutine()); // waiting for data

        // Feed it as OpenOCD does: fill what is free, move the write pointer, let the core catch up.
        std::vector<std::uint8_t> data(40);
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = std::uint8_t(0x80 + i);
        std::uint32_t wp = fifo + 8;
        std::size_t sent = 0;
        while (sent < data.size()) {
            const std::uint32_t rp = bus.read32(fifo + 4);
            QVERIFY(rp != 0);
            std::uint32_t room = rp > wp ? rp - wp - 2 : (rp > fifo + 8 ? fifoEnd - wp : fifoEnd - wp - 2);
            room = std::min<std::uint32_t>(room, std::uint32_t(data.size() - sent));
            for (std::uint32_t i = 0; i < room; ++i)
                bus.write8(wp + i, data[sent + i]);
            sent += room;
            wp += room;
            if (wp >= fifoEnd)
                wp = fifo + 8;
            bus.write32(fifo, wp);
            t->core().service();
        }
        QVERIFY(t->core().halted());
        QCOMPARE(r.pc(), code + 8);
        QCOMPARE(r.get(0), 0u); // SR: no error
        QCOMPARE(r.get(3), 0u);
        QCOMPARE(flashBytes(*t, 0, 40), data);
        QCOMPARE(t->flash().bytesProgrammed(), quint64(40));
    }

    void flashLoaderKeepsTheDatasheetPace() {
        auto t = makeTarget();
        auto clock = std::make_shared<FlashTiming::Clock::time_point>();
        t->setFlashTiming(steppedDatasheetTiming(clock));
        Bus& bus = t->bus();
        const std::uint32_t code = 0x20000000, fifo = 0x20000100, fifoEnd = 0x20000200;
        poke(bus, code, {0x8000f8d0, 0xbf00bf00, 0xbf00be00, 0x00000101});
        poke(bus, fifo, {fifo + 8 + 200, fifo + 8}); // 100 half-words already in the FIFO
        unlockFlash(bus);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        CoreRegisters& r = t->core().registers();
        r.set(0, fifo);
        r.set(1, fifoEnd);
        r.set(2, 0x08000000);
        r.set(3, 100);
        r.set(4, kFlashRegs);
        r.setPc(code);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        // 16 us a half-word, counted from when the loader first saw data.
        QCOMPARE(t->flash().bytesProgrammed(), quint64(0));
        *clock += std::chrono::microseconds(16 * 10 + 5);
        t->core().service();
        QCOMPARE(t->flash().bytesProgrammed(), quint64(20));
        QCOMPARE(bus.read32(fifo + 4), fifo + 8 + 20);
        *clock += std::chrono::microseconds(16 * 89);
        t->core().service();
        QCOMPARE(t->flash().bytesProgrammed(), quint64(198));
        QVERIFY(t->core().runningRoutine());
        *clock += std::chrono::microseconds(16);
        t->core().service();
        QVERIFY(t->core().halted());
        QCOMPARE(t->flash().bytesProgrammed(), quint64(200));
    }

    void eraseCheckRoutine() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        unlockFlash(bus);
        bus.write32(kFlashRegs + FC::kCr, FC::kPg);
        bus.write8(0x08008010, 0x7f); // one bit programmed in sector 2
        poke(bus, 0x20000000, {0x42126802, 0x6843d00d, 0x0000be00});
        poke(bus, 0x20000100, {0x1000, 0x08000000, 0x1000, 0x08008000, 0});
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        CoreRegisters& r = t->core().registers();
        r.set(0, 0x20000100);
        r.set(1, 0xffffffff);
        r.setPc(0x20000000);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(t->core().halted());
        QCOMPARE(r.pc(), 0x20000008u);
        QCOMPARE(bus.read32(0x20000100), 1u); // sector 0 erased
        QCOMPARE(bus.read32(0x20000108), 0u); // sector 2 not
    }

    void flashLoaderStopsOnError() {
        auto t = makeTarget();
        Bus& bus = t->bus();
        const std::uint32_t code = 0x20000000, fifo = 0x20000100;
        poke(bus, code, {0x8000f8d0, 0xbf00be00});
        poke(bus, fifo, {fifo + 10, fifo + 8, 0x00000000});
        // Flash still locked: the loader's CR write is ignored, its program is PGSERR.
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn | CortexM4::kCHalt);
        CoreRegisters& r = t->core().registers();
        r.set(0, fifo);
        r.set(1, fifo + 0x20);
        r.set(2, 0x08000000);
        r.set(3, 1);
        r.set(4, kFlashRegs);
        r.setPc(code);
        bus.write32(kDhcsr, CortexM4::kDbgKey | CortexM4::kCDebugEn);
        QVERIFY(t->core().halted());
        QCOMPARE(bus.read32(fifo + 4), 0u); // read pointer 0: the debugger's sign of failure
        QCOMPARE(r.get(0), FC::kPgsErr);
    }
};

QTEST_GUILESS_MAIN(TestEmuStm32f4)
#include "tst_emu_stm32f4.moc"
