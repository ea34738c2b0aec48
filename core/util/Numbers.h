// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace flashplan {

/// Parses an unsigned size or address as firmware people write it: decimal ("4096"), hexadecimal
/// ("0x1000"), either with a binary suffix K, M or G ("16K", "0x10K" = 16 KiB, "2M"). Surrounding
/// blanks are ignored; anything else, and any value that does not fit 64 bits, is an Errc::Parse error.
Result<std::uint64_t> parseNumber(std::string_view text);

/// The value of a hexadecimal digit (0-9, a-f, A-F), or -1 for any other character.
int hexDigitValue(char c);

// The number formats of every message, table and file Flashplan writes: hexadecimal, sizes, and the two
// together. Format-specific spellings (a DfuSe descriptor's "04*016Kg", a devicetree byte string) stay
// with their format.

/// "0x1e000": lower-case hexadecimal with a 0x prefix, zero-padded to at least `minDigits` digits
/// ("0x0f" for a byte with 2).
std::string formatHex(std::uint64_t value, unsigned minDigits = 0);

/// "0x08020000": a CPU address, zero-padded to 8 digits (16 above 4 GiB) as in reference manuals.
std::string formatAddress(std::uint64_t address);

/// "128 KiB", "1 MiB", "127.75 KiB" when exact to two decimals, else the byte count ("1000 B").
std::string formatSize(std::uint64_t bytes);

/// "384 KiB", "39.6 KiB", "512 B": formatSize() when it is exact, else rounded to one decimal of the
/// largest binary unit the value reaches; for the eye, where a byte count would be noise.
std::string formatSizeRounded(std::uint64_t bytes);

/// "16K", "2M", else the byte count ("1000"): a size as parseNumber() reads it back, in the largest
/// binary suffix that divides it (sector maps, partition tables).
std::string formatSizeWithSuffix(std::uint64_t bytes);

/// "0x60000 (384 KiB)": an offset or size with formatHex() and formatSize().
std::string formatHexAndSize(std::uint64_t value);

/// "3b1f09...": bytes (a hash, a key) as lower-case hexadecimal without a prefix; past `maxBytes` bytes
/// the rest is left out and "..." says so.
std::string formatBytesHex(std::span<const std::uint8_t> bytes, std::size_t maxBytes = SIZE_MAX);

/// Integer helpers that never overflow silently.
constexpr bool addOverflows(std::uint64_t a, std::uint64_t b) {
    return a > UINT64_MAX - b;
}

/// True when [off, off+len) lies within [0, size), written so that off+len cannot wrap around.
constexpr bool rangeWithin(std::uint64_t off, std::uint64_t len, std::uint64_t size) {
    return len <= size && off <= size - len;
}

} // namespace flashplan
