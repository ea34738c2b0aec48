// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/wolfboot/CExpression.h"
#include "util/Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::wolfboot {

/// The macros a C header defines, as the preprocessor leaves them at the end of the file when nothing
/// is defined on the command line: comments are removed, continuation lines joined, and #if, #ifdef,
/// #ifndef, #elif, #else and #endif followed (conditions evaluated with evaluateCExpression over the
/// macros defined so far), so `#ifndef X / #define X 0x20000 / #endif` and `#ifdef EXT_FLASH ... #else`
/// pick what a plain build would. #define and #undef are applied; #include, #error, #pragma and
/// ordinary C text are ignored (a header is read for its macros, not compiled).
class HeaderMacros {
public:
    /// Errors (Errc::Parse, with `fileName` and line): an #if whose condition does not evaluate, #else,
    /// #elif or #endif without #if, an #if left open at the end, a #define without a name.
    static Result<HeaderMacros> read(std::string_view text, const std::string& fileName);

    /// The macro called `name`, or nullptr.
    const MacroDefinition* find(std::string_view name) const;
    bool defined(std::string_view name) const { return find(name) != nullptr; }
    /// The value of an object-like macro, evaluated as a C constant expression. Errors name the file, the
    /// macro's line and the macro (as the field); nothing is returned for an undefined macro: test
    /// defined() first.
    Result<std::uint64_t> value(std::string_view name) const;
    /// Every macro defined at the end of the file, in the order of definition.
    const std::vector<MacroDefinition>& macros() const { return macros_; }

private:
    MacroLookup lookup() const;

    std::string fileName_;
    std::vector<MacroDefinition> macros_;
};

} // namespace flashplan::wolfboot
