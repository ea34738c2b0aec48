// SPDX-License-Identifier: Apache-2.0
#include "SwDp.h"

namespace flashplan::emu {

namespace {
constexpr std::uint32_t kCtrlSel = 1u << 0;
constexpr std::uint32_t kStickyFlags =
    DebugPort::kStickyErr | DebugPort::kStickyCmp | DebugPort::kStickyOrun | SwDp::kWDataErr;
} // namespace

bool SwDp::sticky() const {
    return (ctrlStat_ & kStickyFlags) != 0;
}

AccessPort* SwDp::selectedAp() const {
    const auto it = aps_.find(static_cast<std::uint8_t>(select_ >> 24));
    return it == aps_.end() ? nullptr : it->second;
}

void SwDp::lineReset() {
    resetState_ = true;
}

SwDp::Reply SwDp::read(bool ap, std::uint8_t address) {
    address &= 0xc;
    if (resetState_ && (ap || address != kDpidr))
        return {SwdAck::NoAck};
    if (!ap)
        return readDp(address);
    if (sticky())
        return {SwdAck::Fault};
    if (apFault_ == ApFault::Wait)
        return {SwdAck::Wait};
    if (apFault_ == ApFault::Fault) {
        ctrlStat_ |= DebugPort::kStickyErr;
        return {SwdAck::Fault};
    }
    AccessPort* port = selectedAp();
    const std::uint8_t reg = static_cast<std::uint8_t>((select_ & 0xf0) | address);
    lastApRead_ = lastRead_ = port ? port->readRegister(reg) : 0;
    ctrlStat_ |= kReadOk;
    return {SwdAck::Ok, lastApRead_};
}

SwdAck SwDp::write(bool ap, std::uint8_t address, std::uint32_t value) {
    address &= 0xc;
    if (resetState_)
        return SwdAck::NoAck;
    if (!ap)
        return writeDp(address, value);
    if (sticky())
        return SwdAck::Fault;
    if (apFault_ == ApFault::Wait)
        return SwdAck::Wait;
    if (apFault_ == ApFault::Fault) {
        ctrlStat_ |= DebugPort::kStickyErr;
        return SwdAck::Fault;
    }
    if (AccessPort* port = selectedAp())
        port->writeRegister(static_cast<std::uint8_t>((select_ & 0xf0) | address), value);
    return SwdAck::Ok;
}

SwDp::Reply SwDp::readDp(std::uint8_t address) {
    Reply r{SwdAck::Ok};
    switch (address) {
    case kDpidr:
        resetState_ = false;
        r.value = dpidr_;
        break;
    case kCtrlStat:
        r.value = (select_ & kCtrlSel) ? wcr_ : ctrlStat_;
        break;
    case kSelect: // RESEND
        r.value = lastRead_;
        break;
    default: // RDBUFF
        if (sticky())
            return {SwdAck::Fault};
        if (apFault_ == ApFault::Wait)
            return {SwdAck::Wait};
        r.value = lastApRead_;
        break;
    }
    lastRead_ = r.value;
    return r;
}

SwdAck SwDp::writeDp(std::uint8_t address, std::uint32_t value) {
    if (address != kDpidr && sticky())
        return SwdAck::Fault;
    switch (address) {
    case kDpidr: { // ABORT
        std::uint32_t clear = 0;
        if (value & kStkCmpClr)
            clear |= DebugPort::kStickyCmp;
        if (value & kStkErrClr)
            clear |= DebugPort::kStickyErr;
        if (value & kWdErrClr)
            clear |= kWDataErr;
        if (value & kOrunErrClr)
            clear |= DebugPort::kStickyOrun;
        ctrlStat_ &= ~clear;
        break;
    }
    case kCtrlStat: {
        if (select_ & kCtrlSel) {
            wcr_ = value;
            break;
        }
        constexpr std::uint32_t requests =
            DebugPort::kCsysPwrUpReq | DebugPort::kCdbgPwrUpReq | DebugPort::kCdbgRstReq;
        constexpr std::uint32_t controls = 0x00ffff0du; // TRNCNT, MASKLANE, TRNMODE, ORUNDETECT
        std::uint32_t next = (ctrlStat_ & kStickyFlags) | (value & (requests | controls));
        // Power and reset requests are granted at once.
        if (next & DebugPort::kCsysPwrUpReq)
            next |= DebugPort::kCsysPwrUpAck;
        if (next & DebugPort::kCdbgPwrUpReq)
            next |= DebugPort::kCdbgPwrUpAck;
        if (next & DebugPort::kCdbgRstReq)
            next |= DebugPort::kCdbgRstAck;
        ctrlStat_ = next;
        break;
    }
    case kSelect:
        select_ = value;
        break;
    default: // 0xc: TARGETSEL on multi-drop DPs; nothing here
        break;
    }
    return SwdAck::Ok;
}

} // namespace flashplan::emu
