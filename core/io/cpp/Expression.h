// SPDX-License-Identifier: Apache-2.0
#pragma once
// Integer constant expressions, in the three places Flashplan meets them: the conditions of #if, the
// values of a header's macros (wolfBoot's target.h) and the cells of a devicetree (dtc).

#include "io/cpp/Token.h"
#include "util/Result.h"

#include <cstdint>
#include <string_view>

namespace flashplan::cpp {

/// Whose rules an expression follows.
enum class Dialect {
    /// #if: values are intmax_t, or uintmax_t when a literal has a U suffix or does not fit (C11
    /// 6.10.1); an identifier left after expansion is 0; shifts past 63 bits give 0 (GCC).
    Condition,
    /// A C constant expression, as a compiler reads a macro's value: #if's arithmetic, plus casts to
    /// integer types ((uint32_t)x keeps 32 bits, a pointer cast 64); an identifier is an error, and so is
    /// a shift by 64 bits or more.
    Constant,
    /// dtc's cells: every value unsigned 64-bit, no binary literals, shifts past 63 bits give 0, an
    /// identifier is an error (a macro the preprocessor did not define).
    Devicetree,
};

/// A value with C's signedness: `bits` read as two's complement when !isUnsigned.
struct Value {
    std::uint64_t bits = 0;
    bool isUnsigned = false;
};

/// Evaluates an expression over tokens already macro-expanded (Padding tokens are skipped; `defined` must
/// be gone). Operators: unary + - ~ !, * / %, + -, << >>, < > <= >=, == !=, &, ^, |, &&, ||, ?: and the
/// comma; && || and ?: skip the errors of what they do not evaluate. Errors (Errc::Parse) name the line and
/// column of the token at fault (the caller adds the file): a syntax error, division by zero, a
/// malformed or too large literal, what the dialect refuses (see Dialect), nesting past 256 levels.
Result<Value> evaluate(const Tokens& tokens, Dialect dialect);

/// Lexes `text` and evaluates it (lines and columns of errors counted in `text`).
Result<Value> evaluateText(std::string_view text, Dialect dialect);

} // namespace flashplan::cpp
