// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsPreprocessor.h"

#include "io/dts/DtsExpression.h"
#include "io/dts/DtsMacros.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

namespace flashplan::dts {

namespace {

constexpr int kMaxIncludeDepth = 200;           // as GCC's cpp
constexpr std::size_t kMaxInvocationLines = 64; // lines a macro call's arguments may span

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

/// Replaces every comment by a blank, keeping the newlines of block comments so that lines keep their
/// numbers. Errors: a block comment that never ends (its line in `where`).
bool stripComments(std::string_view text, std::string& out, int& unterminatedLine) {
    out.reserve(text.size());
    int line = 1;
    for (std::size_t i = 0; i < text.size();) {
        // Plain text goes across in one piece, up to the next quote, slash or newline.
        const std::size_t plain = std::min(text.find_first_of("\"'/\n", i), text.size());
        if (plain > i) {
            out.append(text.substr(i, plain - i));
            i = plain;
            continue;
        }
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
    explicit Preprocessor(const ImportOptions& options) : options_(options) {}

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

    const ImportOptions& options_;
    PreprocessedSource out_;
    MacroTable macros_;
    std::set<std::string> onceOnly_;
};

Result<void> Preprocessor::include(FileState& f, std::string_view rest, std::size_t line, int depth) {
    const SourceLocation at = where(f, line);
    rest = trimBlanks(rest);
    std::string expanded;
    if (!rest.empty() && rest.front() != '"' && rest.front() != '<') { // #include MACRO
        if (const std::string e = macros_.expand(rest, expanded); !e.empty())
            return error(Errc::Parse, at, e);
        rest = trimBlanks(expanded);
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
                std::string why;
                if (!macros_.condition(rest, value, why))
                    return error(Errc::Parse, at, why);
            } else {
                const std::string_view id = trimBlanks(rest).substr(0, identifierEnd(trimBlanks(rest), 0));
                if (id.empty())
                    return error(Errc::Parse, at, "#" + std::string(name) + " needs a macro name");
                value = macros_.isDefined(id) == (name == "ifdef");
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
        bool value = false;
        std::string why;
        if (!macros_.condition(rest, value, why))
            return error(Errc::Parse, at, why);
        c.active = value;
        c.taken = value;
        return {};
    }
    if (!f.active())
        return {};
    if (name == "include")
        return include(f, rest, line, depth);
    if (name == "define") {
        if (const std::string e = macros_.define(rest); !e.empty())
            return error(Errc::Parse, at, e);
        return {};
    }
    if (name == "undef") {
        macros_.undefine(trimBlanks(rest).substr(0, identifierEnd(trimBlanks(rest), 0)));
        return {};
    }
    if (name == "error")
        return error(Errc::Parse, at, "#error " + std::string(trimBlanks(rest)));
    if (name == "pragma") {
        if (trimBlanks(rest) == "once")
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
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3); // a UTF-8 byte order mark, as some editors write
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
            const std::size_t nameEnd = identifierEnd(restAll, 0);
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
            expanded.clear();
            if (const std::string e = macros_.expand(logical, expanded, &incomplete); !e.empty())
                return error(Errc::Parse, where(f, first), e);
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
