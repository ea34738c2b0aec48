// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::dts {

/// The characters of devicetree source, read the way dtc's lexer does. Which token comes next depends on
/// where the parser is (a node or property name, a cell, a byte string), so the parser asks for the kind
/// it expects; every method first skips blanks, newlines and comments.
class DtsLexer {
public:
    explicit DtsLexer(std::string_view text) : text_(text) {}

    std::size_t offset() const { return pos_; }
    std::string_view text() const { return text_; }
    bool atEnd();
    /// The next character, or '\0' at the end.
    char peek();
    /// Consumes `c` when it comes next.
    bool accept(char c);
    /// Consumes a keyword such as "/delete-node/" when it comes next.
    bool acceptKeyword(std::string_view keyword);
    /// A node or property name: [A-Za-z0-9,._+*#?@-]+ (empty when none comes next).
    std::string_view name();
    /// A label definition "name:" when one comes next (the name, without its colon); empty otherwise.
    std::string_view label();
    /// After '&': "label" or "{/path}"; empty when neither follows.
    std::string_view reference();
    /// A "string" with C escapes; false (with `error`) when it does not end.
    bool string(std::string& out, std::string& error);
    /// What comes next, for messages: up to 20 characters of the current line.
    std::string preview();

    /// Moves to `offset` (the parser's own scans of expressions end there).
    void seek(std::size_t offset) { pos_ = offset; }
    /// The offset after the ')' that closes the '(' at `open`; npos when it is not closed before a ';', a
    /// brace or the end.
    std::size_t matchParen(std::size_t open) const;

private:
    void skipSpace();

    std::string_view text_;
    std::size_t pos_ = 0;
};

/// True for the characters dtc allows in node and property names.
bool isNameChar(char c);

} // namespace flashplan::dts
