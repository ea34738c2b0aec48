// SPDX-License-Identifier: Apache-2.0
#include "Bus.h"

#include <algorithm>
#include <cassert>

namespace flashplan::emu {

std::uint32_t RegisterBlock::read(std::uint32_t offset, unsigned size) {
    offset &= ~(size - 1);
    const unsigned shift = 8 * (offset & 3);
    const std::uint32_t word = readRegister(offset & ~3u);
    if (size == 4)
        return word;
    return (word >> shift) & (size == 2 ? 0xffffu : 0xffu);
}

void RegisterBlock::write(std::uint32_t offset, unsigned size, std::uint32_t value) {
    offset &= ~(size - 1);
    const unsigned shift = 8 * (offset & 3);
    const std::uint32_t mask = size == 4 ? 0xffffffffu : (size == 2 ? 0xffffu : 0xffu) << shift;
    writeRegister(offset & ~3u, size == 4 ? value : (value << shift) & mask, mask);
}

void Bus::map(std::uint32_t base, std::uint32_t size, BusDevice& device) {
    assert(size > 0 && base + (size - 1) >= base);
    const auto at = std::lower_bound(windows_.begin(), windows_.end(), base,
                                     [](const Window& w, std::uint32_t b) { return w.base < b; });
    assert(at == windows_.end() || base + (size - 1) < at->base);
    assert(at == windows_.begin() || std::prev(at)->base + (std::prev(at)->size - 1) < base);
    windows_.insert(at, Window{base, size, &device});
    last_ = nullptr;
}

const Bus::Window* Bus::find(std::uint32_t address) {
    if (last_ && address - last_->base < last_->size)
        return last_;
    const auto after = std::upper_bound(windows_.begin(), windows_.end(), address,
                                        [](std::uint32_t a, const Window& w) { return a < w.base; });
    if (after == windows_.begin())
        return nullptr;
    const Window& w = *std::prev(after);
    if (address - w.base >= w.size)
        return nullptr;
    last_ = &w;
    return last_;
}

std::uint32_t Bus::read(std::uint32_t address, unsigned size) {
    const Window* w = find(address);
    return w ? w->device->read(address - w->base, size) : 0;
}

void Bus::write(std::uint32_t address, unsigned size, std::uint32_t value) {
    if (const Window* w = find(address))
        w->device->write(address - w->base, size, value);
}

} // namespace flashplan::emu
