// SPDX-License-Identifier: Apache-2.0
#include "util/TextEscape.h"

namespace flashplan {

namespace {

constexpr std::size_t kInvalid = 0;
constexpr std::size_t kTruncated = static_cast<std::size_t>(-1);

/// The length of the well-formed UTF-8 sequence at `text[i]`; kInvalid when the bytes there are not one;
/// kTruncated when they are the start of one that the text ends before completing.
std::size_t sequenceAt(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // the range of the second byte (RFC 3629, table 3-7 of Unicode)
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0; // no overlong forms
        if (lead == 0xED)
            high = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90; // no overlong forms
        if (lead == 0xF4)
            high = 0x8F; // nothing past U+10FFFF
    } else {
        return kInvalid;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if (i + k >= text.size())
            return kTruncated;
        const unsigned char b = byte(i + k);
        if (k == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xBF))
            return kInvalid;
    }
    return length;
}

void appendEscaped(std::string& out, unsigned char byte) {
    constexpr char kDigits[] = "0123456789ABCDEF";
    out += "\\x";
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xF];
}

bool isControl(std::string_view character) {
    const auto lead = static_cast<unsigned char>(character[0]);
    if (character.size() == 1)
        return (lead < 0x20 && lead != '\t' && lead != '\n') || lead == 0x7F;
    // U+0080..U+009F are 0xC2 0x80..0x9F.
    return character.size() == 2 && lead == 0xC2 && static_cast<unsigned char>(character[1]) <= 0x9F;
}

std::string escape(std::string_view text, bool controls) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t n = sequenceAt(text, i);
        if (n == kInvalid || n == kTruncated) {
            appendEscaped(out, static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        const std::string_view character = text.substr(i, n);
        if (controls && isControl(character))
            for (const char c : character)
                appendEscaped(out, static_cast<unsigned char>(c));
        else
            out += character;
        i += n;
    }
    return out;
}

} // namespace

std::string escapeNonUtf8(std::string_view text) {
    return escape(text, false);
}

std::string escapeForTerminal(std::string_view text) {
    return escape(text, true);
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequenceAt(text, i);
        if (n == kInvalid || n == kTruncated)
            return false;
        i += n;
    }
    return true;
}

std::size_t completeUtf8Prefix(std::string_view text) {
    // A sequence is at most 4 bytes: only a lead byte among the last 3 can still be waiting for more.
    const std::size_t from = text.size() > 3 ? text.size() - 3 : 0;
    for (std::size_t i = from; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0xC0 && sequenceAt(text, i) == kTruncated)
            return i;
    return text.size();
}

} // namespace flashplan
