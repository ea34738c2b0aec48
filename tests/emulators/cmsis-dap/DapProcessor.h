// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "SwDp.h"

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace flashplan::emu {

/// What the probe says about itself in DAP_Info.
struct DapIdentity {
    std::string vendor = "Flashplan";
    std::string product = "Flashplan emulated CMSIS-DAP";
    std::string serial;
    std::string firmwareVersion = "2.1.0";
    /// OpenOCD 0.12 queues only 12 transfers per packet when this equals the endpoint's wMaxPacketSize
    /// (512), and (size - 4) / 5 when it differs: 1024 gives it 204.
    std::uint16_t packetSize = 1024;
    std::uint8_t packetCount = 4;
};

/// What the probe was asked and answered, for tests.
struct DapCounters {
    std::array<unsigned, 256> commands{}; ///< per command byte
    unsigned unknownCommands = 0;
    unsigned transfers = 0;  ///< SWD transactions carried out (DAP_Transfer and DAP_TransferBlock)
    unsigned waitAcks = 0;   ///< WAIT acknowledges seen, retries included
    unsigned faultAcks = 0;  ///< FAULT acknowledges
    unsigned noAcks = 0;     ///< transactions nothing answered
    unsigned lineResets = 0; ///< line resets seen in DAP_SWJ_Sequence
    unsigned resets = 0;     ///< nRESET assertions (DAP_SWJ_Pins)
    std::uint32_t clockHz = 0;
    std::uint8_t connectedPort = 0; ///< 1 SWD, 0 disconnected
};

/// The CMSIS-DAP command set of a v2 probe with SWD only (DAP.c of the CMSIS-DAP firmware is the
/// reference for the byte layouts), over a register-level SW-DP:
///  - DAP_Info (vendor, product, serial, protocol and firmware versions, capabilities: SWD, packet size
///    and count), DAP_HostStatus, DAP_Connect (default or SWD; JTAG refused with port 0),
///    DAP_Disconnect, DAP_Delay, DAP_ResetTarget (no reset sequence: answers 0);
///  - DAP_TransferConfigure (idle cycles, WAIT retries, match retries), DAP_Transfer (DP/AP reads and
///    writes, value match and match mask, timestamps as 0), DAP_TransferBlock, DAP_WriteABORT: a WAIT
///    is retried as often as configured, then reported; FAULT and no-ack end the command;
///  - DAP_SWJ_Pins (nRESET driven into the target's reset), DAP_SWJ_Clock, DAP_SWJ_Sequence (a line
///    reset is 50 or more 1s followed by a 0), DAP_SWD_Configure.
/// Any other command byte is answered 0xff, as the firmware does (ID_DAP_Invalid).
class DapProcessor {
public:
    DapProcessor(SwDp& dp, DapIdentity identity) : dp_(dp), identity_(std::move(identity)) {}

    /// One command packet in, its response out.
    std::vector<std::uint8_t> execute(std::span<const std::uint8_t> command);

    /// Called with true when nRESET is driven low, false when released.
    void setResetHook(std::function<void(bool)> hook) { resetHook_ = std::move(hook); }
    /// Called after every SWD transaction, so the probe can act on what the target did (fault triggers).
    void setTransferHook(std::function<void()> hook) { transferHook_ = std::move(hook); }
    /// True when the hook asked to stop: the command ends where it is, with no response (the probe is gone).
    void abandon() { abandoned_ = true; }
    bool abandoned() const { return abandoned_; }

    const DapCounters& counters() const { return counters_; }
    const DapIdentity& identity() const { return identity_; }

private:
    std::vector<std::uint8_t> info(std::uint8_t id) const;
    std::vector<std::uint8_t> transfer(std::span<const std::uint8_t> command);
    std::vector<std::uint8_t> transferBlock(std::span<const std::uint8_t> command);
    std::vector<std::uint8_t> swjPins(std::span<const std::uint8_t> command);
    void swjSequence(std::span<const std::uint8_t> command);
    /// One transaction with WAIT retries; counts acks.
    SwDp::Reply transact(std::uint8_t request, std::uint32_t data);

    SwDp& dp_;
    DapIdentity identity_;
    DapCounters counters_;
    std::function<void(bool)> resetHook_;
    std::function<void()> transferHook_;
    bool abandoned_ = false;
    std::uint16_t waitRetry_ = 100;
    std::uint16_t matchRetry_ = 0;
    std::uint32_t matchMask_ = 0xffffffff;
    std::uint8_t pins_ = 0xaf; ///< SWCLK, SWDIO, TDI, TDO, nTRST, nRESET high
    unsigned ones_ = 0;        ///< consecutive 1s clocked out by DAP_SWJ_Sequence
};

} // namespace flashplan::emu
