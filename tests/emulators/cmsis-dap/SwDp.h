// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "DebugPort.h"

#include <cstdint>
#include <map>

namespace flashplan::emu {

/// The acknowledge of one SWD transaction, with CMSIS-DAP's numbering (DAP_Transfer's response bits).
enum class SwdAck : std::uint8_t {
    Ok = 1,
    Wait = 2,
    Fault = 4,
    NoAck = 7, ///< nothing drove the line: a protocol error as the probe sees it
};

/// An ADIv5 SW-DP at register level, as a CMSIS-DAP probe reaches it with DAP_Transfer (the probe hides
/// SWD's posted AP reads, so an AP read answers with its own value; RDBUFF keeps it too):
///  - DP 0x0: read DPIDR (0x2ba01477 for the STM32F4's SWJ-DP), write ABORT (STKCMPCLR, STKERRCLR,
///    WDERRCLR, ORUNERRCLR clear their sticky flags; DAPABORT has nothing to cancel);
///  - DP 0x4: CTRL/STAT (SELECT.CTRLSEL 0) with the power-up and debug-reset requests acknowledged at
///    once, or WCR (CTRLSEL 1); in SWD the sticky flags are read-only, cleared only through ABORT;
///  - DP 0x8: read RESEND (the last value read), write SELECT (APSEL, APBANKSEL, CTRLSEL);
///  - DP 0xc: read RDBUFF (the last AP read, no new transaction).
/// A line reset puts the DP in its reset state, where it answers nothing but a read of DPIDR. While a
/// sticky flag is set, every transaction but DPIDR, CTRL/STAT and RESEND reads and ABORT writes is
/// answered FAULT and has no effect, as ADIv5 says.
///
/// Faults a test can inject (setApFault): every AP transaction fails (FAULT, sets STICKYERR), or the AP
/// never finishes (WAIT to AP transactions and RDBUFF reads, for ever, whatever ABORT says).
class SwDp {
public:
    static constexpr std::uint32_t kStm32f4Dpidr = 0x2ba01477;

    static constexpr std::uint8_t kDpidr = 0x0; ///< read; a write there is ABORT
    static constexpr std::uint8_t kCtrlStat = 0x4;
    static constexpr std::uint8_t kSelect = 0x8; ///< write; a read there is RESEND
    static constexpr std::uint8_t kRdBuff = 0xc;

    // ABORT bits
    static constexpr std::uint32_t kDapAbort = 1u << 0;
    static constexpr std::uint32_t kStkCmpClr = 1u << 1;
    static constexpr std::uint32_t kStkErrClr = 1u << 2;
    static constexpr std::uint32_t kWdErrClr = 1u << 3;
    static constexpr std::uint32_t kOrunErrClr = 1u << 4;
    // CTRL/STAT sticky bits besides DebugPort's
    static constexpr std::uint32_t kWDataErr = 1u << 7;
    static constexpr std::uint32_t kReadOk = 1u << 6;

    enum class ApFault { None, Fault, Wait };

    explicit SwDp(std::uint32_t dpidr = kStm32f4Dpidr) : dpidr_(dpidr) {}

    /// APs by APSEL; an APSEL with none reads as 0 (IDR 0 ends a debugger's search).
    void attach(std::uint8_t apsel, AccessPort& ap) { aps_[apsel] = &ap; }

    struct Reply {
        SwdAck ack;
        std::uint32_t value = 0; ///< a read's data when ack is Ok
    };
    /// One SWD read of DP (`ap` false) or AP register A[3:2] (`address` 0x0, 0x4, 0x8, 0xc).
    Reply read(bool ap, std::uint8_t address);
    /// One SWD write.
    SwdAck write(bool ap, std::uint8_t address, std::uint32_t value);
    /// A line reset (50 or more SWDIO high, then idle).
    void lineReset();

    void setApFault(ApFault fault) { apFault_ = fault; }
    ApFault apFault() const { return apFault_; }

    std::uint32_t ctrlStat() const { return ctrlStat_; }
    std::uint32_t select() const { return select_; }
    bool inResetState() const { return resetState_; }

private:
    bool sticky() const;
    Reply readDp(std::uint8_t address);
    SwdAck writeDp(std::uint8_t address, std::uint32_t value);
    AccessPort* selectedAp() const;

    std::uint32_t dpidr_;
    std::map<std::uint8_t, AccessPort*> aps_;
    std::uint32_t ctrlStat_ = 0;
    std::uint32_t select_ = 0;
    std::uint32_t wcr_ = 0;
    std::uint32_t lastRead_ = 0;   ///< RESEND
    std::uint32_t lastApRead_ = 0; ///< RDBUFF
    bool resetState_ = true;       ///< after power-on or a line reset, until DPIDR is read
    ApFault apFault_ = ApFault::None;
};

} // namespace flashplan::emu
