// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "JtagTap.h"

#include <cstdint>
#include <map>

namespace flashplan::emu {

/// An ADIv5 access port: 64 registers addressed by SELECT.APBANKSEL and A[3:2].
class AccessPort {
public:
    virtual ~AccessPort() = default;
    /// `address` is the register offset 0x00..0xfc.
    virtual std::uint32_t readRegister(std::uint8_t address) = 0;
    virtual void writeRegister(std::uint8_t address, std::uint32_t value) = 0;
};

/// ADIv5 JTAG-DP: the DPACC/APACC/ABORT transactions of 35-bit scans. A scan's update starts a transaction;
/// the next scan's capture returns a 3-bit ACK and the 32 bits the transaction read (ADIv5's posted reads:
/// an AP read's value arrives one scan later, collected by a read of RDBUFF). Transactions complete at
/// once, so the ACK is always OK and never WAIT. CTRL/STAT acknowledges each power-up/reset request as
/// soon as it is made; its sticky flags are cleared by writing 1s, as on any JTAG-DP.
class DebugPort {
public:
    static constexpr std::uint8_t kAckOkFault = 0b010;
    static constexpr std::uint8_t kAckWait = 0b001;

    // DP register offsets (A[3:2] << 2).
    static constexpr std::uint8_t kCtrlStat = 0x4;
    static constexpr std::uint8_t kSelect = 0x8;
    static constexpr std::uint8_t kRdBuff = 0xc;

    // CTRL/STAT bits.
    static constexpr std::uint32_t kCsysPwrUpAck = 1u << 31;
    static constexpr std::uint32_t kCsysPwrUpReq = 1u << 30;
    static constexpr std::uint32_t kCdbgPwrUpAck = 1u << 29;
    static constexpr std::uint32_t kCdbgPwrUpReq = 1u << 28;
    static constexpr std::uint32_t kCdbgRstAck = 1u << 27;
    static constexpr std::uint32_t kCdbgRstReq = 1u << 26;
    static constexpr std::uint32_t kStickyErr = 1u << 5;
    static constexpr std::uint32_t kStickyCmp = 1u << 4;
    static constexpr std::uint32_t kStickyOrun = 1u << 1;

    /// APs by APSEL; an APSEL with none reads as 0 (an absent AP: IDR 0 ends a debugger's search).
    void attach(std::uint8_t apsel, AccessPort& ap) { aps_[apsel] = &ap; }

    /// The 35 bits a DPACC/APACC/ABORT scan captures: ACK in [2:0], the last read value in [34:3].
    std::uint64_t capture() const { return (std::uint64_t(readResult_) << 3) | kAckOkFault; }

    /// A 35-bit scan's content: RnW in bit 0, A[3:2] in bits [2:1], data in [34:3].
    void dpacc(std::uint64_t scan);
    void apacc(std::uint64_t scan);
    void abort(std::uint64_t scan);

    std::uint32_t ctrlStat() const { return ctrlStat_; }
    std::uint32_t select() const { return select_; }
    /// Marks a failed AP transfer in CTRL/STAT (STICKYERR), for APs that fault.
    void setStickyError() { ctrlStat_ |= kStickyErr; }

private:
    std::uint32_t readDp(std::uint8_t address);
    void writeDp(std::uint8_t address, std::uint32_t value);

    std::map<std::uint8_t, AccessPort*> aps_;
    std::uint32_t ctrlStat_ = 0;
    std::uint32_t select_ = 0;
    std::uint32_t readResult_ = 0;
};

/// The Cortex-M4's JTAG-DP TAP: a 4-bit IR capturing 0b0001, ABORT (0x8), DPACC (0xa) and APACC (0xb) with
/// 35-bit data registers, IDCODE (0xe), and BYPASS for every other instruction.
class DapTap final : public JtagTap {
public:
    static constexpr std::uint32_t kAbort = 0x8;
    static constexpr std::uint32_t kDpacc = 0xa;
    static constexpr std::uint32_t kApacc = 0xb;
    static constexpr std::uint32_t kIdcode = 0xe;
    static constexpr std::uint32_t kBypass = 0xf;

    DapTap(DebugPort& dp, std::uint32_t idcode) : dp_(dp), idcode_(idcode) {}

    unsigned irLength() const override { return 4; }
    std::uint32_t irCapture() const override { return 0b0001; }
    std::uint32_t resetInstruction() const override { return kIdcode; }
    unsigned drLength(std::uint32_t instruction) const override;
    std::uint64_t captureDr(std::uint32_t instruction) override;
    void updateDr(std::uint32_t instruction, std::uint64_t value) override;

private:
    DebugPort& dp_;
    std::uint32_t idcode_;
};

} // namespace flashplan::emu
