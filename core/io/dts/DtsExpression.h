// SPDX-License-Identifier: Apache-2.0
#pragma once
// Integer expressions as dtc and the C preprocessor evaluate them: the cells of a devicetree, such as
// (0x1000 * 4) or ((1024) * 1024), and the conditions of #if.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flashplan::dts {

/// What an expression came to: a value, or the reason it has none and the offset (in the text handed to
/// evaluateExpression) of the token at fault, so that the caller can name the file and line.
struct ExprOutcome {
    bool ok = false;
    std::uint64_t value = 0;
    std::string message;
    std::size_t offset = 0;
};

/// How identifiers left in an expression are read. dtc knows none (an identifier in a cell is a macro
/// the preprocessor did not define); #if reads every identifier still there after expansion as 0.
enum class Identifiers { AreErrors, AreZero };

/// Evaluates a C integer expression with the operators dtc supports: + - * / % << >> & | ^ ~ ! unary -,
/// the comparisons, && || and ?:. Arithmetic is on 64-bit unsigned values, as in dtc; a comparison or a
/// logical operator gives 0 or 1. Literals are C integers (decimal, 0x hex, leading-0 octal, suffixes
/// U/L/UL/LL/ULL) and character literals ('A', '\n', '\x41'). Division by zero and an out-of-range
/// literal are errors.
ExprOutcome evaluateExpression(std::string_view text, Identifiers identifiers);

/// Reads the C integer literal at the start of `text` (with its suffix). Returns the number of
/// characters it takes, 0 when `text` does not start with a literal; `error` is set when the literal is
/// malformed or does not fit 64 bits.
std::size_t readIntegerLiteral(std::string_view text, std::uint64_t& value, std::string& error);

/// Reads the character literal at the start of `text` ('x', '\n', '\x41', '\101'). Returns the number of
/// characters it takes, 0 when `text` does not start with a well-formed character literal.
std::size_t readCharLiteral(std::string_view text, std::uint64_t& value);

/// Reads the escape sequence that follows a backslash (n, t, x41, 101, \\, ...). Returns the number of
/// characters it takes (0 when malformed).
std::size_t readEscape(std::string_view text, std::uint64_t& value);

/// True for the characters of a C identifier; `first` excludes digits.
inline bool isIdentChar(char c, bool first = false) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
}

} // namespace flashplan::dts
