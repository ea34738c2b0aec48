// SPDX-License-Identifier: Apache-2.0
#include "util/Numbers.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace flashplan {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

} // namespace

int hexDigitValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

Result<std::uint64_t> parseNumber(std::string_view text) {
    const std::string_view s = trim(text);
    const auto fail = [&](const std::string& why) {
        return makeError(Errc::Parse, "'" + std::string(text) + "' is not a number: " + why);
    };
    if (s.empty())
        return fail("it is empty");

    std::string_view digits = s;
    unsigned base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
    }
    unsigned shift = 0;
    switch (digits.back()) {
    case 'k':
    case 'K':
        shift = 10;
        break;
    case 'm':
    case 'M':
        shift = 20;
        break;
    case 'g':
    case 'G':
        shift = 30;
        break;
    default:
        break;
    }
    if (shift != 0)
        digits.remove_suffix(1);
    if (digits.empty())
        return fail("no digits");

    std::uint64_t value = 0;
    for (char c : digits) {
        const int d = hexDigitValue(c);
        if (d < 0 || static_cast<unsigned>(d) >= base)
            return fail(std::string("unexpected character '") + c + "'");
        if (value > (UINT64_MAX - static_cast<unsigned>(d)) / base)
            return fail("it does not fit in 64 bits");
        value = value * base + static_cast<unsigned>(d);
    }
    if (shift != 0 && value > (UINT64_MAX >> shift))
        return fail("it does not fit in 64 bits");
    return value << shift;
}

std::string formatHex(std::uint64_t value, unsigned minDigits) {
    // to_chars, not snprintf: diagnostics of large layouts format thousands of these.
    char buf[20];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, 16);
    const auto digits = static_cast<std::size_t>(r.ptr - buf);
    std::string out = "0x";
    if (digits < minDigits)
        out.append(minDigits - digits, '0');
    return out.append(buf, digits);
}

std::string formatAddress(std::uint64_t address) {
    return formatHex(address, address > UINT32_MAX ? 16 : 8);
}

std::string formatSize(std::uint64_t bytes) {
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB"};
    // The largest unit in which the value is exact to two decimal places ("127.75 KiB").
    for (int u = 3; u >= 0; --u) {
        const std::uint64_t unit = std::uint64_t{1} << (10 * (u + 1));
        if (bytes < unit || bytes > UINT64_MAX / 100 || (bytes * 100) % unit != 0)
            continue;
        const std::uint64_t hundredths = bytes * 100 / unit;
        std::string out = std::to_string(hundredths / 100);
        if (const std::uint64_t frac = hundredths % 100; frac != 0)
            out += frac % 10 == 0 ? "." + std::to_string(frac / 10)
                                  : (frac < 10 ? ".0" : ".") + std::to_string(frac);
        return out + ' ' + units[u];
    }
    return std::to_string(bytes) + " B";
}

std::string formatSizeRounded(std::uint64_t bytes) {
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    const std::string exact = formatSize(bytes);
    if (bytes < 1024 || !exact.ends_with(" B"))
        return exact;
    int u = 0;
    while (u < 5 && bytes >> (10 * (u + 2)) != 0)
        ++u;
    const unsigned shift = 10 * static_cast<unsigned>(u + 1);
    std::uint64_t whole = bytes >> shift;
    // The remainder in tenths, rounded half up; no product can overflow (remainder < 2^60, times 10).
    const std::uint64_t rest = bytes - (whole << shift);
    std::uint64_t tenths = (rest * 10 + (std::uint64_t{1} << (shift - 1))) >> shift;
    if (tenths == 10) {
        ++whole;
        tenths = 0;
    }
    if (whole == 1024 && u < 5) // 1023.96 KiB is 1.0 MiB
        return "1.0 " + std::string(units[u + 1]);
    return std::to_string(whole) + "." + std::to_string(tenths) + " " + units[u];
}

std::string formatSizeWithSuffix(std::uint64_t bytes) {
    if (bytes != 0 && bytes % (std::uint64_t{1} << 20) == 0)
        return std::to_string(bytes >> 20) + "M";
    if (bytes != 0 && bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + "K";
    return std::to_string(bytes);
}

std::string formatHexAndSize(std::uint64_t value) {
    return formatHex(value) + " (" + formatSize(value) + ")";
}

std::string formatBytesHex(std::span<const std::uint8_t> bytes, std::size_t maxBytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t b : bytes.first(std::min(bytes.size(), maxBytes))) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0xf];
    }
    return bytes.size() > maxBytes ? out + "..." : out;
}

} // namespace flashplan
