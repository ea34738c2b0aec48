// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/TextOutput.h"

#include <array>

namespace flashplan::cpp {

bool wouldPaste(const Token& a, const Token& b) {
    const char c = b.kind == TokenKind::Punctuator ? b.text[0] : '\0';
    if (a.kind == TokenKind::Punctuator) {
        // Everything that can take an '=' after it: = ! > < + - * / % & | ^ >> <<
        static constexpr std::array<std::string_view, 14> kTakesEquals{"=", "!", ">", "<", "+", "-",  "*",
                                                                       "/", "%", "&", "|", "^", ">>", "<<"};
        for (std::string_view p : kTakesEquals)
            if (a.text == p && c == '=')
                return true;
        const std::string_view op = a.text;
        if (op == ">")
            return c == '>';
        if (op == "<")
            return c == '<' || c == '%' || c == ':';
        if (op == "+")
            return c == '+';
        if (op == "-")
            return c == '-' || c == '>';
        if (op == "/")
            return c == '/' || c == '*';
        if (op == "%")
            return c == ':' || c == '%';
        if (op == "&")
            return c == '&';
        if (op == "|")
            return c == '|';
        if (op == ":")
            return c == ':' || c == '>';
        if (op == "->")
            return c == '*';
        if (op == ".")
            return c == '.' || c == '%' || b.kind == TokenKind::Number;
        if (op == "#")
            return c == '#' || c == '%';
        if (op == "<=")
            return c == '>';
        return false;
    }
    switch (a.kind) {
    case TokenKind::Identifier:
        return b.kind == TokenKind::Identifier || b.kind == TokenKind::CharLiteral ||
               b.kind == TokenKind::StringLiteral;
    case TokenKind::Number:
        return b.kind == TokenKind::Number || b.kind == TokenKind::Identifier ||
               b.kind == TokenKind::CharLiteral || c == '.' || c == '+' || c == '-';
    case TokenKind::Other:
        return a.text[0] == '\\' && b.kind == TokenKind::Identifier;
    default:
        return false;
    }
}

void TextOutput::newLine(const Token& first, std::uint32_t file, int line) {
    OutputLine l;
    l.file = file;
    l.line = line;
    // GCC puts the first token in its column: column - 2 blanks here, the token's own blank after.
    if (first.column > 2)
        l.text.assign(static_cast<std::size_t>(first.column - 2), ' ');
    lines_.push_back(std::move(l));
    hasPrevious_ = false;
    source_ = PaddingSource::None;
}

void TextOutput::write(const Token& t) {
    if (t.kind == TokenKind::Padding) {
        avoidPaste_ = true;
        if (source_ == PaddingSource::None ||
            (source_ == PaddingSource::NoBlank && t.padding == PaddingSource::None))
            source_ = t.padding;
        return;
    }
    if (t.kind == TokenKind::End)
        return;
    if (lines_.empty())
        lines_.emplace_back();
    std::string& out = lines_.back().text;
    bool blank = false;
    if (avoidPaste_) {
        if (source_ == PaddingSource::None)
            source_ = t.spaceBefore ? PaddingSource::Blank : PaddingSource::NoBlank;
        blank = source_ == PaddingSource::Blank || (hasPrevious_ && wouldPaste(previous_, t)) ||
                (!hasPrevious_ && t.isPunctuator("#"));
    } else {
        blank = t.spaceBefore;
    }
    if (blank)
        out.push_back(' ');
    out += t.text;
    avoidPaste_ = false;
    source_ = PaddingSource::None;
    previous_ = t;
    hasPrevious_ = true;
}

} // namespace flashplan::cpp
