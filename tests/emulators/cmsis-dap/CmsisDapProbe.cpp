// SPDX-License-Identifier: Apache-2.0
#include "CmsisDapProbe.h"

#include "sim/FlashStorage.h"

#include <stdexcept>

namespace flashplan::emu {

namespace {

enum : std::uint8_t { kStringManufacturer = 1, kStringProduct, kStringSerial, kStringInterface };

void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
    v.push_back(static_cast<std::uint8_t>(x));
    v.push_back(static_cast<std::uint8_t>(x >> 8));
}

/// The STM32F407's flash, erased, or holding `bytes` from offset 0 with no wear counted.
std::unique_ptr<Stm32f4Target> makeTarget(std::span<const std::uint8_t> bytes = {}) {
    auto device = Stm32f4Target::flashDevice();
    if (!device)
        throw std::runtime_error(device.error().toString());
    auto storage = std::make_unique<RamStorage>(device->size(), device->eraseValue);
    if (!bytes.empty() &&
        !storage->write(0, bytes.first(std::min<std::size_t>(bytes.size(), device->size()))))
        throw std::runtime_error("cannot fill the emulated flash");
    return std::make_unique<Stm32f4Target>(std::make_unique<FlashSimulator>(*device, std::move(storage)));
}

} // namespace

CmsisDapProbe::CmsisDapProbe(std::string serial)
    : identity_{.serial = std::move(serial)}, target_(makeTarget()), dap_(dp_, identity_) {
    dp_.attach(0, target_->accessPort());
    dap_.setResetHook([this](bool asserted) { target_->reset(false, asserted); });
    dap_.setTransferHook([this] { checkFault(); });
}

std::vector<std::uint8_t> CmsisDapProbe::descriptors() const {
    std::vector<std::uint8_t> d = {18, 1, 0x00, 0x02, 0, 0, 0, 64};
    put16(d, kVendorId);
    put16(d, kProductId);
    put16(d, 0x0100);
    d.insert(d.end(), {kStringManufacturer, kStringProduct, kStringSerial, 1});
    // Configuration, one interface, its two bulk endpoints.
    d.insert(d.end(), {9, 2, 32, 0, 1, 1, 0, 0x80, 50});
    d.insert(d.end(), {9, 4, 0, 0, 2, 0xff, 0x00, 0x00, kStringInterface});
    d.insert(d.end(), {7, 5, kOutEndpoint, 0x02});
    put16(d, kMaxPacketSize);
    d.push_back(0);
    d.insert(d.end(), {7, 5, kInEndpoint, 0x02});
    put16(d, kMaxPacketSize);
    d.push_back(0);
    return d;
}

EmulatedUsbDevice::ControlReply CmsisDapProbe::control(const UsbSetup& setup, std::span<const std::uint8_t>) {
    ControlReply r;
    const bool standard = (setup.requestType & 0x60) == 0;
    if (standard && setup.request == 6 && (setup.requestType & 0x80)) { // GET_DESCRIPTOR
        const auto all = descriptors();
        switch (setup.value >> 8) {
        case 1:
            r.data.assign(all.begin(), all.begin() + 18);
            break;
        case 2:
            r.data.assign(all.begin() + 18, all.end());
            break;
        case 3:
            switch (setup.value & 0xff) {
            case 0:
                r.data = {4, 3, 0x09, 0x04}; // US English
                break;
            case kStringManufacturer:
                r.data = usbStringDescriptor(identity_.vendor);
                break;
            case kStringProduct:
                r.data = usbStringDescriptor(identity_.product);
                break;
            case kStringSerial:
                r.data = usbStringDescriptor(identity_.serial);
                break;
            case kStringInterface:
                r.data = usbStringDescriptor("CMSIS-DAP v2 Interface");
                break;
            default:
                r.stall = true;
            }
            break;
        default:
            r.stall = true;
        }
    } else if (standard && setup.request == 0 && (setup.requestType & 0x80)) { // GET_STATUS
        r.data = {0, 0};
    } else if (!standard || (setup.request != 9 && setup.request != 11)) { // SET_CONFIGURATION/INTERFACE
        r.stall = true;
    }
    return r;
}

bool CmsisDapProbe::bulkOut(std::uint8_t endpoint, std::span<const std::uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (endpoint != kOutEndpoint)
        return false;
    if (gone_)
        return true; // the bus will not deliver it anyway
    ++record_.commands;
    if (record_.faultBegan)
        ++record_.commandsAfterFault;
    if (fault_.kind != ProbeFault::Kind::None && !record_.faultBegan && !fault_.atFlashOffset &&
        !fault_.afterBytesProgrammed)
        beginFault();
    if (gone_)
        return true;
    if (holding_)
        heldCommands_.emplace_back(data.begin(), data.end());
    else
        run(data);
    return true;
}

void CmsisDapProbe::run(std::span<const std::uint8_t> command) {
    auto response = dap_.execute(command);
    // The command that reaches a hold still runs to its end (the controller programs on); bulkIn() keeps
    // its response back with the rest until release().
    if (!dap_.abandoned())
        responses_.push_back(std::move(response));
}

std::optional<std::vector<std::uint8_t>> CmsisDapProbe::bulkIn(std::uint8_t endpoint, std::size_t length) {
    std::lock_guard lock(mutex_);
    if (endpoint != kInEndpoint || holding_ || responses_.empty())
        return std::nullopt;
    auto r = std::move(responses_.front());
    responses_.pop_front();
    if (r.size() > length)
        r.resize(length);
    return r;
}

bool CmsisDapProbe::vanished() const {
    std::lock_guard lock(mutex_);
    return gone_;
}

void CmsisDapProbe::checkFault() {
    if (holdAt_ && !held_ && target_->flashController().held()) {
        holding_ = held_ = true;
        holdChanged_.notify_all();
        return;
    }
    if (record_.faultBegan || fault_.kind == ProbeFault::Kind::None)
        return;
    const bool atOffset = fault_.atFlashOffset && target_->flashController().held();
    const bool afterBytes =
        fault_.afterBytesProgrammed && target_->flash().bytesProgrammed() >= *fault_.afterBytesProgrammed;
    if (atOffset || afterBytes)
        beginFault();
}

void CmsisDapProbe::beginFault() {
    record_.faultBegan = true;
    record_.bytesAtFault = target_->flash().bytesProgrammed();
    target_->flashController().release(); // the hold was only the trigger
    switch (fault_.kind) {
    case ProbeFault::Kind::Vanish:
        gone_ = true;
        dap_.abandon();
        break;
    case ProbeFault::Kind::Fault:
        dp_.setApFault(SwDp::ApFault::Fault);
        break;
    case ProbeFault::Kind::Wait:
        dp_.setApFault(SwDp::ApFault::Wait);
        break;
    case ProbeFault::Kind::None:
        break;
    }
}

void CmsisDapProbe::setFault(const ProbeFault& fault) {
    std::lock_guard lock(mutex_);
    fault_ = fault;
    if (fault.atFlashOffset)
        target_->flashController().setHoldAt(*fault.atFlashOffset);
}

void CmsisDapProbe::holdAt(std::uint32_t offset) {
    std::lock_guard lock(mutex_);
    holdAt_ = offset;
    target_->flashController().setHoldAt(offset);
}

bool CmsisDapProbe::waitForHold(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return holdChanged_.wait_for(lock, timeout, [this] { return held_; });
}

void CmsisDapProbe::release() {
    std::lock_guard lock(mutex_);
    if (!holding_)
        return;
    holding_ = false;
    holdAt_.reset();
    target_->flashController().release();
    while (!heldCommands_.empty() && !gone_) {
        const std::vector<std::uint8_t> command = std::move(heldCommands_.front());
        heldCommands_.pop_front();
        run(command);
    }
}

void CmsisDapProbe::setStuckSector(std::uint64_t index) {
    std::lock_guard lock(mutex_);
    stuck_.insert(index);
    target_->flashController().setStuck(index);
}

void CmsisDapProbe::setFlashTiming(const FlashTiming& timing) {
    std::lock_guard lock(mutex_);
    timing_ = timing;
    target_->setFlashTiming(timing);
}

ProbeRecord CmsisDapProbe::record() const {
    std::lock_guard lock(mutex_);
    ProbeRecord r = record_;
    r.dap = dap_.counters();
    return r;
}

std::vector<std::uint8_t> CmsisDapProbe::flash() const {
    std::lock_guard lock(mutex_);
    FlashSimulator& f = target_->flash();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(f.size()));
    (void)f.read(0, out);
    return out;
}

std::uint32_t CmsisDapProbe::eraseCount(std::uint64_t sector) const {
    std::lock_guard lock(mutex_);
    return target_->flash().eraseCount(sector);
}

std::uint64_t CmsisDapProbe::bytesProgrammed() const {
    std::lock_guard lock(mutex_);
    return target_->flash().bytesProgrammed();
}

void CmsisDapProbe::loadFlash(std::span<const std::uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    target_ = makeTarget(bytes);
    dp_.attach(0, target_->accessPort());
    if (fault_.atFlashOffset)
        target_->flashController().setHoldAt(*fault_.atFlashOffset);
    if (holdAt_)
        target_->flashController().setHoldAt(*holdAt_);
    for (std::uint64_t index : stuck_)
        target_->flashController().setStuck(index);
    target_->setFlashTiming(timing_);
}

} // namespace flashplan::emu
