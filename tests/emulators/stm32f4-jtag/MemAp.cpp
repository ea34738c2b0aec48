// SPDX-License-Identifier: Apache-2.0
#include "MemAp.h"

namespace flashplan::emu {

namespace {
constexpr std::uint32_t kDeviceEn = 1u << 6;
constexpr std::uint32_t kAddrIncMask = 3u << 4;
constexpr std::uint32_t kAddrIncSingle = 1u << 4;
constexpr std::uint32_t kAddrIncPacked = 2u << 4;
} // namespace

std::uint32_t MemAp::readAt(std::uint32_t address) {
    // The value travels on the byte lanes of its address: a byte at 0x...3 is bits [31:24] of DRW.
    const unsigned size = transferSize();
    const std::uint32_t value = bus_.read(address, size) << (size == 4 ? 0 : 8 * (address & (4 - size)));
    if (observer_)
        observer_();
    return value;
}

void MemAp::writeAt(std::uint32_t address, std::uint32_t value) {
    const unsigned size = transferSize();
    if (size != 4)
        value = (value >> (8 * (address & (4 - size)))) & (size == 2 ? 0xffffu : 0xffu);
    bus_.write(address, size, value);
    if (observer_)
        observer_();
}

void MemAp::advance() {
    if ((csw_ & kAddrIncMask) != kAddrIncSingle)
        return;
    const std::uint32_t blockMask = kAutoIncrementBlock - 1;
    tar_ = (tar_ & ~blockMask) | ((tar_ + transferSize()) & blockMask);
}

std::uint32_t MemAp::readRegister(std::uint8_t address) {
    switch (address) {
    case kCsw:
        return csw_;
    case kTar:
        return tar_;
    case kDrw: {
        const std::uint32_t value = readAt(tar_);
        advance();
        return value;
    }
    case kBd0:
    case kBd0 + 4:
    case kBd0 + 8:
    case kBd0 + 12:
        return readAt((tar_ & ~0xfu) | (address & 0xcu));
    case kCfg:
        return 0;
    case kBase:
        return base_;
    case kIdr:
        return idr_;
    default:
        return 0;
    }
}

void MemAp::writeRegister(std::uint8_t address, std::uint32_t value) {
    switch (address) {
    case kCsw: {
        std::uint32_t next = (value & 0xff00ff3fu) | kDeviceEn;
        if ((next & 7) > 2) // byte, half-word and word only
            next = (next & ~7u) | (csw_ & 7);
        if ((next & kAddrIncMask) == kAddrIncPacked || (next & kAddrIncMask) == kAddrIncMask)
            next = (next & ~kAddrIncMask) | kAddrIncSingle;
        csw_ = next;
        break;
    }
    case kTar:
        tar_ = value;
        break;
    case kDrw:
        writeAt(tar_, value);
        advance();
        break;
    case kBd0:
    case kBd0 + 4:
    case kBd0 + 8:
    case kBd0 + 12:
        writeAt((tar_ & ~0xfu) | (address & 0xcu), value);
        break;
    default:
        break;
    }
}

} // namespace flashplan::emu
