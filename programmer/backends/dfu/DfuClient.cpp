// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuClient.h"

#include <algorithm>
#include <thread>

namespace flashplan::dfu {

namespace {

constexpr std::uint8_t kClassInterfaceOut = 0x21; // host-to-device, class, interface
constexpr std::uint8_t kClassInterfaceIn = 0xa1;  // device-to-host, class, interface

const char* requestName(Request r) {
    switch (r) {
    case Request::Detach:
        return "DFU_DETACH";
    case Request::Dnload:
        return "DFU_DNLOAD";
    case Request::Upload:
        return "DFU_UPLOAD";
    case Request::GetStatus:
        return "DFU_GETSTATUS";
    case Request::ClrStatus:
        return "DFU_CLRSTATUS";
    case Request::GetState:
        return "DFU_GETSTATE";
    case Request::Abort:
        return "DFU_ABORT";
    }
    return "DFU request";
}

bool isBusy(std::uint8_t state) {
    return state == static_cast<std::uint8_t>(State::DnBusy) ||
           state == static_cast<std::uint8_t>(State::DnloadSync) ||
           state == static_cast<std::uint8_t>(State::Manifest) ||
           state == static_cast<std::uint8_t>(State::ManifestSync);
}

} // namespace

DfuClient::DfuClient(usb::ControlPipe& pipe, std::uint8_t interface, std::uint16_t transferSize,
                     Timeouts timeouts)
    : pipe_(pipe), interface_(interface), transferSize_(transferSize ? transferSize : 1024),
      timeouts_(timeouts) {
}

Error DfuClient::statusError(const StatusReport& status, const std::string& what) {
    return makeError(Errc::Io, what + ": the device reports " + statusName(status.status) + " (" +
                                   statusMeaning(status.status) + ") in " + stateName(status.state));
}

Result<usb::ControlResult> DfuClient::out(Request request, std::uint16_t value,
                                          std::span<const std::uint8_t> data) {
    return pipe_.controlOut({kClassInterfaceOut, static_cast<std::uint8_t>(request), value, interface_}, data,
                            timeouts_.transfer);
}

Result<usb::ControlResult> DfuClient::in(Request request, std::uint16_t value, std::span<std::uint8_t> data) {
    return pipe_.controlIn({kClassInterfaceIn, static_cast<std::uint8_t>(request), value, interface_}, data,
                           timeouts_.transfer);
}

Result<StatusReport> DfuClient::getStatus() {
    std::array<std::uint8_t, 6> bytes{};
    auto r = in(Request::GetStatus, 0, bytes);
    if (!r)
        return r.error();
    if (r->stalled)
        return makeError(Errc::Io, "the device stalled DFU_GETSTATUS");
    if (r->length != bytes.size())
        return makeError(Errc::Io, "DFU_GETSTATUS returned " + std::to_string(r->length) + " bytes, not 6");
    return StatusReport::fromBytes(bytes);
}

Result<std::uint8_t> DfuClient::getState() {
    std::array<std::uint8_t, 1> state{};
    auto r = in(Request::GetState, 0, state);
    if (!r)
        return r.error();
    if (r->stalled || r->length != 1)
        return makeError(Errc::Io, "the device did not answer DFU_GETSTATE");
    return state[0];
}

Result<void> DfuClient::clearStatus() {
    auto r = out(Request::ClrStatus, 0, {});
    if (!r)
        return r.error();
    if (r->stalled)
        return makeError(Errc::Io, "the device stalled DFU_CLRSTATUS");
    return {};
}

Result<void> DfuClient::abort() {
    auto r = out(Request::Abort, 0, {});
    if (!r)
        return r.error();
    if (r->stalled)
        return makeError(Errc::Io, "the device stalled DFU_ABORT");
    return {};
}

Result<void> DfuClient::detach(std::uint16_t timeoutMs) {
    auto r = out(Request::Detach, timeoutMs, {});
    if (!r)
        return r.error();
    if (r->stalled)
        return makeError(Errc::Io, "the device stalled DFU_DETACH");
    return {};
}

Error DfuClient::stallError(Request request, const std::string& what) {
    const std::string head = what + ": the device stalled " + requestName(request);
    auto status = getStatus();
    if (!status)
        return makeError(status.error().code, head + ", then " + status.error().message);
    if (status->state == static_cast<std::uint8_t>(State::Error)) {
        (void)clearStatus(); // the error is reported; a failed clear shows on the next request
        return makeError(Errc::Io, head + " (" + statusName(status->status) + ": " +
                                       statusMeaning(status->status) + ")");
    }
    return makeError(Errc::Io, head + " in " + stateName(status->state));
}

Result<StatusReport> DfuClient::waitWhileBusy(StatusReport status, const std::string& what) {
    const auto start = std::chrono::steady_clock::now();
    while (isBusy(status.state)) {
        const std::chrono::milliseconds poll{status.pollTimeoutMs};
        const auto waited =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        if (waited + poll > timeouts_.busy)
            return makeError(Errc::Timeout,
                             what + ": the device asks to wait " + std::to_string(poll.count()) +
                                 " ms more (bwPollTimeout) after " + std::to_string(waited.count()) +
                                 " ms, beyond the " + std::to_string(timeouts_.busy.count()) +
                                 " ms an operation may take");
        // Exactly what the device asks: polling earlier may be stalled or ignored, later wastes time.
        if (sleep_)
            sleep_(poll);
        else
            std::this_thread::sleep_for(poll);
        auto next = getStatus();
        if (!next)
            return makeError(next.error().code, what + ": " + next.error().message);
        status = *next;
    }
    if (status.state == static_cast<std::uint8_t>(State::Error)) {
        const Error e = statusError(status, what);
        (void)clearStatus();
        return e;
    }
    return status;
}

Result<StatusReport> DfuClient::downloadBlock(std::uint16_t block, std::span<const std::uint8_t> data,
                                              const std::string& what) {
    auto r = out(Request::Dnload, block, data);
    if (!r)
        return makeError(r.error().code, what + ": " + r.error().message);
    if (r->stalled)
        return stallError(Request::Dnload, what);
    auto status = getStatus();
    if (!status)
        return makeError(status.error().code, what + ": " + status.error().message);
    return waitWhileBusy(*status, what);
}

Result<std::size_t> DfuClient::uploadBlock(std::uint16_t block, std::span<std::uint8_t> out,
                                           const std::string& what) {
    auto r = in(Request::Upload, block, out);
    if (!r)
        return makeError(r.error().code, what + ": " + r.error().message);
    if (r->stalled)
        return stallError(Request::Upload, what);
    return r->length;
}

Result<void> DfuClient::toIdle() {
    auto status = getStatus();
    if (!status)
        return status.error();
    switch (static_cast<State>(status->state)) {
    case State::DfuIdle:
        return {};
    case State::Error:
        if (auto r = clearStatus(); !r)
            return r;
        break;
    case State::DnloadIdle:
    case State::UploadIdle:
        if (auto r = abort(); !r)
            return r;
        break;
    case State::DnloadSync:
    case State::DnBusy: {
        auto done = waitWhileBusy(*status, "finishing the device's last operation");
        if (!done && done.error().code != Errc::Io)
            return done.error();
        if (done && done->state == static_cast<std::uint8_t>(State::DnloadIdle))
            if (auto r = abort(); !r)
                return r;
        break;
    }
    case State::AppIdle:
    case State::AppDetach:
        return makeError(Errc::Io, "the device is in run-time mode (" + stateName(status->state) +
                                       "): detach it to DFU mode first");
    default:
        return makeError(Errc::Io, "the device is in " + stateName(status->state) + " and needs a USB reset");
    }
    auto after = getStatus();
    if (!after)
        return after.error();
    if (after->state != static_cast<std::uint8_t>(State::DfuIdle))
        return makeError(Errc::Io, "the device stays in " + stateName(after->state) + " (" +
                                       statusName(after->status) + ") instead of dfuIDLE");
    return {};
}

Result<std::uint8_t> DfuClient::download(std::span<const std::uint8_t> image, const ProgressFn& progress) {
    std::uint16_t block = 0;
    for (std::size_t at = 0; at < image.size(); at += transferSize_, ++block) {
        if (stopRequested()) {
            (void)abort();
            return makeError(Errc::Cancelled, "download cancelled after " + std::to_string(at) + " bytes");
        }
        const auto chunk = image.subspan(at, std::min<std::size_t>(transferSize_, image.size() - at));
        auto status = downloadBlock(block, chunk,
                                    "block " + std::to_string(block) + " (byte " + std::to_string(at) + ")");
        if (!status)
            return status.error();
        if (status->state != static_cast<std::uint8_t>(State::DnloadIdle))
            return makeError(Errc::Io, "block " + std::to_string(block) + ": the device went to " +
                                           stateName(status->state) + " instead of dfuDNLOAD-IDLE");
        if (progress)
            progress(chunk.size());
    }
    // The zero-length block ends the download; the device manifests (installs) the image.
    auto status = downloadBlock(block, {}, "the end of the download (manifestation)");
    if (!status)
        return status.error();
    if (status->state == static_cast<std::uint8_t>(State::ManifestWaitReset) ||
        status->state == static_cast<std::uint8_t>(State::DfuIdle))
        return status->state;
    return makeError(Errc::Io, "after manifestation the device is in " + stateName(status->state));
}

Result<std::vector<std::uint8_t>> DfuClient::upload(std::uint64_t limit, const ProgressFn& progress) {
    std::vector<std::uint8_t> data;
    std::uint16_t block = 0;
    while (data.size() < limit) {
        if (stopRequested()) {
            (void)abort();
            return makeError(Errc::Cancelled,
                             "upload cancelled after " + std::to_string(data.size()) + " bytes");
        }
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(transferSize_, limit - data.size()));
        const std::size_t at = data.size();
        data.resize(at + transferSize_);
        auto got = uploadBlock(block++, std::span(data).subspan(at, transferSize_),
                               "upload at byte " + std::to_string(at));
        if (!got)
            return got.error();
        data.resize(at + std::min(*got, want));
        if (progress)
            progress(std::min(*got, want));
        // DFU 1.1: a frame shorter than wTransferSize ends the upload, and the device is idle again.
        if (*got < transferSize_)
            return data;
    }
    if (auto r = abort(); !r)
        return r.error();
    return data;
}

} // namespace flashplan::dfu
