// SPDX-License-Identifier: Apache-2.0
#include "TapChain.h"

namespace flashplan::emu {

namespace {
std::uint64_t lowBits(unsigned n) {
    return n >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << n) - 1;
}
} // namespace

TapChain::TapChain(std::vector<JtagTap*> tdiToTdo) {
    for (JtagTap* t : tdiToTdo)
        slots_.push_back(Slot{t});
    reset();
}

void TapChain::reset() {
    state_ = TapState::TestLogicReset;
    for (Slot& s : slots_) {
        s.instruction = s.tap->resetInstruction();
        s.drLength = s.tap->drLength(s.instruction);
    }
}

std::uint64_t TapChain::shift(std::uint64_t& reg, unsigned length, std::uint64_t in) {
    const std::uint64_t out = reg & 1;
    reg = (reg >> 1) | (in << (length - 1));
    return out;
}

void TapChain::clock(bool tms, bool tdi) {
    switch (state_) {
    case TapState::CaptureDr:
        for (Slot& s : slots_) {
            s.drLength = s.tap->drLength(s.instruction);
            s.dr = s.tap->captureDr(s.instruction) & lowBits(s.drLength);
        }
        break;
    case TapState::ShiftDr: {
        std::uint64_t bit = tdi;
        for (Slot& s : slots_)
            bit = shift(s.dr, s.drLength, bit);
        break;
    }
    case TapState::CaptureIr:
        for (Slot& s : slots_)
            s.ir = s.tap->irCapture() & lowBits(s.tap->irLength());
        break;
    case TapState::ShiftIr: {
        std::uint64_t bit = tdi;
        for (Slot& s : slots_)
            bit = shift(s.ir, s.tap->irLength(), bit);
        break;
    }
    default:
        break;
    }

    state_ = nextTapState(state_, tms);

    switch (state_) {
    case TapState::UpdateDr:
        for (Slot& s : slots_)
            s.tap->updateDr(s.instruction, s.dr);
        break;
    case TapState::UpdateIr:
        for (Slot& s : slots_)
            s.instruction = static_cast<std::uint32_t>(s.ir);
        break;
    case TapState::TestLogicReset:
        reset();
        break;
    default:
        break;
    }
}

bool TapChain::tdo() const {
    if (slots_.empty())
        return false;
    const Slot& last = slots_.back();
    if (state_ == TapState::ShiftDr)
        return last.dr & 1;
    if (state_ == TapState::ShiftIr)
        return last.ir & 1;
    return false;
}

} // namespace flashplan::emu
