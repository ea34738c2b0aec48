// SPDX-License-Identifier: Apache-2.0
#pragma once
// The values of C's integer and character literals, for #if, for a header's constants and for dtc's cells.

#include "util/Result.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flashplan::cpp {

struct IntegerLiteral {
    std::uint64_t value = 0;
    bool isUnsigned = false; ///< a U suffix, or too large for a signed 64-bit value (as GCC's #if has it)
};

/// Reads a whole preprocessing number as a C integer literal: decimal, 0x hex, leading-0 octal, 0b binary
/// (a GCC extension, refused when `binary` is false: dtc has none), with a suffix of u/U and l/L/ll/LL in
/// either order. Errors (Errc::Parse, no location): a floating constant, a digit outside the base, an
/// unknown suffix, a value past 64 bits.
Result<IntegerLiteral> readIntegerLiteral(std::string_view number, bool binary = true);

/// Reads the escape sequence that follows a backslash (n, t, x41, 101, \\, ...). Returns the number of
/// characters it takes, 0 when malformed.
std::size_t readEscape(std::string_view text, std::uint64_t& value);

/// Reads the character literal at the start of `text` ('x', '\n', '\x41', '\101'), its value that of the
/// unsigned byte. Returns the number of characters it takes, 0 when `text` starts with no well-formed
/// character literal.
std::size_t readCharLiteral(std::string_view text, std::uint64_t& value);

} // namespace flashplan::cpp
