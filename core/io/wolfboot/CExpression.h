// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace flashplan::wolfboot {

/// A #define of a C header: its name, replacement text and where it is.
struct MacroDefinition {
    std::string name;
    std::string body; ///< the replacement text, comments removed, continuation lines joined
    int line = 0;
    bool functionLike = false; ///< #define NAME(args) ...: not expanded by evaluateCExpression
};

/// Finds a macro by name; nullptr when it is not defined.
using MacroLookup = std::function<const MacroDefinition*(std::string_view name)>;

enum class CExpressionMode {
    Value,     ///< a macro's value: every name must be a defined macro
    Condition, ///< an #if: `defined X` works and undefined names are 0, as the preprocessor has it
};

/// Evaluates an integer constant expression as the C preprocessor and compiler would for the values
/// target.h headers hold: decimal, hex, octal and binary literals with U/L suffixes; object-like macros,
/// replaced token by token (so `#define A 1 + 2` then `A * 3` is 7, as in C); parentheses; casts to
/// integer types ((uint32_t) truncates to 32 bits, pointer and long casts keep 64); and the C operators
/// of constant expressions (unary + - ~ !, * / %, + -, << >>, comparisons, & ^ |, && ||, ?:).
/// Arithmetic is unsigned 64-bit. Errors (Errc::Parse, without a location: the caller knows the line):
/// a syntax error, a name that is not a macro (Value mode), a function-like macro, division by zero, a
/// shift of 64 bits or more, a literal that does not fit 64 bits.
Result<std::uint64_t> evaluateCExpression(std::string_view text, const MacroLookup& lookup,
                                          CExpressionMode mode);

} // namespace flashplan::wolfboot
