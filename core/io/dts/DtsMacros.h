// SPDX-License-Identifier: Apache-2.0
#pragma once
// The macros of one preprocessor run, and their expansion the way C's preprocessor does it.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flashplan::dts {

// The lexical pieces that the preprocessor and macro expansion share.
bool isBlank(char c);
std::string_view trimBlanks(std::string_view s);
std::size_t skipBlanks(std::string_view s, std::size_t i);
std::size_t identifierEnd(std::string_view s, std::size_t i);
/// The end of the string or character literal that starts at s[i]; a literal left open ends the line.
std::size_t skipQuoted(std::string_view s, std::size_t i);
/// The end of the preprocessing number that starts at s[i] (0x1e000, 1024UL, 1e+5), taken whole so
/// that the "e000" of 0x1e000 is never read as an identifier.
std::size_t ppNumberEnd(std::string_view s, std::size_t i);

/// The macros defined so far. Starts with what Zephyr's build defines for devicetree files: __DTS__, and
/// DT_SIZE_K(x) and DT_SIZE_M(x) of dts/common/mem.h.
class MacroTable {
public:
    MacroTable();

    /// Reads a #define (the text after the directive's name): object-like, or function-like when '('
    /// follows the name at once, with named or variadic parameters. Returns the error, or empty.
    std::string define(std::string_view rest);
    void undefine(std::string_view name) { macros_.erase(std::string(name)); }
    bool isDefined(std::string_view name) const { return macros_.find(name) != macros_.end(); }

    /// Appends the expansion of `text` to `out`: object-like and function-like macros, # and ##,
    /// __VA_ARGS__, results scanned again, and a macro never expanded inside itself. `incomplete` (when
    /// given) is set when a function-like macro's arguments run past the end of `text`. Returns the error
    /// (a call with the wrong number of arguments, a runaway expansion), or empty.
    std::string expand(std::string_view text, std::string& out, bool* incomplete = nullptr);

    /// The value of an #if condition: defined X and defined(X) first, then expansion, then the expression
    /// with every identifier left standing for 0. False with `error` set when it cannot be evaluated.
    bool condition(std::string_view expr, bool& value, std::string& error);

private:
    struct Macro {
        bool function = false;
        std::vector<std::string> params;
        bool variadic = false;
        std::string body;
    };
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    /// expand(), with `hidden` the macros being expanded. False (with error_ set) on failure.
    bool expandInto(std::string_view s, std::vector<std::string>& hidden, std::string& out, bool* incomplete);
    bool substitute(const Macro& m, std::string_view name, const std::vector<std::string_view>& args,
                    std::vector<std::string>& hidden, std::string& out);

    std::unordered_map<std::string, Macro, NameHash, std::equal_to<>> macros_;
    std::string error_;
    int depth_ = 0; // of expandInto() calls: macro arguments within arguments recurse
};

} // namespace flashplan::dts
