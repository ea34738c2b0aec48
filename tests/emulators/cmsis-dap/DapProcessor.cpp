// SPDX-License-Identifier: Apache-2.0
#include "DapProcessor.h"

namespace flashplan::emu {

namespace {

// Command bytes (CMSIS-DAP 2.x).
enum : std::uint8_t {
    kInfo = 0x00,
    kHostStatus = 0x01,
    kConnect = 0x02,
    kDisconnect = 0x03,
    kTransferConfigure = 0x04,
    kTransfer = 0x05,
    kTransferBlock = 0x06,
    kWriteAbort = 0x08,
    kDelay = 0x09,
    kResetTarget = 0x0a,
    kSwjPins = 0x10,
    kSwjClock = 0x11,
    kSwjSequence = 0x12,
    kSwdConfigure = 0x13,
    kInvalid = 0xff,
};

// DAP_Transfer request bits.
constexpr std::uint8_t kApNDp = 1u << 0;
constexpr std::uint8_t kRnW = 1u << 1;
constexpr std::uint8_t kMatchValue = 1u << 4;
constexpr std::uint8_t kMatchMask = 1u << 5;
constexpr std::uint8_t kTimestamp = 1u << 7;
// Its response: the ack of the last transaction, and the value-mismatch flag.
constexpr std::uint8_t kMismatch = 1u << 4;

constexpr std::uint8_t kPinReset = 1u << 7;
constexpr unsigned kLineResetOnes = 50;

std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
    return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | std::uint32_t(b[at + 3]) << 24;
}

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
    for (int i = 0; i < 4; ++i)
        v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

std::vector<std::uint8_t> infoString(const std::string& s) {
    if (s.empty())
        return {kInfo, 0};
    // The length counts the terminating NUL.
    std::vector<std::uint8_t> r = {kInfo, static_cast<std::uint8_t>(s.size() + 1)};
    r.insert(r.end(), s.begin(), s.end());
    r.push_back(0);
    return r;
}

} // namespace

std::vector<std::uint8_t> DapProcessor::execute(std::span<const std::uint8_t> command) {
    if (command.empty())
        return {kInvalid};
    const std::uint8_t id = command[0];
    ++counters_.commands[id];
    const auto needs = [&](std::size_t n) { return command.size() >= n; };
    switch (id) {
    case kInfo:
        if (needs(2))
            return info(command[1]);
        break;
    case kHostStatus:
        if (needs(3))
            return {kHostStatus, 0};
        break;
    case kConnect:
        if (needs(2)) {
            // 0 is "the default port", SWD here; JTAG is not offered.
            const bool swd = command[1] == 0 || command[1] == 1;
            counters_.connectedPort = swd ? 1 : 0;
            return {kConnect, counters_.connectedPort};
        }
        break;
    case kDisconnect:
        counters_.connectedPort = 0;
        return {kDisconnect, 0};
    case kTransferConfigure:
        if (needs(6)) {
            waitRetry_ = static_cast<std::uint16_t>(command[2] | command[3] << 8);
            matchRetry_ = static_cast<std::uint16_t>(command[4] | command[5] << 8);
            return {kTransferConfigure, 0};
        }
        break;
    case kTransfer:
        if (needs(3))
            return transfer(command);
        break;
    case kTransferBlock:
        if (needs(5))
            return transferBlock(command);
        break;
    case kWriteAbort:
        if (needs(6)) {
            transact(0x00 /* DP write, A 0x0 */, le32(command, 2));
            if (abandoned_)
                return {};
            return {kWriteAbort, 0};
        }
        break;
    case kDelay:
        if (needs(3))
            return {kDelay, 0};
        break;
    case kResetTarget:
        return {kResetTarget, 0, 0}; // no device-specific reset sequence
    case kSwjPins:
        if (needs(7))
            return swjPins(command);
        break;
    case kSwjClock:
        if (needs(5)) {
            counters_.clockHz = le32(command, 1);
            return {kSwjClock, 0};
        }
        break;
    case kSwjSequence:
        if (needs(2)) {
            swjSequence(command);
            return {kSwjSequence, 0};
        }
        break;
    case kSwdConfigure:
        if (needs(2))
            return {kSwdConfigure, 0};
        break;
    default:
        break;
    }
    ++counters_.unknownCommands; // or cut short
    return {kInvalid};
}

std::vector<std::uint8_t> DapProcessor::info(std::uint8_t id) const {
    switch (id) {
    case 0x01:
        return infoString(identity_.vendor);
    case 0x02:
        return infoString(identity_.product);
    case 0x03:
        return infoString(identity_.serial);
    case 0x04:
        return infoString("2.1.0"); // the CMSIS-DAP protocol version
    case 0x09:
        return infoString(identity_.firmwareVersion);
    case 0xf0:
        return {kInfo, 1, 0x01}; // capabilities: SWD
    case 0xfe:
        return {kInfo, 1, identity_.packetCount};
    case 0xff:
        return {kInfo, 2, static_cast<std::uint8_t>(identity_.packetSize),
                static_cast<std::uint8_t>(identity_.packetSize >> 8)};
    default:
        return {kInfo, 0}; // target and board names, timers, UART: not provided
    }
}

SwDp::Reply DapProcessor::transact(std::uint8_t request, std::uint32_t data) {
    ones_ = 0;
    const bool ap = request & kApNDp;
    const auto address = static_cast<std::uint8_t>(request & 0x0c);
    for (unsigned retry = 0;; ++retry) {
        SwDp::Reply r = (request & kRnW) ? dp_.read(ap, address) : SwDp::Reply{dp_.write(ap, address, data)};
        switch (r.ack) {
        case SwdAck::Ok:
            ++counters_.transfers;
            break;
        case SwdAck::Wait:
            ++counters_.waitAcks;
            break;
        case SwdAck::Fault:
            ++counters_.faultAcks;
            break;
        case SwdAck::NoAck:
            ++counters_.noAcks;
            break;
        }
        if (transferHook_)
            transferHook_();
        if (abandoned_ || r.ack != SwdAck::Wait || retry >= waitRetry_)
            return r;
    }
}

std::vector<std::uint8_t> DapProcessor::transfer(std::span<const std::uint8_t> command) {
    const unsigned count = command[2];
    std::vector<std::uint8_t> reply = {kTransfer, 0, static_cast<std::uint8_t>(SwdAck::Ok)};
    std::size_t pos = 3;
    unsigned done = 0;
    std::uint8_t status = static_cast<std::uint8_t>(SwdAck::Ok);
    for (; done < count && pos < command.size(); ++done) {
        const std::uint8_t request = command[pos++];
        const bool read = request & kRnW;
        const bool carriesWord = !read || (request & kMatchValue);
        if (carriesWord && pos + 4 > command.size())
            break; // cut short
        const std::uint32_t word = carriesWord ? le32(command, pos) : 0;
        pos += carriesWord ? 4 : 0;
        if (!read && (request & kMatchMask)) {
            matchMask_ = word; // a setting of the probe: no SWD transaction
            continue;
        }
        if (read && (request & kMatchValue)) {
            SwDp::Reply r{SwdAck::Ok};
            bool matched = false;
            for (unsigned attempt = 0; attempt <= matchRetry_; ++attempt) {
                r = transact(request, 0);
                if (abandoned_ || r.ack != SwdAck::Ok)
                    break;
                if ((r.value & matchMask_) == word) {
                    matched = true;
                    break;
                }
            }
            status = static_cast<std::uint8_t>(r.ack);
            if (abandoned_ || r.ack != SwdAck::Ok || !matched) {
                if (r.ack == SwdAck::Ok)
                    status |= kMismatch;
                break;
            }
            continue;
        }
        const SwDp::Reply r = transact(request, word);
        status = static_cast<std::uint8_t>(r.ack);
        if (abandoned_ || r.ack != SwdAck::Ok)
            break;
        if (request & kTimestamp)
            put32(reply, 0);
        if (read)
            put32(reply, r.value);
    }
    if (abandoned_)
        return {};
    reply[1] = static_cast<std::uint8_t>(done);
    reply[2] = status;
    return reply;
}

std::vector<std::uint8_t> DapProcessor::transferBlock(std::span<const std::uint8_t> command) {
    const unsigned count = command[2] | command[3] << 8;
    const std::uint8_t request = command[4] & (kApNDp | kRnW | 0x0c);
    const bool read = request & kRnW;
    std::vector<std::uint8_t> reply = {kTransferBlock, 0, 0, static_cast<std::uint8_t>(SwdAck::Ok)};
    std::size_t pos = 5;
    unsigned done = 0;
    for (; done < count; ++done) {
        if (!read && pos + 4 > command.size())
            break; // cut short
        const SwDp::Reply r = transact(request, read ? 0 : le32(command, pos));
        pos += read ? 0 : 4;
        reply[3] = static_cast<std::uint8_t>(r.ack);
        if (abandoned_ || r.ack != SwdAck::Ok)
            break;
        if (read)
            put32(reply, r.value);
    }
    if (abandoned_)
        return {};
    reply[1] = static_cast<std::uint8_t>(done);
    reply[2] = static_cast<std::uint8_t>(done >> 8);
    return reply;
}

std::vector<std::uint8_t> DapProcessor::swjPins(std::span<const std::uint8_t> command) {
    const std::uint8_t output = command[1], select = command[2];
    const std::uint8_t next = static_cast<std::uint8_t>((pins_ & ~select) | (output & select));
    const bool wasReset = !(pins_ & kPinReset), isReset = !(next & kPinReset);
    pins_ = next;
    if (isReset != wasReset) {
        counters_.resets += isReset ? 1 : 0;
        if (resetHook_)
            resetHook_(isReset);
    }
    return {kSwjPins, pins_};
}

void DapProcessor::swjSequence(std::span<const std::uint8_t> command) {
    const unsigned bits = command[1] == 0 ? 256 : command[1];
    for (unsigned i = 0; i < bits; ++i) {
        const std::size_t byte = 2 + i / 8;
        if (byte >= command.size())
            break;
        if (command[byte] >> (i % 8) & 1) {
            ++ones_;
            continue;
        }
        if (ones_ >= kLineResetOnes) {
            ++counters_.lineResets;
            dp_.lineReset();
        }
        ones_ = 0;
    }
}

} // namespace flashplan::emu
