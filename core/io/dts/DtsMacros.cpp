// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsMacros.h"

#include "io/dts/DtsExpression.h"

#include <algorithm>

namespace flashplan::dts {

namespace {

constexpr std::size_t kMaxExpansion = 1 << 22; // bytes one line may grow to: a runaway macro, not a board
constexpr std::size_t kMaxHiddenMacros = 256;  // nesting of macro expansions

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

/// #arg: the argument as a string literal, its quotes and backslashes escaped.
std::string stringify(std::string_view arg) {
    std::string s = "\"";
    for (char c : trimBlanks(arg)) {
        if (c == '"' || c == '\\')
            s.push_back('\\');
        s.push_back(c);
    }
    return s + "\"";
}

/// The arguments of a call whose '(' is at s[open], split at the commas outside parentheses, and where
/// the call ends; false when its ')' is not in `s`.
bool collectArgs(std::string_view s, std::size_t open, std::vector<std::string_view>& args,
                 std::size_t& end) {
    int depth = 0;
    std::size_t start = open + 1;
    for (std::size_t i = open; i < s.size();) {
        const char c = s[i];
        if (c == '"' || c == '\'') {
            i = skipQuoted(s, i);
            continue;
        }
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth == 0) {
                args.push_back(trimBlanks(s.substr(start, i - start)));
                end = i + 1;
                return true;
            }
        } else if (c == ',' && depth == 1) {
            args.push_back(trimBlanks(s.substr(start, i - start)));
            start = i + 1;
        }
        ++i;
    }
    return false;
}

} // namespace

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
std::string_view trimBlanks(std::string_view s) {
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

std::size_t skipBlanks(std::string_view s, std::size_t i) {
    while (i < s.size() && isBlank(s[i]))
        ++i;
    return i;
}

std::size_t identifierEnd(std::string_view s, std::size_t i) {
    while (i < s.size() && isIdentChar(s[i]))
        ++i;
    return i;
}

/// The end of the string or character literal that starts at s[i]; a literal left open ends the line.
std::size_t skipQuoted(std::string_view s, std::size_t i) {
    const char quote = s[i++];
    while (i < s.size() && s[i] != quote && s[i] != '\n')
        i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
    return (i < s.size() && s[i] == quote) ? i + 1 : i;
}

/// The end of the preprocessing number that starts at s[i] (0x1e000, 1024UL, 1e+5), taken whole so
/// that the "e000" of 0x1e000 is never read as an identifier.
std::size_t ppNumberEnd(std::string_view s, std::size_t i) {
    ++i;
    while (i < s.size()) {
        const char c = s[i];
        if ((c == '+' || c == '-') &&
            (s[i - 1] == 'e' || s[i - 1] == 'E' || s[i - 1] == 'p' || s[i - 1] == 'P'))
            ++i;
        else if (isIdentChar(c) || c == '.')
            ++i;
        else
            break;
    }
    return i;
}

MacroTable::MacroTable() {
    define("__DTS__ 1");
    // Zephyr's dts/common/mem.h, which every board file may use through its SoC .dtsi.
    define("DT_SIZE_K(x) ((x) * 1024)");
    define("DT_SIZE_M(x) (DT_SIZE_K(x) * 1024)");
}

std::string MacroTable::expand(std::string_view text, std::string& out, bool* incomplete) {
    std::vector<std::string> hidden;
    if (!expandInto(text, hidden, out, incomplete))
        return error_.empty() ? std::string("macro expansion failed") : error_;
    return {};
}

bool MacroTable::expandInto(std::string_view s, std::vector<std::string>& hidden, std::string& out,
                            bool* incomplete) {
    if (depth_ > static_cast<int>(kMaxHiddenMacros)) {
        error_ = "macro calls nest too deeply";
        return false;
    }
    ++depth_;
    struct Leave {
        int& d;
        ~Leave() { --d; }
    } leave{depth_};
    std::size_t i = 0;
    while (i < s.size()) {
        if (out.size() > kMaxExpansion) {
            error_ = "macro expansion grows without end";
            return false;
        }
        const char c = s[i];
        if (c == '"' || c == '\'') {
            const std::size_t end = skipQuoted(s, i);
            out.append(s.substr(i, end - i));
            i = end;
            continue;
        }
        if (isDigit(c) || (c == '.' && i + 1 < s.size() && isDigit(s[i + 1]))) {
            const std::size_t end = ppNumberEnd(s, i);
            out.append(s.substr(i, end - i));
            i = end;
            continue;
        }
        if (!isIdentChar(c, true)) {
            // Punctuation and blanks go across in one piece, up to what may start a token of interest.
            std::size_t end = i + 1;
            while (end < s.size() && !isIdentChar(s[end]) && s[end] != '"' && s[end] != '\'' && s[end] != '.')
                ++end;
            out.append(s.substr(i, end - i));
            i = end;
            continue;
        }
        const std::size_t end = identifierEnd(s, i);
        const std::string_view ident = s.substr(i, end - i);
        const auto it = macros_.find(ident);
        if (it == macros_.end() || std::find(hidden.begin(), hidden.end(), ident) != hidden.end()) {
            out.append(ident);
            i = end;
            continue;
        }
        const std::string name(ident);
        if (hidden.size() > kMaxHiddenMacros) {
            error_ = "macros nest too deeply";
            return false;
        }
        const Macro m = it->second; // a copy: expanding may not change macros_, but stay safe
        if (!m.function) {
            hidden.push_back(name);
            const bool ok = expandInto(m.body, hidden, out, nullptr);
            hidden.pop_back();
            if (!ok)
                return false;
            i = end;
            continue;
        }
        const std::size_t open = skipBlanks(s, end);
        if (open >= s.size() || s[open] != '(') {
            // A function-like macro's name without arguments is just a name (C says so).
            if (open >= s.size() && incomplete)
                *incomplete = true;
            out.append(name);
            i = end;
            continue;
        }
        std::vector<std::string_view> args;
        std::size_t close = 0;
        if (!collectArgs(s, open, args, close)) {
            if (incomplete)
                *incomplete = true;
            out.append(s.substr(i));
            return true;
        }
        if (!substitute(m, name, args, hidden, out))
            return false;
        i = close;
    }
    return true;
}

bool MacroTable::substitute(const Macro& m, std::string_view name, const std::vector<std::string_view>& args,
                            std::vector<std::string>& hidden, std::string& out) {
    std::vector<std::string_view> given = args;
    if (given.size() == 1 && given.front().empty() && m.params.empty())
        given.clear(); // FOO() of a macro without parameters
    if (given.size() < m.params.size() || (!m.variadic && given.size() > m.params.size())) {
        error_ = "macro " + std::string(name) + " takes " + std::to_string(m.params.size()) +
                 (m.variadic ? " or more" : "") + " argument(s), but is given " +
                 std::to_string(given.size());
        return false;
    }
    std::string variadic;
    for (std::size_t k = m.params.size(); k < given.size(); ++k)
        variadic += (k == m.params.size() ? "" : ", ") + std::string(given[k]);
    const auto argIndex = [&](std::string_view ident) -> int {
        for (std::size_t k = 0; k < m.params.size(); ++k)
            if (m.params[k] == ident)
                return static_cast<int>(k);
        return (m.variadic && ident == "__VA_ARGS__") ? static_cast<int>(m.params.size()) : -1;
    };
    const auto raw = [&](int k) -> std::string_view {
        return k == static_cast<int>(m.params.size()) ? std::string_view(variadic)
                                                      : given[static_cast<std::size_t>(k)];
    };

    const std::string_view body = m.body;
    std::string result;
    bool pasting = false; // the previous token was ##: the next argument goes in unexpanded
    for (std::size_t j = 0; j < body.size();) {
        const char c = body[j];
        if (c == '"' || c == '\'') {
            const std::size_t end = skipQuoted(body, j);
            result.append(body.substr(j, end - j));
            j = end;
            pasting = false;
            continue;
        }
        if (c == '#' && j + 1 < body.size() && body[j + 1] == '#') {
            while (!result.empty() && isBlank(result.back()))
                result.pop_back();
            j = skipBlanks(body, j + 2);
            pasting = true;
            continue;
        }
        if (c == '#') {
            const std::size_t start = skipBlanks(body, j + 1);
            const std::size_t end = identifierEnd(body, start);
            const int k = end > start ? argIndex(body.substr(start, end - start)) : -1;
            if (k >= 0) {
                result += stringify(raw(k));
                j = end;
                pasting = false;
                continue;
            }
        }
        if (isIdentChar(c, true)) {
            const std::size_t end = identifierEnd(body, j);
            const std::string_view ident = body.substr(j, end - j);
            const int k = argIndex(ident);
            if (k < 0) {
                result.append(ident);
            } else {
                const std::size_t next = skipBlanks(body, end);
                const bool pasteNext = body.substr(next).starts_with("##");
                if (pasting || pasteNext) {
                    result.append(raw(k));
                } else {
                    std::string expanded;
                    if (!expandInto(raw(k), hidden, expanded, nullptr))
                        return false;
                    result += expanded;
                }
            }
            j = end;
            pasting = false;
            continue;
        }
        result.push_back(c);
        if (!isBlank(c))
            pasting = false;
        ++j;
    }
    hidden.emplace_back(name);
    const bool ok = expandInto(result, hidden, out, nullptr);
    hidden.pop_back();
    return ok;
}

bool MacroTable::condition(std::string_view expr, bool& value, std::string& error) {
    // defined X and defined(X) are read before macro expansion, as C requires.
    std::string replaced;
    for (std::size_t i = 0; i < expr.size();) {
        if (expr[i] == '"' || expr[i] == '\'') {
            const std::size_t end = skipQuoted(expr, i);
            replaced.append(expr.substr(i, end - i));
            i = end;
            continue;
        }
        if (isDigit(expr[i])) {
            const std::size_t end = ppNumberEnd(expr, i);
            replaced.append(expr.substr(i, end - i));
            i = end;
            continue;
        }
        if (!isIdentChar(expr[i], true)) {
            replaced.push_back(expr[i++]);
            continue;
        }
        const std::size_t end = identifierEnd(expr, i);
        if (expr.substr(i, end - i) != "defined") {
            replaced.append(expr.substr(i, end - i));
            i = end;
            continue;
        }
        std::size_t k = skipBlanks(expr, end);
        const bool paren = k < expr.size() && expr[k] == '(';
        if (paren)
            k = skipBlanks(expr, k + 1);
        const std::size_t nameEnd = identifierEnd(expr, k);
        if (nameEnd == k) {
            error = "'defined' needs a macro name";
            return false;
        }
        const bool isDefined = macros_.find(expr.substr(k, nameEnd - k)) != macros_.end();
        k = skipBlanks(expr, nameEnd);
        if (paren) {
            if (k >= expr.size() || expr[k] != ')') {
                error = "'defined(' without ')'";
                return false;
            }
            ++k;
        }
        replaced += isDefined ? " 1 " : " 0 ";
        i = k;
    }
    std::string expanded;
    if (error = expand(replaced, expanded); !error.empty())
        return false;
    const ExprOutcome v = evaluateExpression(expanded, Identifiers::AreZero);
    if (!v.ok) {
        error = "#if " + std::string(trimBlanks(expr)) + ": " + v.message;
        return false;
    }
    value = v.value != 0;
    return true;
}

std::string MacroTable::define(std::string_view rest) {
    rest = trimBlanks(rest);
    const std::size_t nameEnd = identifierEnd(rest, 0);
    if (nameEnd == 0 || !isIdentChar(rest[0], true))
        return "#define needs a macro name";
    Macro m;
    const std::string name(rest.substr(0, nameEnd));
    std::size_t i = nameEnd;
    if (i < rest.size() && rest[i] == '(') { // no blank before '(': a function-like macro
        m.function = true;
        i = skipBlanks(rest, i + 1);
        while (i < rest.size() && rest[i] != ')') {
            if (rest.substr(i).starts_with("...")) {
                m.variadic = true;
                i = skipBlanks(rest, i + 3);
                break;
            }
            const std::size_t end = identifierEnd(rest, i);
            if (end == i)
                return "bad parameter list in #define " + name;
            m.params.emplace_back(rest.substr(i, end - i));
            i = skipBlanks(rest, end);
            if (rest.substr(i).starts_with("...")) { // GNU named variadic parameter: args...
                m.variadic = true;
                m.params.pop_back();
                i = skipBlanks(rest, i + 3);
                break;
            }
            if (i < rest.size() && rest[i] == ',')
                i = skipBlanks(rest, i + 1);
        }
        if (i >= rest.size() || rest[i] != ')')
            return "#define " + name + ": the parameter list has no ')'";
        ++i;
    }
    m.body = std::string(trimBlanks(rest.substr(i)));
    macros_[name] = std::move(m);
    return {};
}

} // namespace flashplan::dts
