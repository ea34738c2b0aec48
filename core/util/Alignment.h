// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace flashplan {

/// `value` rounded down to a multiple of `align`; `value` itself when `align` is 0. Any alignment works,
/// not only powers of two: MCUboot's ALIGN_DOWN masks, which gives the same result for powers of two.
constexpr std::uint64_t alignDown(std::uint64_t value, std::uint64_t align) {
    return align == 0 ? value : value - value % align;
}

/// `value` rounded up to a multiple of `align`; `value` itself when `align` is 0 or `value` is aligned.
/// Any alignment works (see alignDown). The caller keeps the result within 64 bits (for offsets and sizes
/// inside a device it is).
constexpr std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
    return align == 0 || value % align == 0 ? value : alignDown(value, align) + align;
}

} // namespace flashplan
