// SPDX-License-Identifier: Apache-2.0
#include "DebugPort.h"

namespace flashplan::emu {

namespace {
struct Transaction {
    bool read;
    std::uint8_t address; // A[3:2] << 2
    std::uint32_t data;
};

Transaction decode(std::uint64_t scan) {
    return Transaction{(scan & 1) != 0, static_cast<std::uint8_t>((scan >> 1 & 3) << 2),
                       static_cast<std::uint32_t>(scan >> 3)};
}
} // namespace

std::uint32_t DebugPort::readDp(std::uint8_t address) {
    switch (address) {
    case kCtrlStat:
        return ctrlStat_;
    case kSelect:
        return select_;
    default:
        // 0x0 is reserved on a JTAG-DP of ADIv5.0 (no DPIDR); RDBUFF reads as 0 and has no side effect.
        return 0;
    }
}

void DebugPort::writeDp(std::uint8_t address, std::uint32_t value) {
    switch (address) {
    case kCtrlStat: {
        constexpr std::uint32_t sticky = kStickyErr | kStickyCmp | kStickyOrun | (1u << 7); // + WDATAERR
        constexpr std::uint32_t requests = kCsysPwrUpReq | kCdbgPwrUpReq | kCdbgRstReq;
        constexpr std::uint32_t controls = 0x00ffff0du; // TRNCNT, MASKLANE, TRNMODE, ORUNDETECT
        std::uint32_t next = (ctrlStat_ & sticky & ~value) | (value & (requests | controls));
        // Power and reset requests are granted at once.
        if (next & kCsysPwrUpReq)
            next |= kCsysPwrUpAck;
        if (next & kCdbgPwrUpReq)
            next |= kCdbgPwrUpAck;
        if (next & kCdbgRstReq)
            next |= kCdbgRstAck;
        ctrlStat_ = next;
        break;
    }
    case kSelect:
        select_ = value;
        break;
    default:
        break;
    }
}

void DebugPort::dpacc(std::uint64_t scan) {
    const Transaction t = decode(scan);
    if (!t.read) {
        writeDp(t.address, t.data);
        return;
    }
    // A read of RDBUFF leaves the previous result to be captured again: it is how a debugger collects the
    // last AP read without starting another.
    if (t.address != kRdBuff)
        readResult_ = readDp(t.address);
}

void DebugPort::apacc(std::uint64_t scan) {
    const Transaction t = decode(scan);
    const std::uint8_t apsel = static_cast<std::uint8_t>(select_ >> 24);
    const std::uint8_t address = static_cast<std::uint8_t>((select_ & 0xf0) | t.address);
    const auto it = aps_.find(apsel);
    if (t.read)
        readResult_ = it == aps_.end() ? 0 : it->second->readRegister(address);
    else if (it != aps_.end())
        it->second->writeRegister(address, t.data);
}

void DebugPort::abort(std::uint64_t) {
    // DAPABORT cancels a transaction in progress; none ever is.
}

unsigned DapTap::drLength(std::uint32_t instruction) const {
    switch (instruction) {
    case kAbort:
    case kDpacc:
    case kApacc:
        return 35;
    case kIdcode:
        return 32;
    default:
        return 1;
    }
}

std::uint64_t DapTap::captureDr(std::uint32_t instruction) {
    switch (instruction) {
    case kAbort:
    case kDpacc:
    case kApacc:
        return dp_.capture();
    case kIdcode:
        return idcode_;
    default:
        return 0;
    }
}

void DapTap::updateDr(std::uint32_t instruction, std::uint64_t value) {
    switch (instruction) {
    case kAbort:
        dp_.abort(value);
        break;
    case kDpacc:
        dp_.dpacc(value);
        break;
    case kApacc:
        dp_.apacc(value);
        break;
    default:
        break;
    }
}

} // namespace flashplan::emu
