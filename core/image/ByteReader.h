// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace flashplan {

/// Bounds-checked reads of fixed-width integers from a byte buffer, in one byte order. Every read that
/// would reach past the buffer gives std::nullopt instead, so a parser over untrusted files (a truncated
/// ELF, a header whose size field lies) cannot read out of bounds; offsets are 64-bit so that adding a
/// file's offset field to a length cannot wrap before it is checked.
class ByteReader {
public:
    enum class Order { Little, Big };

    explicit ByteReader(std::span<const std::uint8_t> bytes, Order order = Order::Little)
        : bytes_(bytes), order_(order) {}

    std::uint64_t size() const { return bytes_.size(); }
    /// True when [offset, offset+length) lies inside the buffer.
    bool has(std::uint64_t offset, std::uint64_t length) const {
        return length <= bytes_.size() && offset <= bytes_.size() - length;
    }
    /// The bytes [offset, offset+length), or an empty span when they are not all there.
    std::span<const std::uint8_t> bytes(std::uint64_t offset, std::uint64_t length) const {
        if (!has(offset, length))
            return {};
        return bytes_.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
    }

    std::optional<std::uint8_t> u8(std::uint64_t offset) const { return read<std::uint8_t>(offset); }
    std::optional<std::uint16_t> u16(std::uint64_t offset) const { return read<std::uint16_t>(offset); }
    std::optional<std::uint32_t> u32(std::uint64_t offset) const { return read<std::uint32_t>(offset); }
    std::optional<std::uint64_t> u64(std::uint64_t offset) const { return read<std::uint64_t>(offset); }

private:
    template <class T>
    std::optional<T> read(std::uint64_t offset) const {
        constexpr unsigned width = sizeof(T);
        if (!has(offset, width))
            return std::nullopt;
        std::uint64_t value = 0;
        for (unsigned i = 0; i < width; ++i) {
            const unsigned index = order_ == Order::Little ? width - 1 - i : i;
            value = (value << 8) | bytes_[static_cast<std::size_t>(offset) + index];
        }
        return static_cast<T>(value);
    }

    std::span<const std::uint8_t> bytes_;
    Order order_;
};

} // namespace flashplan
