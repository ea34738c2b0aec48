// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/Literals.h"

#include "util/Numbers.h"

#include <string>

namespace flashplan::cpp {

namespace {

Error literalError(std::string message) {
    return makeError(Errc::Parse, std::move(message));
}

/// True for the integer suffixes of C: U, L, LL in either order and any case (not lL).
bool isIntegerSuffix(std::string_view s, bool& isUnsigned) {
    isUnsigned = false;
    bool longSeen = false;
    while (!s.empty()) {
        if ((s[0] == 'u' || s[0] == 'U') && !isUnsigned) {
            isUnsigned = true;
            s.remove_prefix(1);
        } else if ((s.starts_with("ll") || s.starts_with("LL")) && !longSeen) {
            longSeen = true;
            s.remove_prefix(2);
        } else if ((s[0] == 'l' || s[0] == 'L') && !longSeen) {
            longSeen = true;
            s.remove_prefix(1);
        } else {
            return false;
        }
    }
    return true;
}

} // namespace

Result<IntegerLiteral> readIntegerLiteral(std::string_view number, bool binary) {
    std::string_view digits = number;
    unsigned base = 10;
    if (digits.size() > 1 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
    } else if (binary && digits.size() > 1 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
        base = 2;
        digits.remove_prefix(2);
    } else if (digits.size() > 1 && digits[0] == '0') {
        base = 8;
    }
    IntegerLiteral out;
    std::size_t i = 0;
    bool overflow = false;
    while (i < digits.size() && hexDigitValue(digits[i]) >= 0) {
        const unsigned d = static_cast<unsigned>(hexDigitValue(digits[i]));
        if (d >= base) {
            if (base != 10 && d < 10)
                return literalError("invalid digit '" + std::string(1, digits[i]) + "' in " +
                                    (base == 8 ? "octal" : "binary") + " constant " + std::string(number));
            break;
        }
        if (out.value > (UINT64_MAX - d) / base)
            overflow = true;
        out.value = out.value * base + d;
        ++i;
    }
    const char next = i < digits.size() ? digits[i] : '\0';
    if (next == '.' || (base == 16 ? (next == 'p' || next == 'P') : (next == 'e' || next == 'E')))
        return literalError("floating constant '" + std::string(number) + "' where an integer is needed");
    if (i == 0 && base != 8)
        return literalError("'" + std::string(number) + "' has no digits");
    bool suffixUnsigned = false;
    if (!isIntegerSuffix(digits.substr(i), suffixUnsigned))
        return literalError("malformed number '" + std::string(number) + "'");
    if (overflow)
        return literalError("the number " + std::string(number) + " does not fit in 64 bits");
    out.isUnsigned = suffixUnsigned || out.value > static_cast<std::uint64_t>(INT64_MAX);
    return out;
}

std::size_t readEscape(std::string_view text, std::uint64_t& value) {
    if (text.empty())
        return 0;
    std::size_t i = 1;
    switch (text[0]) {
    case 'n':
        value = '\n';
        break;
    case 't':
        value = '\t';
        break;
    case 'r':
        value = '\r';
        break;
    case 'a':
        value = '\a';
        break;
    case 'b':
        value = '\b';
        break;
    case 'f':
        value = '\f';
        break;
    case 'v':
        value = '\v';
        break;
    case 'x':
        value = 0;
        while (i < text.size() && i < 3 && hexDigitValue(text[i]) >= 0)
            value = value * 16 + static_cast<unsigned>(hexDigitValue(text[i++]));
        if (i == 1)
            return 0;
        break;
    default:
        if (text[0] >= '0' && text[0] <= '7') {
            value = static_cast<unsigned>(text[0] - '0');
            while (i < text.size() && i < 3 && text[i] >= '0' && text[i] <= '7')
                value = value * 8 + static_cast<unsigned>(text[i++] - '0');
            value &= 0xff;
        } else {
            value = static_cast<unsigned char>(text[0]); // \\ \' \" and the rest stand for themselves
        }
    }
    return i;
}

std::size_t readCharLiteral(std::string_view text, std::uint64_t& value) {
    if (text.size() < 3 || text[0] != '\'')
        return 0;
    std::size_t i = 1;
    if (text[i] != '\\') {
        value = static_cast<unsigned char>(text[i]);
        ++i;
    } else {
        const std::size_t n = readEscape(text.substr(i + 1), value);
        if (n == 0)
            return 0;
        i += 1 + n;
    }
    if (i >= text.size() || text[i] != '\'')
        return 0;
    return i + 1;
}

} // namespace flashplan::cpp
