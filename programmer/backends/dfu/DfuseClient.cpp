// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuseClient.h"

#include "util/Numbers.h"

#include <algorithm>
#include <array>

namespace flashplan::dfu {

namespace {

constexpr std::uint8_t kSetAddress = 0x21;
constexpr std::uint8_t kErase = 0x41;
// Block numbers are 16 bits; data blocks start at 2.
constexpr std::uint32_t kFirstDataBlock = 2;
constexpr std::uint32_t kLastBlock = 0xffff;

std::array<std::uint8_t, 5> addressCommand(std::uint8_t command, std::uint32_t address) {
    return {command, static_cast<std::uint8_t>(address), static_cast<std::uint8_t>(address >> 8),
            static_cast<std::uint8_t>(address >> 16), static_cast<std::uint8_t>(address >> 24)};
}

bool isState(const StatusReport& s, State state) {
    return s.state == static_cast<std::uint8_t>(state);
}

} // namespace

Result<void> DfuseClient::command(std::span<const std::uint8_t> bytes, const std::string& what) {
    auto status = dfu_.downloadBlock(0, bytes, what);
    if (!status)
        return status.error();
    if (!isState(*status, State::DnloadIdle))
        return makeError(Errc::Io, what + ": the device went to " + stateName(status->state) +
                                       " instead of dfuDNLOAD-IDLE");
    return {};
}

Result<void> DfuseClient::stopped(const char* what, std::uint32_t address) {
    if (!dfu_.stopRequested())
        return {};
    // From dfuDNLOAD-IDLE or dfuUPLOAD-IDLE, DFU_ABORT returns the device to dfuIDLE.
    (void)dfu_.abort();
    return makeError(Errc::Cancelled, std::string(what) + " cancelled at " + formatAddress(address));
}

Result<void> DfuseClient::setAddress(std::uint32_t address) {
    return command(addressCommand(kSetAddress, address),
                   "set the address pointer to " + formatAddress(address));
}

Result<void> DfuseClient::erasePage(std::uint32_t address) {
    return command(addressCommand(kErase, address), "erase the page at " + formatAddress(address));
}

Result<void> DfuseClient::massErase() {
    const std::array<std::uint8_t, 1> bytes{kErase};
    return command(bytes, "mass erase");
}

Result<void> DfuseClient::write(std::uint32_t address, std::span<const std::uint8_t> data,
                                const ProgressFn& progress) {
    const std::uint32_t size = dfu_.transferSize();
    std::size_t at = 0;
    while (at < data.size()) {
        // One address per run of blocks; a new run only when the 16-bit block number would wrap.
        const std::uint32_t runStart = address + static_cast<std::uint32_t>(at);
        if (auto r = setAddress(runStart); !r)
            return r;
        for (std::uint32_t block = kFirstDataBlock; block <= kLastBlock && at < data.size(); ++block) {
            const auto chunk = data.subspan(at, std::min<std::size_t>(size, data.size() - at));
            const std::uint32_t chunkAddress = address + static_cast<std::uint32_t>(at);
            if (auto stop = stopped("write", chunkAddress); !stop)
                return stop;
            auto status = dfu_.downloadBlock(static_cast<std::uint16_t>(block), chunk,
                                             "write " + std::to_string(chunk.size()) + " bytes at " +
                                                 formatAddress(chunkAddress));
            if (!status)
                return status.error();
            if (!isState(*status, State::DnloadIdle))
                return makeError(Errc::Io, "write at " + formatAddress(chunkAddress) +
                                               ": the device went to " + stateName(status->state) +
                                               " instead of dfuDNLOAD-IDLE");
            at += chunk.size();
            if (progress)
                progress(chunk.size());
        }
    }
    return {};
}

Result<std::vector<std::uint8_t>> DfuseClient::read(std::uint32_t address, std::uint64_t length,
                                                    const ProgressFn& progress) {
    std::vector<std::uint8_t> data(static_cast<std::size_t>(length));
    const std::uint32_t size = dfu_.transferSize();
    std::size_t at = 0;
    while (at < data.size()) {
        if (auto r = setAddress(address + static_cast<std::uint32_t>(at)); !r)
            return r.error();
        // DfuSe uploads start from dfuIDLE.
        if (auto r = dfu_.abort(); !r)
            return r.error();
        for (std::uint32_t block = kFirstDataBlock; block <= kLastBlock && at < data.size(); ++block) {
            const std::size_t want = std::min<std::size_t>(size, data.size() - at);
            const std::uint32_t chunkAddress = address + static_cast<std::uint32_t>(at);
            if (auto stop = stopped("read", chunkAddress); !stop)
                return stop.error();
            auto got =
                dfu_.uploadBlock(static_cast<std::uint16_t>(block), std::span(data).subspan(at, want),
                                 "read " + std::to_string(want) + " bytes at " + formatAddress(chunkAddress));
            if (!got)
                return got.error();
            if (*got != want)
                return makeError(Errc::Io, "read at " + formatAddress(chunkAddress) +
                                               ": the device returned " + std::to_string(*got) + " of " +
                                               std::to_string(want) + " bytes (the end of its memory?)");
            at += want;
            if (progress)
                progress(want);
        }
        if (auto r = dfu_.abort(); !r)
            return r.error();
    }
    return data;
}

Result<void> DfuseClient::leave(std::optional<std::uint32_t> address) {
    if (address)
        if (auto r = setAddress(*address); !r)
            return r;
    auto status = dfu_.downloadBlock(static_cast<std::uint16_t>(kFirstDataBlock), {}, "leave DFU mode");
    if (!status)
        return status.error().code == Errc::NoDevice ? Result<void>() : Result<void>(status.error());
    return {};
}

} // namespace flashplan::dfu
