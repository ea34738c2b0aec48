// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsLexer.h"

#include "io/cpp/Lexer.h"
#include "io/cpp/Literals.h"

namespace flashplan::dts {

using cpp::isIdentifierChar;
using cpp::isIdentifierStart;

bool isNameChar(char c) {
    return isIdentifierChar(c) || c == ',' || c == '.' || c == '+' || c == '*' || c == '#' || c == '?' ||
           c == '@' || c == '-';
}

void DtsLexer::skipSpace() {
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++pos_;
        } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
            while (pos_ < text_.size() && text_[pos_] != '\n')
                ++pos_;
        } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
            // The preprocessor removes comments; this guards text that reaches the parser another way.
            const std::size_t end = text_.find("*/", pos_ + 2);
            pos_ = end == std::string_view::npos ? text_.size() : end + 2;
        } else {
            return;
        }
    }
}

bool DtsLexer::atEnd() {
    skipSpace();
    return pos_ >= text_.size();
}

char DtsLexer::peek() {
    skipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool DtsLexer::accept(char c) {
    if (peek() != c)
        return false;
    ++pos_;
    return true;
}

bool DtsLexer::acceptKeyword(std::string_view keyword) {
    skipSpace();
    if (!text_.substr(pos_).starts_with(keyword))
        return false;
    pos_ += keyword.size();
    return true;
}

std::string_view DtsLexer::name() {
    skipSpace();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && isNameChar(text_[pos_]))
        ++pos_;
    return text_.substr(start, pos_ - start);
}

std::string_view DtsLexer::label() {
    skipSpace();
    std::size_t end = pos_;
    if (end >= text_.size() || !isIdentifierStart(text_[end]))
        return {};
    while (end < text_.size() && isIdentifierChar(text_[end]))
        ++end;
    if (end >= text_.size() || text_[end] != ':')
        return {};
    const std::string_view l = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return l;
}

std::string_view DtsLexer::reference() {
    // No blank may separate '&' from what it refers to.
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '{') {
        const std::size_t close = text_.find('}', pos_);
        if (close == std::string_view::npos)
            return {};
        pos_ = close + 1;
        return text_.substr(start, pos_ - start);
    }
    while (pos_ < text_.size() && isIdentifierChar(text_[pos_]))
        ++pos_;
    return text_.substr(start, pos_ - start);
}

bool DtsLexer::string(std::string& out, std::string& error) {
    skipSpace();
    if (pos_ >= text_.size() || text_[pos_] != '"') {
        error = "a string was expected";
        return false;
    }
    ++pos_;
    out.clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] != '\\') {
            out.push_back(text_[pos_++]);
            continue;
        }
        std::uint64_t v = 0;
        const std::size_t n = cpp::readEscape(text_.substr(pos_ + 1), v);
        if (n == 0) {
            error = "bad escape sequence in a string";
            return false;
        }
        out.push_back(static_cast<char>(v));
        pos_ += 1 + n;
    }
    if (pos_ >= text_.size()) {
        error = "a string that is never closed";
        return false;
    }
    ++pos_;
    return true;
}

std::string DtsLexer::preview() {
    skipSpace();
    if (pos_ >= text_.size())
        return "the end of the input";
    std::string s;
    for (std::size_t k = pos_; k < text_.size() && k < pos_ + 20 && text_[k] != '\n'; ++k)
        s.push_back(text_[k]);
    return "'" + s + "'";
}

std::size_t DtsLexer::matchParen(std::size_t open) const {
    int depth = 0;
    for (std::size_t k = open; k < text_.size(); ++k) {
        const char c = text_[k];
        if (c == '\'') {
            std::uint64_t v = 0;
            const std::size_t n = cpp::readCharLiteral(text_.substr(k), v);
            if (n > 0) {
                k += n - 1;
                continue;
            }
        }
        if (c == '(')
            ++depth;
        else if (c == ')' && --depth == 0)
            return k + 1;
        else if (c == ';' || c == '{' || c == '}')
            return std::string_view::npos;
    }
    return std::string_view::npos;
}

} // namespace flashplan::dts
