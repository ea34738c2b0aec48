// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backends/dfu/DfuProtocol.h"
#include "usb/ControlPipe.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace flashplan::dfu {

/// How long the client waits, and when it gives up.
struct Timeouts {
    /// One control transfer.
    std::chrono::milliseconds transfer{5000};
    /// The most the device may keep one operation busy (the sum of the bwPollTimeout waits it asks for).
    /// A device asking for more in one go is refused at once: the host would otherwise sit idle for
    /// longer than any real flash operation takes (an STM32F4 mass erase, the slowest, takes up to 32 s).
    std::chrono::milliseconds busy{40000};
};

/// Progress in bytes of one transfer loop (download, upload).
using ProgressFn = std::function<void(std::uint64_t bytes)>;
/// Asked between blocks: true stops the loop with Errc::Cancelled after sending DFU_ABORT.
using StopFn = std::function<bool()>;
/// Waits out a bwPollTimeout; std::this_thread::sleep_for unless a test watches the waits.
using SleepFn = std::function<void(std::chrono::milliseconds)>;

/// DFU 1.1 on one interface of a device in DFU mode: the class requests, the GETSTATUS loop that honours
/// bwPollTimeout (it waits exactly what the device asks before polling again, and never waits after a
/// status that is not busy), every dfuERROR turned into an Error naming its status (errTARGET ...
/// errSTALLEDPKT) and cleared with DFU_CLRSTATUS, DFU_ABORT on cancel. Whole-image download with
/// manifestation and upload to the short frame are here; DfuSe's addressed transfers are in DfuseClient.
/// Errors are Errc::Io (the device refused, with the DFU status), Errc::Timeout, Errc::NoDevice,
/// Errc::Cancelled.
class DfuClient {
public:
    DfuClient(usb::ControlPipe& pipe, std::uint8_t interface, std::uint16_t transferSize,
              Timeouts timeouts = {});

    void setStop(StopFn stop) { stop_ = std::move(stop); }
    /// Whether the stop function asks to stop; transfer loops ask it between blocks.
    bool stopRequested() const { return stop_ && stop_(); }
    /// Replaces how bwPollTimeout is waited for (tests record the waits; they must still wait).
    void setSleep(SleepFn sleep) { sleep_ = std::move(sleep); }
    std::uint16_t transferSize() const { return transferSize_; }
    const Timeouts& timeouts() const { return timeouts_; }

    Result<StatusReport> getStatus();
    Result<std::uint8_t> getState();
    Result<void> clearStatus();
    Result<void> abort();
    /// DFU_DETACH with wValue = `timeoutMs` (run-time mode).
    Result<void> detach(std::uint16_t timeoutMs);

    /// DFU_DNLOAD of one block, then the GETSTATUS loop until the device is no longer busy. Returns the
    /// final status (dfuDNLOAD-IDLE, or dfuMANIFEST... after a zero-length block). `what` names the block
    /// in errors ("block 3 at 0x08001000").
    Result<StatusReport> downloadBlock(std::uint16_t block, std::span<const std::uint8_t> data,
                                       const std::string& what);
    /// DFU_UPLOAD of one block into `out`; returns the bytes received.
    Result<std::size_t> uploadBlock(std::uint16_t block, std::span<std::uint8_t> out,
                                    const std::string& what);

    /// Brings the device to dfuIDLE from wherever it is: clears dfuERROR, aborts an unfinished download
    /// or upload, waits out a busy state. Errors: run-time mode, a device waiting for a reset.
    Result<void> toIdle();

    /// DFU 1.1 download of a whole image: blocks of wTransferSize numbered from 0, each followed by the
    /// GETSTATUS loop, then the zero-length block and manifestation. Returns the state it ended in:
    /// dfuIDLE (manifestation tolerant) or dfuMANIFEST-WAIT-RESET (the host must reset the device).
    Result<std::uint8_t> download(std::span<const std::uint8_t> image, const ProgressFn& progress);
    /// DFU 1.1 upload from the start: blocks of wTransferSize until a short frame or `limit` bytes; ends
    /// in dfuIDLE (DFU_ABORT when it stopped at the limit).
    Result<std::vector<std::uint8_t>> upload(std::uint64_t limit, const ProgressFn& progress);

    /// The error a dfuERROR status stands for; `what` says what was under way.
    static Error statusError(const StatusReport& status, const std::string& what);

private:
    Result<usb::ControlResult> out(Request request, std::uint16_t value, std::span<const std::uint8_t> data);
    Result<usb::ControlResult> in(Request request, std::uint16_t value, std::span<std::uint8_t> data);
    /// After a stall: what the device says about it (dfuERROR/errSTALLEDPKT usually), cleared.
    Error stallError(Request request, const std::string& what);
    /// GETSTATUS until the state is not busy, waiting bwPollTimeout between polls.
    Result<StatusReport> waitWhileBusy(StatusReport status, const std::string& what);

    usb::ControlPipe& pipe_;
    std::uint8_t interface_;
    std::uint16_t transferSize_;
    Timeouts timeouts_;
    StopFn stop_;
    SleepFn sleep_;
};

} // namespace flashplan::dfu
