// SPDX-License-Identifier: Apache-2.0
#include "Stm32f4FlashController.h"

#include <algorithm>
#include <array>

namespace flashplan::emu {

Stm32f4FlashController::Stm32f4FlashController(FlashSimulator& flash) : flash_(flash), memory_(*this) {
}

void Stm32f4FlashController::reset() {
    busyUntil_ = {};
    acr_ = 0;
    sr_ = 0;
    cr_ = kLock;
    optcr_ = optionBytes_ | kOptLock;
    keyStage_ = optKeyStage_ = 0;
    keyFault_ = optKeyFault_ = false;
}

std::uint32_t Stm32f4FlashController::MemoryWindow::read(std::uint32_t offset, unsigned size) {
    std::array<std::uint8_t, 4> b{};
    if (!c_.flash_.read(offset, std::span(b.data(), size)))
        return 0;
    return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 |
           std::uint32_t(b[3]) << 24;
}

std::uint32_t Stm32f4FlashController::readRegister(std::uint32_t offset) {
    switch (offset) {
    case kAcr:
        return acr_;
    case kSr:
        return sr();
    case kCr:
        return cr_;
    case kOptCr:
        return optcr_;
    default: // KEYR and OPTKEYR are write-only
        return 0;
    }
}

void Stm32f4FlashController::writeRegister(std::uint32_t offset, std::uint32_t value, std::uint32_t mask) {
    switch (offset) {
    case kAcr:
        acr_ = (acr_ & ~mask) | (value & mask & 0x1f07u);
        break;
    case kKeyr:
        writeKey(value);
        break;
    case kOptKeyr:
        writeOptionKey(value);
        break;
    case kSr:
        sr_ &= ~(value & mask & (kEop | kOpErr | kWrpErr | kPgaErr | kPgpErr | kPgsErr));
        break;
    case kCr:
        writeControl((cr_ & ~mask) | (value & mask));
        break;
    case kOptCr:
        writeOptionControl((optcr_ & ~mask) | (value & mask));
        break;
    default:
        break;
    }
}

void Stm32f4FlashController::writeKey(std::uint32_t value) {
    if (!(cr_ & kLock) || keyFault_)
        return;
    if (keyStage_ == 0 && value == kKey1) {
        keyStage_ = 1;
    } else if (keyStage_ == 1 && value == kKey2) {
        keyStage_ = 0;
        cr_ &= ~kLock;
    } else {
        keyStage_ = 0;
        keyFault_ = true; // a wrong sequence locks CR until the next reset
    }
}

void Stm32f4FlashController::writeOptionKey(std::uint32_t value) {
    if (!(optcr_ & kOptLock) || optKeyFault_)
        return;
    if (optKeyStage_ == 0 && value == kOptKey1) {
        optKeyStage_ = 1;
    } else if (optKeyStage_ == 1 && value == kOptKey2) {
        optKeyStage_ = 0;
        optcr_ &= ~kOptLock;
    } else {
        optKeyStage_ = 0;
        optKeyFault_ = true;
    }
}

void Stm32f4FlashController::writeControl(std::uint32_t value) {
    if (cr_ & kLock)
        return;
    constexpr std::uint32_t stored = kPg | kSer | kMer | kSnbMask | kPsizeMask | kEopie | kErrie | kLock;
    cr_ = value & stored;
    if (!(value & kStrt))
        return;
    if (cr_ & kPg)
        fail(kPgsErr);
    else if (cr_ & kMer)
        massErase();
    else if (cr_ & kSer)
        eraseSector((cr_ & kSnbMask) >> kSnbShift);
}

void Stm32f4FlashController::writeOptionControl(std::uint32_t value) {
    if (optcr_ & kOptLock)
        return;
    optcr_ = value & ~kOptStrt;
    if (value & kOptStrt)
        optionBytes_ = value & ~(kOptLock | kOptStrt);
}

bool Stm32f4FlashController::writeProtected(std::uint64_t sectorIndex) const {
    return sectorIndex < 12 && !(optionBytes_ >> (kNwrpShift + sectorIndex) & 1u);
}

void Stm32f4FlashController::eraseSector(std::uint64_t index) {
    const auto sector = flash_.device().sectors.sectorByIndex(index);
    if (!sector)
        return fail(kPgsErr);
    if (writeProtected(index))
        return fail(kWrpErr);
    if (!stuck_.count(index) && !flash_.erase(sector->offset, sector->size))
        return fail(kPgsErr);
    busyFor(timing_.sectorErase(sector->size, psize()));
    succeed();
}

void Stm32f4FlashController::busyFor(FlashTiming::Duration d) {
    if (d.count() > 0)
        busyUntil_ = std::max(busyUntil_, timing_.now()) + d;
}

void Stm32f4FlashController::massErase() {
    const std::uint64_t count = flash_.device().sectors.sectorCount();
    for (std::uint64_t i = 0; i < count; ++i)
        if (writeProtected(i))
            return fail(kWrpErr);
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto sector = flash_.device().sectors.sectorByIndex(i);
        if (!stuck_.count(i) && !flash_.erase(sector->offset, sector->size))
            return fail(kPgsErr);
    }
    busyFor(timing_.massErase(psize()));
    succeed();
}

void Stm32f4FlashController::program(std::uint32_t offset, unsigned size, std::uint32_t value) {
    if ((cr_ & kLock) || !(cr_ & kPg) || (cr_ & (kSer | kMer)))
        return fail(kPgsErr);
    if (offset % size != 0)
        return fail(kPgaErr);
    if (size != 1u << ((cr_ & kPsizeMask) >> kPsizeShift))
        return fail(kPgpErr);
    const auto sector = flash_.device().sectors.sectorAt(offset);
    if (!sector)
        return; // past the array: nothing to program (the bus window is the array's size)
    if (writeProtected(sector->index))
        return fail(kWrpErr);
    if (stuck_.count(sector->index))
        return succeed();
    const std::array<std::uint8_t, 4> b{
        static_cast<std::uint8_t>(value), static_cast<std::uint8_t>(value >> 8),
        static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 24)};
    if (!flash_.program(offset, std::span(b.data(), size)))
        return fail(kPgsErr);
    if (holdAt_ && offset + size > *holdAt_) {
        held_ = true;
        holdAt_.reset();
    }
    succeed();
}

} // namespace flashplan::emu
