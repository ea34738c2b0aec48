// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/cpp/Token.h"
#include "util/Result.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::cpp {

/// One #define: object-like, or function-like with parameters. In `body`, a parameter is a token with
/// `parameter` set, `#param` one token with `stringify`, and `a ## b` sets `pasteLeft` on a.
struct Macro {
    std::string name;
    bool functionLike = false;
    bool variadic = false;           ///< the last parameter takes the rest (... or GNU's args...)
    std::vector<std::string> params; ///< __VA_ARGS__ for an anonymous `...`
    Tokens body;
    SourceLocation where; ///< the file and line of the #define
    std::size_t order = 0;

    /// The replacement list as `cpp -dM` prints it after the name and parameters (one blank where the
    /// definition had blanks).
    std::string bodyText() const;
};

/// The macros defined so far, by name.
class MacroTable {
public:
    /// Reads the text after `#define` (tokens[0] the name) into a macro and defines it, replacing one of
    /// the same name. `inAssembler`: a '#' that names no parameter stays a '#' (as GCC allows in assembler
    /// source) instead of being an error. Errors (Errc::Parse, at `where`): no name, "defined" as the
    /// name, a malformed parameter list, '##' at either end, '#' not followed by a parameter.
    Result<void> define(const Tokens& tokens, const SourceLocation& where, bool inAssembler = false);
    /// As define(), from text: "NAME(x) ((x) * 1024)".
    Result<void> define(std::string_view definition, const SourceLocation& where = {});
    void undefine(std::string_view name);

    const Macro* find(std::string_view name) const;
    bool defined(std::string_view name) const { return find(name) != nullptr; }
    std::size_t size() const { return macros_.size(); }
    /// Every macro, in the order of their (last) definition.
    std::vector<const Macro*> inOrder() const;

private:
    std::map<std::string, Macro, std::less<>> macros_;
    std::size_t next_ = 0;
};

} // namespace flashplan::cpp
