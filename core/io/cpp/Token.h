// SPDX-License-Identifier: Apache-2.0
#pragma once
// The preprocessing tokens of C (C11 6.4), as the one preprocessor of Flashplan reads them: for the
// devicetree files that Zephyr runs through cpp, for wolfBoot's target.h, and for dtc's cell expressions.

#include <cstdint>
#include <string>
#include <vector>

namespace flashplan::cpp {

enum class TokenKind : std::uint8_t {
    Identifier,
    Number,        ///< a preprocessing number: 0x1000, 64UL, 1e+5 (not yet read as a value)
    CharLiteral,   ///< 'a', '\n', L'x'
    StringLiteral, ///< "text", with its quotes and escapes as written
    Punctuator,    ///< ( ) ## << ... : the longest that fits
    Other,         ///< a character that starts no token ('@', '$' in assembler, a quote never closed)
    Padding,       ///< no text: where a macro expansion began or ended, for the spacing of the output
    End,           ///< the end of the input (of a file, a directive or a macro argument)
};

/// Whether a padding token asks for a space: it stands for the token it came from (the macro's name,
/// the parameter in the replacement list), or for nothing (the end of an expansion).
enum class PaddingSource : std::uint8_t { None, Blank, NoBlank };

struct Token {
    TokenKind kind = TokenKind::End;
    bool spaceBefore = false; ///< blanks or a comment stood before it on its line
    bool lineStart = false;   ///< the first token of a logical line
    bool noExpand = false;    ///< a macro's name met inside its own expansion: never expanded again
    bool pasteLeft = false;   ///< in a replacement list: '##' follows
    bool stringify = false;   ///< in a replacement list: '#' stood before this parameter
    bool argumentEnd = false; ///< the End that closes a macro argument (it may be read again)
    PaddingSource padding = PaddingSource::None;
    int parameter = -1;     ///< in a replacement list: the index of the parameter it names, else -1
    int line = 0;           ///< 1-based physical line in its file
    int column = 0;         ///< 1-based byte column in that line
    std::uint32_t file = 0; ///< which file (an index the preprocessor keeps)
    std::string text;       ///< the spelling, as written (no text for Padding and End)

    bool is(TokenKind k, std::string_view t) const { return kind == k && text == t; }
    bool isPunctuator(std::string_view t) const { return is(TokenKind::Punctuator, t); }
};

using Tokens = std::vector<Token>;

/// A token's text joined to the next with one blank where the source had any: how #error quotes its
/// message and how a macro-built #include name is spelled.
std::string spell(const Tokens& tokens, std::size_t from = 0);

} // namespace flashplan::cpp
