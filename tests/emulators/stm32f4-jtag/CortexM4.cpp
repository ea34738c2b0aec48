// SPDX-License-Identifier: Apache-2.0
#include "CortexM4.h"

namespace flashplan::emu {

namespace {
constexpr std::uint32_t kControlBits = CortexM4::kCDebugEn | CortexM4::kCHalt | CortexM4::kCStep |
                                       CortexM4::kCMaskInts | (1u << 5); // + C_SNAPSTALL
constexpr std::uint32_t kDemcrWritable = 0x010f07f1u;                    // TRCENA, MON_*, VC_*
constexpr std::uint32_t kRegWnR = 1u << 16;
constexpr std::uint32_t kIctr = 0x004;
constexpr std::uint32_t kVtor = 0xd08;
constexpr std::uint32_t kCcr = 0xd14;
} // namespace

CortexM4::CortexM4(Bus& bus, std::uint32_t sramBase, std::uint32_t sramEnd)
    : CoreSightComponent(CoreSightId{0x00c, 0, 0xe}), bus_(bus), sramBase_(sramBase), sramEnd_(sramEnd) {
    system_.define(0x010, 0x00010007u);  // SYST_CSR
    system_.define(0x014, 0x00ffffffu);  // SYST_RVR
    system_.define(0x018, 0x00ffffffu);  // SYST_CVR
    system_.define(0xd04, 0);            // ICSR: nothing pending
    system_.define(kVtor, 0xffffff80u);  // VTOR
    system_.define(0xd10, 0x16u);        // SCR
    system_.define(kCcr, 0x31bu, 0x200); // CCR, STKALIGN
    for (std::uint32_t off = 0xd18; off <= 0xd20; off += 4)
        system_.define(off, 0xf0f0f0f0u); // SHPR1-3: four priority bits
    system_.define(0xd24, 0x0007ffffu);   // SHCSR
    for (std::uint32_t off = 0xd28; off <= 0xd3c; off += 4)
        if (off != kDfsr)
            system_.define(off, 0xffffffffu); // CFSR, HFSR, MMFAR, BFAR, AFSR
    system_.define(0xd88, 0);                 // CPACR: no coprocessors
}

void CortexM4::powerOn() {
    control_ = 0;
    demcr_ = 0;
    dfsr_ = 0;
    dcrdr_ = 0;
    coreReset();
    run_ = Run::Running;
}

void CortexM4::systemReset() {
    if (systemResetHook_)
        systemResetHook_();
    coreReset();
}

void CortexM4::coreReset() {
    routine_.reset();
    for (std::uint32_t off : {0x010u, 0x014u, 0x018u, kVtor, 0xd10u, kCcr, 0xd18u, 0xd1cu, 0xd20u, 0xd24u})
        system_.write(off, 0, 0xffffffffu);
    prigroup_ = 0;
    // The vector table is at 0 after reset: the boot alias of the flash.
    regs_.reset(bus_.read32(0x0), bus_.read32(0x4));
    resetSticky_ = true;
    if ((control_ & kCDebugEn) && (demcr_ & kVcCoreReset)) {
        halt(kDfsrVcatch);
    } else {
        control_ &= ~kCHalt;
        run_ = Run::Running;
        retiredSticky_ = true;
    }
}

void CortexM4::halt(std::uint32_t reason) {
    routine_.reset();
    run_ = Run::Halted;
    control_ |= kCHalt;
    dfsr_ |= reason;
}

void CortexM4::resume(bool step) {
    retiredSticky_ = true;
    if (step) { // one instruction we cannot execute: halt again where we are
        halt(kDfsrHalted);
        return;
    }
    run_ = Run::Running;
    const std::uint32_t pc = regs_.pc();
    if ((fpb_ && fpb_->breaksAt(pc)) || (bus_.read16(pc) & 0xff00) == 0xbe00) {
        halt(kDfsrBkpt);
        return;
    }
    if (pc >= sramBase_ && pc < sramEnd_) {
        routine_ = recogniseRamRoutine(bus_, regs_, sramEnd_, flashTiming_);
        if (routine_) {
            run_ = Run::Routine;
            service();
        }
    }
}

void CortexM4::service() {
    if (run_ != Run::Routine || !routine_->run(bus_, regs_))
        return;
    regs_.setPc(routine_->breakpoint());
    halt(kDfsrBkpt);
}

void CortexM4::writeDhcsr(std::uint32_t value) {
    if ((value & 0xffff0000u) != kDbgKey)
        return;
    control_ = value & kControlBits;
    const bool debugging = control_ & kCDebugEn;
    if (run_ != Run::Halted) {
        if (debugging && (control_ & kCHalt))
            halt(kDfsrHalted);
        return;
    }
    if (!debugging || !(control_ & kCHalt))
        resume(debugging && (control_ & kCStep));
}

void CortexM4::writeDcrsr(std::uint32_t value) {
    const unsigned regsel = value & 0x7f;
    if (value & kRegWnR)
        regs_.set(regsel, dcrdr_);
    else
        dcrdr_ = regs_.get(regsel);
}

void CortexM4::writeAircr(std::uint32_t value) {
    if ((value & 0xffff0000u) != kVectKey)
        return;
    prigroup_ = value >> 8 & 7;
    if (value & kSysResetReq)
        systemReset();
    else if (value & kVectReset)
        coreReset();
}

std::uint32_t CortexM4::readComponent(std::uint32_t offset) {
    switch (offset) {
    case kIctr:
        return 2; // INTLINESNUM: up to 96 interrupts (the F407 has 82)
    case kCpuidReg:
        return kCpuid;
    case kAircr:
        return 0xfa050000u | prigroup_ << 8;
    case kDfsr:
        return dfsr_;
    case kDhcsr: {
        std::uint32_t v = control_ | kSRegRdy;
        if (run_ == Run::Halted)
            v |= kSHalt;
        if (retiredSticky_)
            v |= kSRetireSt;
        if (resetSticky_)
            v |= kSResetSt;
        retiredSticky_ = resetSticky_ = false; // sticky until read
        if (run_ != Run::Halted)
            retiredSticky_ = true; // still running: more instructions retire
        return v;
    }
    case kDcrdr:
        return dcrdr_;
    case kDemcr:
        return demcr_;
    default: {
        std::uint32_t v = 0;
        system_.read(offset, v);
        return v;
    }
    }
}

void CortexM4::writeComponent(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    switch (offset) {
    case kAircr:
        if (mask == 0xffffffffu)
            writeAircr(value);
        break;
    case kDfsr:
        dfsr_ &= ~(value & mask & 0x1fu);
        break;
    case kDhcsr:
        if (mask == 0xffffffffu)
            writeDhcsr(value);
        break;
    case kDcrsr:
        if (mask == 0xffffffffu)
            writeDcrsr(value);
        break;
    case kDcrdr:
        dcrdr_ = (dcrdr_ & ~mask) | (value & mask);
        break;
    case kDemcr:
        demcr_ = (demcr_ & ~(mask & kDemcrWritable)) | (value & mask & kDemcrWritable);
        break;
    default:
        system_.write(offset, value, mask);
        break;
    }
}

} // namespace flashplan::emu
