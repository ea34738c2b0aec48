// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsPreprocessor.h"

#include "io/dts/DtsExpression.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>
#include <vector>

namespace flashplan::dts {

namespace {

constexpr int kMaxIncludeDepth = 200;           // as GCC's cpp
constexpr std::size_t kMaxExpansion = 1 << 22;  // bytes one line may grow to: a runaway macro, not a board
constexpr std::size_t kMaxInvocationLines = 64; // lines a macro call's arguments may span
constexpr std::size_t kMaxHiddenMacros = 256;   // nesting of macro expansions

struct Macro {
    bool function = false;
    std::vector<std::string> params;
    bool variadic = false;
    std::string body;
};

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
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

std::size_t identEnd(std::string_view s, std::size_t i) {
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

/// Replaces every comment by a blank, keeping the newlines of block comments so that lines keep their
/// numbers. Errors: a block comment that never ends (its line in `where`).
bool stripComments(std::string_view text, std::string& out, int& unterminatedLine) {
    out.reserve(text.size());
    int line = 1;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '"' || c == '\'') {
            const std::size_t end = skipQuoted(text, i);
            out.append(text.substr(i, end - i));
            i = end;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n')
                ++i;
            out.push_back(' ');
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const std::size_t end = text.find("*/", i + 2);
            if (end == std::string_view::npos) {
                unterminatedLine = line;
                return false;
            }
            out.push_back(' ');
            for (std::size_t k = i; k < end; ++k)
                if (text[k] == '\n') {
                    out.push_back('\n');
                    ++line;
                }
            i = end + 2;
        } else {
            if (c == '\n')
                ++line;
            out.push_back(c);
            ++i;
        }
    }
    return true;
}

std::string stringify(std::string_view arg) {
    std::string s = "\"";
    for (char c : trim(arg)) {
        if (c == '"' || c == '\\')
            s.push_back('\\');
        s.push_back(c);
    }
    return s + "\"";
}

/// One #if level: whether its enclosing text is live, whether a branch was taken, whether this branch is.
struct Conditional {
    bool parentActive = true;
    bool taken = false;
    bool active = true;
    bool sawElse = false;
    SourceLocation opened;
};

class Preprocessor {
public:
    explicit Preprocessor(const ImportOptions& options) : options_(options) {
        define("__DTS__", {false, {}, false, "1"});
        // Zephyr's dts/common/mem.h, which every board file may use through the SoC .dtsi.
        define("DT_SIZE_K", {true, {"x"}, false, "((x) * 1024)"});
        define("DT_SIZE_M", {true, {"x"}, false, "(DT_SIZE_K(x) * 1024)"});
    }

    Result<void> processFile(std::string_view text, const std::string& path, int depth);
    PreprocessedSource take() { return std::move(out_); }

private:
    struct FileState {
        std::string path;
        std::uint32_t mapFile = 0; // where lines are said to come from (line markers change it)
        long lineDelta = 0;        // reported line = physical line + lineDelta
        std::vector<Conditional> conds;
        bool active() const { return conds.empty() || conds.back().active; }
    };

    void define(const std::string& name, Macro m) { macros_[name] = std::move(m); }
    SourceLocation where(const FileState& f, std::size_t physicalLine) const {
        SourceLocation w;
        w.file = out_.files()[f.mapFile];
        w.line = static_cast<int>(static_cast<long>(physicalLine) + f.lineDelta);
        return w;
    }
    Error error(Errc code, const SourceLocation& at, std::string message) const {
        return Error{code, std::move(message), at, {}};
    }

    Result<void> directive(FileState& f, std::string_view name, std::string_view rest, std::size_t line,
                           int depth);
    Result<void> include(FileState& f, std::string_view rest, std::size_t line, int depth);
    Result<void> defineDirective(std::string_view rest, const SourceLocation& at);
    Result<bool> condition(std::string_view expr, const SourceLocation& at);

    /// Appends the macro expansion of `s` to `out`. `hidden` holds the macros being expanded, which are
    /// not expanded again inside themselves. `incomplete` (when given) is set when a function-like
    /// macro's arguments run past the end of `s`. False (with error_ set) on a runaway or a bad call.
    bool expand(std::string_view s, std::vector<std::string>& hidden, std::string& out, bool* incomplete);
    bool substitute(const Macro& m, std::string_view name, const std::vector<std::string_view>& args,
                    std::vector<std::string>& hidden, std::string& out);

    const ImportOptions& options_;
    PreprocessedSource out_;
    std::unordered_map<std::string, Macro> macros_;
    std::set<std::string> onceOnly_;
    std::string error_;
};

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
                args.push_back(trim(s.substr(start, i - start)));
                end = i + 1;
                return true;
            }
        } else if (c == ',' && depth == 1) {
            args.push_back(trim(s.substr(start, i - start)));
            start = i + 1;
        }
        ++i;
    }
    return false;
}

bool Preprocessor::expand(std::string_view s, std::vector<std::string>& hidden, std::string& out,
                          bool* incomplete) {
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
            out.push_back(c);
            ++i;
            continue;
        }
        const std::size_t end = identEnd(s, i);
        const std::string name(s.substr(i, end - i));
        const auto it = macros_.find(name);
        if (it == macros_.end() || std::find(hidden.begin(), hidden.end(), name) != hidden.end()) {
            out.append(name);
            i = end;
            continue;
        }
        if (hidden.size() > kMaxHiddenMacros) {
            error_ = "macros nest too deeply";
            return false;
        }
        const Macro m = it->second; // a copy: expanding may not change macros_, but stay safe
        if (!m.function) {
            hidden.push_back(name);
            const bool ok = expand(m.body, hidden, out, nullptr);
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

bool Preprocessor::substitute(const Macro& m, std::string_view name,
                              const std::vector<std::string_view>& args, std::vector<std::string>& hidden,
                              std::string& out) {
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
            const std::size_t end = identEnd(body, start);
            const int k = end > start ? argIndex(body.substr(start, end - start)) : -1;
            if (k >= 0) {
                result += stringify(raw(k));
                j = end;
                pasting = false;
                continue;
            }
        }
        if (isIdentChar(c, true)) {
            const std::size_t end = identEnd(body, j);
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
                    if (!expand(raw(k), hidden, expanded, nullptr))
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
    const bool ok = expand(result, hidden, out, nullptr);
    hidden.pop_back();
    return ok;
}

Result<bool> Preprocessor::condition(std::string_view expr, const SourceLocation& at) {
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
        const std::size_t end = identEnd(expr, i);
        if (expr.substr(i, end - i) != "defined") {
            replaced.append(expr.substr(i, end - i));
            i = end;
            continue;
        }
        std::size_t k = skipBlanks(expr, end);
        const bool paren = k < expr.size() && expr[k] == '(';
        if (paren)
            k = skipBlanks(expr, k + 1);
        const std::size_t nameEnd = identEnd(expr, k);
        if (nameEnd == k)
            return error(Errc::Parse, at, "'defined' needs a macro name");
        const bool isDefined = macros_.count(std::string(expr.substr(k, nameEnd - k))) != 0;
        k = skipBlanks(expr, nameEnd);
        if (paren) {
            if (k >= expr.size() || expr[k] != ')')
                return error(Errc::Parse, at, "'defined(' without ')'");
            ++k;
        }
        replaced += isDefined ? " 1 " : " 0 ";
        i = k;
    }
    std::string expanded;
    std::vector<std::string> hidden;
    if (!expand(replaced, hidden, expanded, nullptr))
        return error(Errc::Parse, at, error_);
    const ExprOutcome v = evaluateExpression(expanded, Identifiers::AreZero);
    if (!v.ok)
        return error(Errc::Parse, at, "#if " + std::string(trim(expr)) + ": " + v.message);
    return v.value != 0;
}

Result<void> Preprocessor::defineDirective(std::string_view rest, const SourceLocation& at) {
    rest = trim(rest);
    const std::size_t nameEnd = identEnd(rest, 0);
    if (nameEnd == 0 || !isIdentChar(rest[0], true))
        return error(Errc::Parse, at, "#define needs a macro name");
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
            const std::size_t end = identEnd(rest, i);
            if (end == i)
                return error(Errc::Parse, at, "bad parameter list in #define " + name);
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
            return error(Errc::Parse, at, "#define " + name + ": the parameter list has no ')'");
        ++i;
    }
    m.body = std::string(trim(rest.substr(i)));
    define(name, std::move(m));
    return {};
}

Result<void> Preprocessor::include(FileState& f, std::string_view rest, std::size_t line, int depth) {
    const SourceLocation at = where(f, line);
    rest = trim(rest);
    std::string expanded;
    if (!rest.empty() && rest.front() != '"' && rest.front() != '<') { // #include MACRO
        std::vector<std::string> hidden;
        if (!expand(rest, hidden, expanded, nullptr))
            return error(Errc::Parse, at, error_);
        rest = trim(expanded);
    }
    if (rest.size() < 2 || (rest.front() != '"' && rest.front() != '<'))
        return error(Errc::Parse, at, "#include expects \"file\" or <file>");
    const bool quoted = rest.front() == '"';
    const std::size_t close = rest.find(quoted ? '"' : '>', 1);
    if (close == std::string_view::npos)
        return error(Errc::Parse, at, std::string("#include: no closing ") + (quoted ? "'\"'" : "'>'"));
    const std::filesystem::path name(std::string(rest.substr(1, close - 1)));

    std::vector<std::filesystem::path> candidates;
    if (name.is_absolute()) {
        candidates.push_back(name);
    } else {
        if (quoted)
            candidates.push_back(std::filesystem::path(f.path).parent_path() / name);
        for (const auto& dir : options_.includeDirs)
            candidates.push_back(dir / name);
    }
    for (const auto& candidate : candidates) {
        const std::string path = candidate.lexically_normal().string();
        auto text = readImportFile(options_, candidate);
        if (!text)
            continue;
        if (onceOnly_.count(path))
            return {};
        return processFile(*text, path, depth + 1);
    }
    if (name == "mem.h")
        return {}; // its DT_SIZE_K/DT_SIZE_M are built in
    std::string searched;
    for (const auto& candidate : candidates) {
        const std::string dir = candidate.parent_path().lexically_normal().string();
        searched += (searched.empty() ? "" : ", ") + (dir.empty() ? std::string(".") : dir);
    }
    return error(Errc::NotFound, at,
                 "cannot find include file " + std::string(rest.substr(0, close + 1)) + " (searched " +
                     (searched.empty() ? std::string("no folder: pass -I") : searched) + ")");
}

Result<void> Preprocessor::directive(FileState& f, std::string_view name, std::string_view rest,
                                     std::size_t line, int depth) {
    const SourceLocation at = where(f, line);
    if (name == "if" || name == "ifdef" || name == "ifndef") {
        Conditional c;
        c.parentActive = f.active();
        c.opened = at;
        bool value = false;
        if (c.parentActive) {
            if (name == "if") {
                auto v = condition(rest, at);
                if (!v)
                    return v.error();
                value = *v;
            } else {
                const std::string_view id = trim(rest).substr(0, identEnd(trim(rest), 0));
                if (id.empty())
                    return error(Errc::Parse, at, "#" + std::string(name) + " needs a macro name");
                value = (macros_.count(std::string(id)) != 0) == (name == "ifdef");
            }
        }
        c.active = c.parentActive && value;
        c.taken = c.active;
        f.conds.push_back(c);
        return {};
    }
    if (name == "elif" || name == "else" || name == "endif") {
        if (f.conds.empty())
            return error(Errc::Parse, at, "#" + std::string(name) + " without #if");
        Conditional& c = f.conds.back();
        if (name == "endif") {
            f.conds.pop_back();
            return {};
        }
        if (c.sawElse)
            return error(Errc::Parse, at, "#" + std::string(name) + " after #else");
        if (name == "else") {
            c.sawElse = true;
            c.active = c.parentActive && !c.taken;
            c.taken = true;
            return {};
        }
        if (c.taken || !c.parentActive) {
            c.active = false;
            return {};
        }
        auto v = condition(rest, at);
        if (!v)
            return v.error();
        c.active = *v;
        c.taken = *v;
        return {};
    }
    if (!f.active())
        return {};
    if (name == "include")
        return include(f, rest, line, depth);
    if (name == "define")
        return defineDirective(rest, at);
    if (name == "undef") {
        macros_.erase(std::string(trim(rest).substr(0, identEnd(trim(rest), 0))));
        return {};
    }
    if (name == "error")
        return error(Errc::Parse, at, "#error " + std::string(trim(rest)));
    if (name == "pragma") {
        if (trim(rest) == "once")
            onceOnly_.insert(f.path);
        return {};
    }
    return {}; // #warning, #line (handled by the caller), #ident: nothing to do
}

Result<void> Preprocessor::processFile(std::string_view text, const std::string& path, int depth) {
    if (depth > kMaxIncludeDepth) {
        SourceLocation at;
        at.file = path;
        return error(Errc::Parse, at, "#include nested more than 200 deep (does a file include itself?)");
    }
    std::string clean;
    int openLine = 0;
    if (!stripComments(text, clean, openLine)) {
        SourceLocation at;
        at.file = path;
        at.line = openLine;
        return error(Errc::Parse, at, "a /* comment that is never closed");
    }
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= clean.size();) {
        std::size_t end = clean.find('\n', start);
        if (end == std::string::npos)
            end = clean.size();
        std::string_view l(clean.data() + start, end - start);
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        lines.push_back(l);
        start = end + 1;
    }

    FileState f;
    f.path = path;
    f.mapFile = out_.fileIndex(path);
    const auto isDirective = [](std::string_view l) {
        const std::size_t k = skipBlanks(l, 0);
        return k < l.size() && l[k] == '#';
    };

    for (std::size_t i = 0; i < lines.size();) {
        const std::size_t first = i + 1; // 1-based physical line
        std::string logical(lines[i++]);
        while (!logical.empty() && logical.back() == '\\' && i < lines.size()) {
            logical.pop_back();
            logical += lines[i++];
        }
        std::size_t k = skipBlanks(logical, 0);
        if (k < logical.size() && logical[k] == '#') {
            k = skipBlanks(logical, k + 1);
            const std::string_view restAll = std::string_view(logical).substr(k);
            if (k >= logical.size())
                continue; // the null directive
            if (isDigit(logical[k]) || restAll.starts_with("line")) {
                // A line marker (# 12 "board.dts") or #line: the next line is that line of that file.
                if (!f.active())
                    continue;
                std::size_t p = restAll.starts_with("line") ? skipBlanks(restAll, 4) : 0;
                long number = 0;
                while (p < restAll.size() && isDigit(restAll[p]))
                    number = number * 10 + (restAll[p++] - '0');
                p = skipBlanks(restAll, p);
                if (p < restAll.size() && restAll[p] == '"') {
                    const std::size_t close = restAll.find('"', p + 1);
                    if (close != std::string_view::npos)
                        f.mapFile = out_.fileIndex(std::string(restAll.substr(p + 1, close - p - 1)));
                }
                f.lineDelta = number - static_cast<long>(i + 1);
                continue;
            }
            const std::size_t nameEnd = identEnd(restAll, 0);
            const std::string_view name = restAll.substr(0, nameEnd);
            static const std::set<std::string_view> kDirectives{
                "include", "define", "undef", "if",     "ifdef",   "ifndef", "elif",
                "else",    "endif",  "error", "pragma", "warning", "ident"};
            if (kDirectives.count(name)) {
                if (auto r = directive(f, name, restAll.substr(nameEnd), first, depth); !r)
                    return r;
                continue;
            }
            // '#address-cells = <1>;' and the like: devicetree text, not a directive.
        }
        if (!f.active())
            continue;
        std::string expanded;
        for (std::size_t joined = 0;; ++joined) {
            bool incomplete = false;
            std::vector<std::string> hidden;
            expanded.clear();
            if (!expand(logical, hidden, expanded, &incomplete))
                return error(Errc::Parse, where(f, first), error_);
            if (!incomplete || i >= lines.size() || joined >= kMaxInvocationLines || isDirective(lines[i]))
                break;
            logical += ' ';
            logical += lines[i++]; // the macro's arguments go on: read them on the next line
        }
        out_.appendLine(expanded, f.mapFile,
                        static_cast<std::uint32_t>(std::max(1L, static_cast<long>(first) + f.lineDelta)));
    }
    if (!f.conds.empty())
        return error(Errc::Parse, f.conds.back().opened, "#if without #endif");
    return {};
}

} // namespace

Result<PreprocessedSource> preprocess(std::string_view text, const std::string& fileName,
                                      const ImportOptions& options) {
    Preprocessor p(options);
    if (auto r = p.processFile(text, fileName, 0); !r)
        return r.error();
    return p.take();
}

} // namespace flashplan::dts
