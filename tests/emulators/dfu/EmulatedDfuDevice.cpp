// SPDX-License-Identifier: Apache-2.0
#include "EmulatedDfuDevice.h"

#include <algorithm>
#include <thread>

namespace flashplan::emu {

namespace {

// DFU 1.1 requests, states and status codes (the client's names live in the product; the emulator keeps
// its own numbers so that a mistake on one side is not repeated on the other).
enum : std::uint8_t {
    kDetach = 0,
    kDnload = 1,
    kUpload = 2,
    kGetStatus = 3,
    kClrStatus = 4,
    kGetState = 5,
    kAbort = 6
};
enum : std::uint8_t {
    kAppIdle = 0,
    kAppDetach = 1,
    kIdle = 2,
    kDnloadSync = 3,
    kDnBusy = 4,
    kDnloadIdle = 5,
    kManifestSync = 6,
    kManifest = 7,
    kManifestWaitReset = 8,
    kUploadIdle = 9,
    kError = 10,
};
enum : std::uint8_t {
    kOk = 0,
    kErrWrite = 3,
    kErrErase = 4,
    kErrProg = 6,
    kErrVerify = 7,
    kErrAddress = 8,
    kErrStalledPkt = 15,
};

void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
    v.push_back(static_cast<std::uint8_t>(x));
    v.push_back(static_cast<std::uint8_t>(x >> 8));
}

std::uint32_t ceilMs(std::chrono::microseconds t) {
    return static_cast<std::uint32_t>((t.count() + 999) / 1000);
}

} // namespace

EmulatedDfuDevice::EmulatedDfuDevice(DfuDeviceProfile profile, bool startInRuntime, double timeScale)
    : profile_(std::move(profile)), runtime_(startInRuntime), timeScale_(timeScale),
      state_(startInRuntime ? kAppIdle : kIdle) {
    for (const EmulatedAlt& a : profile_.alts) {
        sims_.push_back(FlashSimulator::inRam(a.memory));
        std::optional<DfuseMemory> layout;
        if (profile_.isDfuse())
            if (auto m = parseDfuseDescriptor(a.name))
                layout = std::move(*m);
        layouts_.push_back(std::move(layout));
    }
}

std::chrono::microseconds EmulatedDfuDevice::scaled(std::chrono::microseconds t) const {
    return std::chrono::microseconds(static_cast<std::int64_t>(static_cast<double>(t.count()) * timeScale_));
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::control(const UsbSetup& setup,
                                                           std::span<const std::uint8_t> out) {
    const std::uint16_t length = setup.length;
    // The data stage's time on the bus, before the device acts on it (the length asked for an IN stage:
    // a short last frame is counted whole).
    if (const std::uint32_t rate = profile_.timing.busBytesPerSecond; rate > 0)
        std::this_thread::sleep_for(std::chrono::microseconds((out.size() + length) * 1000000ull / rate));
    std::unique_lock lock(mutex_);
    ++counters_.requests;
    if (gone_)
        return ControlReply{false, true, {}};
    if ((setup.requestType & 0x60) == 0x20 && setup.request == kDnload && !runtime_ &&
        reachesHold(setup.value, out.size())) {
        // The request stays in flight (the bus's worker waits here) until the test releases it.
        holding_ = held_ = true;
        holdChanged_.notify_all();
        holdChanged_.wait(lock, [this] { return !holding_; });
    }
    switch (setup.requestType & 0x60) {
    case 0x00:
        return standardRequest(setup, length);
    case 0x20:
        return classRequest(setup, length, out);
    default:
        return stall();
    }
}

bool EmulatedDfuDevice::reachesHold(std::uint16_t block, std::size_t length) const {
    if (!holdAt_ || held_ || length == 0)
        return false;
    std::uint64_t offset = 0;
    if (profile_.isDfuse()) {
        if (block < 2)
            return false; // a command, not data
        const std::uint64_t address = addressPointer_ + std::uint64_t(block - 2) * profile_.transferSize;
        if (address < altInfo().address)
            return false;
        offset = address - altInfo().address;
    } else {
        offset = state_ == kIdle ? 0 : streamOffset_;
    }
    return offset + length > *holdAt_;
}

void EmulatedDfuDevice::holdAt(std::uint64_t offset) {
    std::lock_guard lock(mutex_);
    holdAt_ = offset;
    held_ = false;
}

bool EmulatedDfuDevice::waitForHold(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return holdChanged_.wait_for(lock, timeout, [this] { return held_; });
}

void EmulatedDfuDevice::release() {
    std::lock_guard lock(mutex_);
    holdAt_.reset();
    holding_ = false;
    holdChanged_.notify_all();
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::standardRequest(const UsbSetup& setup,
                                                                   std::uint16_t length) {
    ControlReply r;
    if (setup.request == 6 && (setup.requestType & 0x80)) { // GET_DESCRIPTOR
        const std::uint8_t type = static_cast<std::uint8_t>(setup.value >> 8),
                           index = static_cast<std::uint8_t>(setup.value);
        const auto all = descriptorBytes();
        if (type == 1) {
            r.data.assign(all.begin(), all.begin() + 18);
        } else if (type == 2) {
            r.data.assign(all.begin() + 18, all.end());
        } else if (type == 3) {
            std::string text;
            if (index == 0) {
                r.data = {4, 3, 0x09, 0x04};
            } else {
                if (index == 1)
                    text = profile_.manufacturer;
                else if (index == 2)
                    text = runtime_ ? profile_.runtimeProduct : profile_.product;
                else if (index == 3)
                    text = profile_.serial;
                else if (runtime_ && index == 4)
                    text = "DFU runtime";
                else if (!runtime_ && index - 4u < profile_.alts.size())
                    text = profile_.alts[index - 4u].name;
                else
                    return stall();
                r.data = {static_cast<std::uint8_t>(2 + 2 * text.size()), 3};
                for (char c : text) {
                    r.data.push_back(static_cast<std::uint8_t>(c));
                    r.data.push_back(0);
                }
            }
        } else {
            return stall();
        }
    } else if (setup.request == 0 && (setup.requestType & 0x80)) { // GET_STATUS
        r.data = {0, 0};
    } else if (setup.request == 11) { // SET_INTERFACE
        if (!runtime_ && setup.value >= profile_.alts.size())
            return stall();
        alt_ = static_cast<std::uint8_t>(setup.value);
    } else if (setup.request != 9) { // SET_CONFIGURATION is accepted as is
        return stall();
    }
    if (r.data.size() > length)
        r.data.resize(length);
    return r;
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::stall() {
    ++counters_.stalls;
    if (!runtime_) {
        state_ = kError;
        status_ = kErrStalledPkt;
    }
    return ControlReply{true, false, {}};
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::classRequest(const UsbSetup& setup, std::uint16_t length,
                                                                std::span<const std::uint8_t> out) {
    if (runtime_) {
        switch (setup.request) {
        case kDetach:
            ++counters_.detaches;
            state_ = kAppDetach;
            if (profile_.attributes & 0x08)
                reenumerate_ = true;
            return {};
        case kGetStatus:
            ++counters_.getStatus;
            return ControlReply{false, false, {kOk, 0, 0, 0, state_, 0}};
        case kGetState:
            return ControlReply{false, false, {state_}};
        default:
            return stall();
        }
    }
    switch (setup.request) {
    case kGetStatus:
        return getStatus();
    case kGetState:
        return ControlReply{false, false, {state_}};
    case kClrStatus:
        if (state_ != kError)
            return stall();
        state_ = kIdle;
        status_ = kOk;
        return {};
    case kAbort:
        if (state_ != kIdle && state_ != kDnloadIdle && state_ != kUploadIdle)
            return stall();
        state_ = kIdle;
        streamOffset_ = 0;
        return {};
    case kDnload:
        if (state_ != kIdle && state_ != kDnloadIdle)
            return stall();
        return dnload(setup.value, out);
    case kUpload:
        if (state_ != kIdle && state_ != kUploadIdle)
            return stall();
        return upload(setup.value, length);
    default:
        return stall();
    }
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::dnload(std::uint16_t block,
                                                          std::span<const std::uint8_t> data) {
    if (data.empty()) {
        // The end of a plain download, or DfuSe's leave request.
        if (!profile_.isDfuse() && state_ != kDnloadIdle)
            return stall();
        state_ = kManifestSync;
        return {};
    }
    if (data.size() > profile_.transferSize)
        return stall();
    const bool dataBlock = !profile_.isDfuse() || block >= 2;
    if (profile_.isDfuse()) {
        if (block == 1)
            return stall();
        if (block == 0) {
            const bool known = (data[0] == 0x21 && data.size() == 5) ||
                               (data[0] == 0x41 && (data.size() == 5 || data.size() == 1));
            if (!known)
                return stall();
        }
    } else {
        if (state_ == kIdle) {
            streamOffset_ = 0;
            lastBlock_ = -1;
            erasedInStream_.assign(static_cast<std::size_t>(sim().device().sectors.sectorCount()), false);
        } else if (block != static_cast<std::uint16_t>(lastBlock_ + 1)) {
            return stall();
        }
        lastBlock_ = block;
    }
    if (dataBlock) {
        ++counters_.dataBlocks;
        if (faults_.vanishAtBlock && counters_.dataBlocks == *faults_.vanishAtBlock) {
            gone_ = true;
            return ControlReply{false, true, {}};
        }
        if (faults_.stallAtBlock && counters_.dataBlocks == *faults_.stallAtBlock)
            return stall();
    }
    pendingBlock_ = block;
    pending_.assign(data.begin(), data.end());
    state_ = kDnloadSync;
    return {};
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::upload(std::uint16_t block, std::uint16_t length) {
    if (length > profile_.transferSize)
        return stall();
    ControlReply r;
    const std::uint64_t size = sim().size();
    if (profile_.isDfuse()) {
        if (block == 1)
            return stall();
        if (block == 0) {
            r.data = {0x00, 0x21, 0x41, 0x92};
        } else {
            const std::uint64_t address = addressPointer_ + std::uint64_t(block - 2) * profile_.transferSize;
            const EmulatedAlt& a = altInfo();
            if (address < a.address || address - a.address >= size ||
                (layouts_[alt_] && !layouts_[alt_]->allows(address, 1, kDfuseReadable)))
                return stall();
            const std::uint64_t offset = address - a.address;
            r.data.resize(static_cast<std::size_t>(std::min<std::uint64_t>(length, size - offset)));
            (void)sim().read(offset, r.data);
        }
    } else {
        if (state_ == kIdle)
            streamOffset_ = 0; // an upload from dfuIDLE starts at the beginning
        r.data.resize(static_cast<std::size_t>(std::min<std::uint64_t>(length, size - streamOffset_)));
        (void)sim().read(streamOffset_, r.data);
        streamOffset_ += r.data.size();
    }
    ++counters_.uploads;
    // DFU 1.1: a short frame ends the upload.
    if (r.data.size() < length) {
        state_ = kIdle;
        streamOffset_ = 0;
    } else {
        state_ = kUploadIdle;
    }
    if (r.data.size() > length)
        r.data.resize(length);
    return r;
}

EmulatedDfuDevice::ControlReply EmulatedDfuDevice::getStatus() {
    ++counters_.getStatus;
    const auto now = std::chrono::steady_clock::now();
    std::uint32_t poll = 0;
    auto busyFor = [&](std::chrono::microseconds t) {
        if (faults_.pollTimeoutMs)
            t = std::chrono::milliseconds(*faults_.pollTimeoutMs);
        busyUntil_ = now + t;
        poll = ceilMs(t);
        if (t.count() > 0) {
            ++counters_.busyPeriods;
            counters_.busyTime += t;
            counters_.askedWaitsMs.push_back(poll);
        }
    };
    switch (state_) {
    case kDnloadSync:
        nextState_ = kDnloadIdle;
        pendingStatus_ = kOk;
        busyFor(execute());
        state_ = kDnBusy;
        break;
    case kDnBusy:
    case kManifest:
        if (now < busyUntil_) {
            ++counters_.earlyPolls;
            poll = ceilMs(std::chrono::duration_cast<std::chrono::microseconds>(busyUntil_ - now));
            break;
        }
        if (busyUntil_.time_since_epoch().count() != 0) {
            const auto late = std::chrono::duration_cast<std::chrono::microseconds>(now - busyUntil_);
            counters_.lateness += late;
            counters_.maxLateness = std::max(counters_.maxLateness, late);
        }
        state_ = nextState_;
        status_ = pendingStatus_;
        break;
    case kManifestSync:
        if (profile_.isDfuse()) {
            // DfuSe leave: the device starts the code at the address pointer and drops off the bus.
            ++counters_.leaves;
            counters_.leaveAddress = static_cast<std::uint32_t>(addressPointer_);
            state_ = kManifest;
            gone_ = true;
            return ControlReply{false, false, {kOk, 0, 0, 0, kManifest, 0}};
        }
        ++counters_.manifestations;
        manifested_ = true;
        nextState_ = (profile_.attributes & 0x04) ? kIdle : kManifestWaitReset;
        pendingStatus_ = kOk;
        busyFor(scaled(profile_.timing.manifest));
        state_ = kManifest;
        break;
    default:
        break;
    }
    return ControlReply{false,
                        false,
                        {status_, static_cast<std::uint8_t>(poll), static_cast<std::uint8_t>(poll >> 8),
                         static_cast<std::uint8_t>(poll >> 16), state_, 0}};
}

std::chrono::microseconds EmulatedDfuDevice::execute() {
    if (!profile_.isDfuse())
        return plainBlock(pending_);
    if (pendingBlock_ == 0)
        return dfuseCommand();
    const std::uint64_t address = addressPointer_ + std::uint64_t(pendingBlock_ - 2) * profile_.transferSize;
    return writeBlock(address, pending_);
}

std::chrono::microseconds EmulatedDfuDevice::dfuseCommand() {
    const EmulatedAlt& a = altInfo();
    if (pending_.size() == 1) { // mass erase: every erasable page
        ++counters_.massErases;
        sim().device().sectors.forEachSector(0, sim().size(), [&](const Sector& s) {
            if (!layouts_[alt_] || layouts_[alt_]->allows(a.address + s.offset, s.size, kDfuseErasable))
                (void)sim().erase(s.offset, s.size);
            return true;
        });
        return scaled(profile_.timing.massErase);
    }
    const std::uint64_t address =
        pending_[1] | pending_[2] << 8 | pending_[3] << 16 | std::uint64_t(pending_[4]) << 24;
    if (pending_[0] == 0x21) {
        ++counters_.setAddress;
        addressPointer_ = address;
        return scaled(profile_.timing.command);
    }
    // Erase the page that holds the address.
    if (address < a.address || address - a.address >= sim().size()) {
        nextState_ = kError;
        pendingStatus_ = kErrAddress;
        return scaled(profile_.timing.command);
    }
    const auto sector = sim().device().sectors.sectorAt(address - a.address);
    if (layouts_[alt_] && !layouts_[alt_]->allows(a.address + sector->offset, sector->size, kDfuseErasable)) {
        nextState_ = kError;
        pendingStatus_ = kErrErase;
        return scaled(profile_.timing.command);
    }
    ++counters_.pageErases;
    (void)sim().erase(sector->offset, sector->size);
    return scaled(profile_.timing.erase(sector->size));
}

std::chrono::microseconds EmulatedDfuDevice::writeBlock(std::uint64_t address,
                                                        std::span<const std::uint8_t> data) {
    const EmulatedAlt& a = altInfo();
    const auto time =
        scaled(profile_.timing.programPerWord * static_cast<std::int64_t>((data.size() + 3) / 4));
    if (address < a.address || address - a.address > sim().size() ||
        data.size() > sim().size() - (address - a.address)) {
        nextState_ = kError;
        pendingStatus_ = kErrAddress;
        return time;
    }
    if (layouts_[alt_] && !layouts_[alt_]->allows(address, data.size(), kDfuseWritable)) {
        nextState_ = kError;
        pendingStatus_ = kErrWrite;
        return time;
    }
    if (!sim().program(address - a.address, data)) {
        nextState_ = kError;
        pendingStatus_ = kErrProg;
        return time;
    }
    counters_.bytesProgrammed += data.size();
    if (faults_.verifyErrorAtBlock && counters_.dataBlocks == *faults_.verifyErrorAtBlock) {
        nextState_ = kError;
        pendingStatus_ = kErrVerify;
    }
    return time;
}

std::chrono::microseconds EmulatedDfuDevice::plainBlock(std::span<const std::uint8_t> data) {
    std::chrono::microseconds time{0};
    if (streamOffset_ + data.size() > sim().size()) {
        nextState_ = kError;
        pendingStatus_ = kErrAddress;
        return time;
    }
    // The device erases each sector as the stream first reaches it.
    sim().device().sectors.forEachSector(streamOffset_, data.size(), [&](const Sector& s) {
        if (!erasedInStream_[static_cast<std::size_t>(s.index)]) {
            erasedInStream_[static_cast<std::size_t>(s.index)] = true;
            (void)sim().erase(s.offset, s.size);
            ++counters_.pageErases;
            time += scaled(profile_.timing.erase(s.size));
        }
        return true;
    });
    if (!sim().program(streamOffset_, data)) {
        nextState_ = kError;
        pendingStatus_ = kErrProg;
        return time;
    }
    streamOffset_ += data.size();
    counters_.bytesProgrammed += data.size();
    if (faults_.verifyErrorAtBlock && counters_.dataBlocks == *faults_.verifyErrorAtBlock) {
        nextState_ = kError;
        pendingStatus_ = kErrVerify;
    }
    return time + scaled(profile_.timing.programPerWord * static_cast<std::int64_t>((data.size() + 3) / 4));
}

bool EmulatedDfuDevice::vanished() const {
    std::lock_guard lock(mutex_);
    return gone_;
}

bool EmulatedDfuDevice::reenumerating() const {
    std::lock_guard lock(mutex_);
    return reenumerate_;
}

bool EmulatedDfuDevice::setInterface(std::uint8_t, std::uint8_t alt) {
    std::lock_guard lock(mutex_);
    if (runtime_ ? alt != 0 : alt >= profile_.alts.size())
        return false;
    if (!runtime_) {
        alt_ = alt;
        streamOffset_ = 0;
    }
    return true;
}

void EmulatedDfuDevice::portReset() {
    std::lock_guard lock(mutex_);
    ++counters_.usbResets;
    if (runtime_) {
        if (state_ == kAppDetach)
            reenumerate_ = true;
    } else if (manifested_ || state_ == kManifestWaitReset) {
        // The new firmware runs: the DFU device is gone.
        gone_ = true;
    }
}

void EmulatedDfuDevice::reenumerate() {
    std::lock_guard lock(mutex_);
    reenumerate_ = false;
    runtime_ = false;
    state_ = kIdle;
    status_ = kOk;
    alt_ = 0;
}

bool EmulatedDfuDevice::runtime() const {
    std::lock_guard lock(mutex_);
    return runtime_;
}

std::vector<std::uint8_t> EmulatedDfuDevice::descriptors() const {
    std::lock_guard lock(mutex_);
    return descriptorBytes();
}

std::vector<std::uint8_t> EmulatedDfuDevice::descriptorBytes() const {
    const std::uint16_t pid = runtime_ ? profile_.runtimeProductId : profile_.productId;
    std::vector<std::uint8_t> d = {18, 1, 0x00, 0x02, 0, 0, 0, 64};
    put16(d, profile_.vendorId);
    put16(d, pid);
    put16(d, profile_.bcdDevice);
    d.insert(d.end(), {1, 2, 3, 1});
    const std::size_t alts = runtime_ ? 1 : profile_.alts.size();
    const std::uint16_t total = static_cast<std::uint16_t>(9 + 9 * alts + 9);
    d.insert(d.end(), {9, 2});
    put16(d, total);
    d.insert(d.end(), {1, 1, 0, 0xc0, 50});
    for (std::size_t i = 0; i < alts; ++i)
        d.insert(d.end(), {9, 4, 0, static_cast<std::uint8_t>(i), 0, 0xfe, 0x01,
                           static_cast<std::uint8_t>(runtime_ ? 1 : 2), static_cast<std::uint8_t>(4 + i)});
    d.insert(d.end(), {9, 0x21, profile_.attributes});
    put16(d, profile_.detachTimeoutMs);
    put16(d, profile_.transferSize);
    put16(d, profile_.dfuVersion);
    return d;
}

void EmulatedDfuDevice::setFaults(const DfuFaults& faults) {
    std::lock_guard lock(mutex_);
    faults_ = faults;
}

void EmulatedDfuDevice::setTimeScale(double scale) {
    std::lock_guard lock(mutex_);
    timeScale_ = scale;
}

DfuCounters EmulatedDfuDevice::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

void EmulatedDfuDevice::resetCounters() {
    std::lock_guard lock(mutex_);
    counters_ = {};
}

std::vector<std::uint8_t> EmulatedDfuDevice::memory(std::size_t alt) const {
    std::lock_guard lock(mutex_);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(sims_.at(alt)->size()));
    (void)sims_[alt]->read(0, out);
    return out;
}

void EmulatedDfuDevice::loadMemory(std::size_t alt, std::span<const std::uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    FlashSimulator& s = *sims_.at(alt);
    (void)s.erase(0, s.size());
    (void)s.program(0, bytes);
}

std::uint32_t EmulatedDfuDevice::eraseCount(std::size_t alt, std::uint64_t sector) const {
    std::lock_guard lock(mutex_);
    return sims_.at(alt)->eraseCount(sector);
}

Result<usb::ControlResult> EmulatedPipe::controlIn(const usb::ControlSetup& setup,
                                                   std::span<std::uint8_t> data, std::chrono::milliseconds) {
    const auto reply = device_.control(
        {setup.requestType, setup.request, setup.value, setup.index, static_cast<std::uint16_t>(data.size())},
        {});
    if (reply.gone)
        return makeError(Errc::NoDevice, "the emulated device is gone");
    if (reply.stall)
        return usb::ControlResult{0, true};
    std::copy(reply.data.begin(), reply.data.end(), data.begin());
    return usb::ControlResult{reply.data.size(), false};
}

Result<usb::ControlResult> EmulatedPipe::controlOut(const usb::ControlSetup& setup,
                                                    std::span<const std::uint8_t> data,
                                                    std::chrono::milliseconds) {
    const auto reply = device_.control(
        {setup.requestType, setup.request, setup.value, setup.index, static_cast<std::uint16_t>(data.size())},
        data);
    if (reply.gone)
        return makeError(Errc::NoDevice, "the emulated device is gone");
    if (reply.stall)
        return usb::ControlResult{0, true};
    return usb::ControlResult{data.size(), false};
}

} // namespace flashplan::emu
