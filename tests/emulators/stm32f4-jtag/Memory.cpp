// SPDX-License-Identifier: Apache-2.0
#include "Memory.h"

namespace flashplan::emu {

Memory::Memory(std::uint32_t size, std::uint8_t fill, Access access) : bytes_(size, fill), access_(access) {
}

std::uint32_t Memory::read(std::uint32_t offset, unsigned size) {
    std::uint32_t value = 0;
    for (unsigned i = 0; i < size && offset + i < bytes_.size(); ++i)
        value |= std::uint32_t(bytes_[offset + i]) << (8 * i);
    return value;
}

void Memory::write(std::uint32_t offset, unsigned size, std::uint32_t value) {
    if (access_ == Access::ReadOnly)
        return;
    for (unsigned i = 0; i < size && offset + i < bytes_.size(); ++i)
        bytes_[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

} // namespace flashplan::emu
