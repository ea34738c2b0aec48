// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/Preprocessor.h"

#include "io/cpp/Expander.h"
#include "io/cpp/Expression.h"

#include <algorithm>
#include <limits>
#include <set>

namespace flashplan::cpp {

namespace {

constexpr std::size_t kMaxIncludeDepth = 200; // as GCC's cpp
constexpr std::size_t kNoLine = std::numeric_limits<std::size_t>::max();

/// One #if level: whether its enclosing text is live, whether a branch was taken, whether this one is.
struct Conditional {
    bool parentActive = true;
    bool taken = false;
    bool active = true;
    bool sawElse = false;
    SourceLocation opened;
};

/// One file being read.
struct Frame {
    std::string path;
    std::uint32_t physical = 0; ///< the index of `path` in the file list (tokens carry it)
    std::uint32_t named = 0;    ///< the file that lines are said to come from (a line marker changes it)
    long lineDelta = 0;         ///< named line = physical line + lineDelta
    std::vector<LexedLine> lines;
    std::size_t next = 0;          ///< the next line to read
    std::size_t current = kNoLine; ///< the text line whose tokens are being read
    std::size_t tokenPos = 0;
    std::vector<Conditional> conds;
    bool skipping() const { return !conds.empty() && !conds.back().active; }
};

/// The files of one run, their directives, and the tokens of their text lines for the expander.
class Session : public TokenSource {
public:
    Session(const Options& options, Preprocessed& out) : options_(options), out_(out) {
        out_.macros = options.predefined;
        lexing_.dollarsInIdentifiers = options.language == Language::C;
    }

    Result<void> run(std::string_view text, const std::string& fileName) {
        if (auto r = pushFile(text, fileName, {}); !r)
            return r;
        if (options_.mode == Mode::MacrosOnly) {
            for (;;) {
                auto t = next(0);
                if (!t)
                    return t.error();
                if (t->kind == TokenKind::End)
                    return {};
            }
        }
        expanding_ = true;
        Expander expander(out_.macros, *this, lexing_, assembler());
        for (;;) {
            auto t = expander.next();
            if (!t)
                return t.error();
            if (t->kind == TokenKind::End)
                break;
            text_.write(*t);
        }
        out_.lines = text_.take();
        return {};
    }

    Result<Token> next(int parsingArguments) override;
    void backup(Token token) override { lookahead_.push_back(std::move(token)); }
    SourceLocation locate(const Token& t) const override {
        const auto [file, line] = origin(t);
        return {file < out_.files.size() ? out_.files[file] : std::string(), line, 0};
    }

private:
    /// The file (an index into out_.files) and line that a token is said to come from.
    std::pair<std::uint32_t, int> origin(const Token& t) const {
        for (auto f = frames_.rbegin(); f != frames_.rend(); ++f)
            if (f->physical == t.file)
                return {f->named, static_cast<int>(t.line + f->lineDelta)};
        return {t.file, t.line};
    }
    void startLine(const Token& t) {
        const auto [file, line] = origin(t);
        text_.newLine(t, file, line);
    }
    bool assembler() const { return options_.language == Language::AssemblerWithCpp; }
    std::uint32_t fileIndex(const std::string& name) {
        const auto it = std::find(out_.files.begin(), out_.files.end(), name);
        if (it != out_.files.end())
            return static_cast<std::uint32_t>(it - out_.files.begin());
        out_.files.push_back(name);
        return static_cast<std::uint32_t>(out_.files.size() - 1);
    }
    static Error error(const SourceLocation& at, std::string message) {
        Error e = makeError(Errc::Parse, std::move(message));
        e.where = at;
        return e;
    }
    static Token endToken() { return Token{}; }

    Result<void> pushFile(std::string_view text, const std::string& path, const SourceLocation& from);
    /// Handles the directive line; false when it is no directive but text (assembler).
    Result<bool> directive(const LexedLine& line);
    Result<bool> conditional(const std::string& name, const Tokens& t, const SourceLocation& at);
    Result<void> include(const Tokens& t, const SourceLocation& at);
    Result<void> lineMarker(const Tokens& t, std::size_t from, const SourceLocation& at);
    Result<bool> condition(const Tokens& t, const SourceLocation& at, const std::string& name);
    /// The tokens after the directive's name, macro-expanded (no Padding).
    Result<Tokens> expandRest(const Tokens& t, std::size_t from, const SourceLocation& at);

    const Options& options_;
    Preprocessed& out_;
    LexOptions lexing_;
    std::vector<Frame> frames_;
    Tokens lookahead_;
    bool pendingDirective_ = false; // a directive's '#' was handed out while looking for a macro's '('
    std::set<std::string> onceOnly_;
    TextOutput text_;
    bool expanding_ = false; // Mode::Expand, past the start
};

Result<void> Session::pushFile(std::string_view text, const std::string& path, const SourceLocation& from) {
    if (frames_.size() >= kMaxIncludeDepth)
        return error(from, "#include nested more than " + std::to_string(kMaxIncludeDepth) +
                               " deep (does a file include itself?)");
    Frame f;
    f.path = path;
    f.physical = fileIndex(path);
    f.named = f.physical;
    auto lines = lexFile(text, path, f.physical, lexing_);
    if (!lines)
        return lines.error();
    f.lines = std::move(*lines);
    frames_.push_back(std::move(f));
    return {};
}

Result<Token> Session::next(int parsingArguments) {
    for (;;) {
        if (!lookahead_.empty()) {
            Token t = std::move(lookahead_.back());
            lookahead_.pop_back();
            if (pendingDirective_ && t.lineStart && t.isPunctuator("#")) {
                if (parsingArguments == 1)
                    return t;
                pendingDirective_ = false; // now read it as the directive it is
                continue;
            }
            if (t.lineStart && parsingArguments == 0 && expanding_)
                startLine(t);
            return t;
        }
        Frame& f = frames_.back();
        if (f.current != kNoLine && f.tokenPos < f.lines[f.current].tokens.size()) {
            Token t = f.lines[f.current].tokens[f.tokenPos++];
            if (t.lineStart && parsingArguments == 0 && expanding_)
                startLine(t);
            return t;
        }
        f.current = kNoLine;
        if (f.next >= f.lines.size()) {
            if (parsingArguments != 0)
                return endToken(); // a macro's arguments do not run past the end of a file
            if (!f.conds.empty())
                return error(f.conds.back().opened, "#if without #endif");
            if (frames_.size() == 1)
                return endToken();
            frames_.pop_back();
            continue;
        }
        const std::size_t index = f.next;
        const LexedLine& line = f.lines[index];
        if (line.tokens.front().isPunctuator("#")) {
            if (parsingArguments == 1 && !f.skipping()) {
                pendingDirective_ = true;
                return line.tokens.front();
            }
            ++f.next;
            auto handled = directive(line);
            if (!handled)
                return handled.error();
            if (*handled)
                continue;
        } else {
            ++f.next;
        }
        Frame& g = frames_.back(); // the directive may have changed the frames
        if (g.skipping() || options_.mode == Mode::MacrosOnly)
            continue;
        g.current = index;
        g.tokenPos = 0;
    }
}

Result<bool> Session::directive(const LexedLine& line) {
    const Tokens& t = line.tokens;
    const SourceLocation at = locate(t.front());
    if (t.size() == 1)
        return true; // the null directive
    const bool skipping = frames_.back().skipping();
    if (t[1].kind == TokenKind::Number) {
        if (!assembler() || options_.lineMarkers) {
            if (!skipping)
                if (auto r = lineMarker(t, 1, at); !r)
                    return r.error();
            return true;
        }
        return skipping; // assembler: "# 12" is text, as GCC leaves it
    }
    const std::string& name = t[1].text;
    if (t[1].kind == TokenKind::Identifier && (name == "if" || name == "ifdef" || name == "ifndef" ||
                                               name == "elif" || name == "else" || name == "endif"))
        return conditional(name, t, at);
    if (skipping)
        return true;
    if (t[1].kind != TokenKind::Identifier) {
        if (assembler())
            return false;
        return error(at, "'#" + t[1].text + "' is not a preprocessing directive");
    }
    if (name == "include" || name == "include_next" || name == "import") {
        if (auto r = include(t, at); !r)
            return r.error();
        return true;
    }
    if (name == "define") {
        if (auto r = out_.macros.define(Tokens(t.begin() + 2, t.end()), at, assembler()); !r)
            return r.error();
        return true;
    }
    if (name == "undef") {
        if (t.size() < 3 || t[2].kind != TokenKind::Identifier)
            return error(at, "#undef needs a macro name");
        out_.macros.undefine(t[2].text);
        return true;
    }
    if (name == "error") {
        if (options_.mode == Mode::Expand)
            return error(at, "#error " + spell(t, 2));
        out_.notes.push_back({at, "#error " + spell(t, 2)});
        return true;
    }
    if (name == "warning") {
        out_.notes.push_back({at, "#warning " + spell(t, 2)});
        return true;
    }
    if (name == "pragma") {
        if (t.size() > 2 && t[2].text == "once") {
            onceOnly_.insert(frames_.back().path);
            if (expanding_)
                startLine(t[2]); // GCC's cpp writes a blank line for it: keep the text the same
        }
        return true; // other pragmas mean nothing to a layout
    }
    if (name == "line") {
        if (auto r = lineMarker(t, 2, at); !r)
            return r.error();
        return true;
    }
    if (name == "ident" || name == "sccs" || name == "assert" || name == "unassert")
        return true;
    if (assembler())
        return false; // "#address-cells = <1>;" is devicetree text
    return error(at, "#" + name + " is not a preprocessing directive");
}

Result<bool> Session::conditional(const std::string& name, const Tokens& t, const SourceLocation& at) {
    Frame& f = frames_.back();
    if (name == "if" || name == "ifdef" || name == "ifndef") {
        Conditional c;
        c.parentActive = !f.skipping();
        c.opened = at;
        bool value = false;
        if (c.parentActive) {
            if (name == "if") {
                auto v = condition(t, at, name);
                if (!v)
                    return v.error();
                value = *v;
            } else {
                if (t.size() < 3 || t[2].kind != TokenKind::Identifier)
                    return error(at, "#" + name + " needs a macro name");
                const bool isDefined =
                    out_.macros.defined(t[2].text) || t[2].text == "__FILE__" || t[2].text == "__LINE__";
                value = isDefined == (name == "ifdef");
            }
        }
        c.active = c.parentActive && value;
        c.taken = c.active;
        frames_.back().conds.push_back(c);
        return true;
    }
    if (f.conds.empty())
        return error(at, "#" + name + " without #if");
    if (name == "endif") {
        f.conds.pop_back();
        return true;
    }
    Conditional& c = f.conds.back();
    if (c.sawElse)
        return error(at, "#" + name + " after #else");
    if (name == "else") {
        c.sawElse = true;
        c.active = c.parentActive && !c.taken;
        c.taken = true;
        return true;
    }
    if (c.taken || !c.parentActive) { // an #elif after a branch was taken is not evaluated (C23, GCC)
        c.active = false;
        return true;
    }
    auto v = condition(t, at, name);
    if (!v)
        return v.error();
    Conditional& d = frames_.back().conds.back();
    d.active = *v;
    d.taken = *v;
    return true;
}

Result<bool> Session::condition(const Tokens& t, const SourceLocation& at, const std::string& name) {
    if (t.size() < 3)
        return error(at, "#" + name + " with no expression");
    // defined X and defined(X) are read before their operand could be expanded, as C requires.
    ListSource source(Tokens(t.begin() + 2, t.end()), at);
    Expander expander(out_.macros, source, lexing_, assembler());
    const auto nextToken = [&]() -> Result<Token> {
        for (;;) {
            auto k = expander.next();
            if (!k || k->kind != TokenKind::Padding)
                return k;
        }
    };
    Tokens expr;
    for (;;) {
        auto k = nextToken();
        if (!k)
            return k.error();
        if (k->kind == TokenKind::End)
            break;
        if (!k->is(TokenKind::Identifier, "defined")) {
            expr.push_back(std::move(*k));
            continue;
        }
        ++expander.preventExpansion;
        auto operand = nextToken();
        const bool paren = operand && operand->isPunctuator("(");
        if (paren)
            operand = nextToken();
        if (!operand)
            return operand.error();
        if (operand->kind != TokenKind::Identifier)
            return error(at, "#" + name + ": 'defined' needs a macro name");
        if (paren) {
            auto close = nextToken();
            if (!close)
                return close.error();
            if (!close->isPunctuator(")"))
                return error(at, "#" + name + ": 'defined(' without ')'");
        }
        --expander.preventExpansion;
        const std::string& n = operand->text;
        Token value = *k;
        value.kind = TokenKind::Number;
        value.text = out_.macros.defined(n) || n == "__FILE__" || n == "__LINE__" ? "1" : "0";
        expr.push_back(std::move(value));
    }
    auto v = evaluate(expr, Dialect::Condition);
    if (!v)
        return error(at, "#" + name + " " + spell(t, 2) + ": " + v.error().message);
    return v->bits != 0;
}

Result<Tokens> Session::expandRest(const Tokens& t, std::size_t from, const SourceLocation& at) {
    return expandTokens(out_.macros, Tokens(t.begin() + static_cast<long>(from), t.end()), at, lexing_,
                        assembler());
}

Result<void> Session::include(const Tokens& t, const SourceLocation& at) {
    Tokens rest(t.begin() + 2, t.end());
    if (!rest.empty() && rest[0].kind != TokenKind::StringLiteral && !rest[0].isPunctuator("<")) {
        auto expanded = expandRest(t, 2, at); // #include MACRO
        if (!expanded)
            return expanded.error();
        rest = std::move(*expanded);
    }
    IncludeRequest request;
    request.where = at;
    request.includingFile = frames_.back().path;
    if (!rest.empty() && rest[0].kind == TokenKind::StringLiteral && rest[0].text.front() == '"') {
        request.name = rest[0].text.substr(1, rest[0].text.size() - 2);
    } else if (!rest.empty() && rest[0].isPunctuator("<")) {
        request.angled = true;
        std::size_t close = 1;
        while (close < rest.size() && !rest[close].isPunctuator(">"))
            ++close;
        if (close == rest.size())
            return error(at, "#include <" + spell(rest, 1) + ": no closing '>'");
        rest.resize(close);
        request.name = spell(rest, 1);
    } else {
        return error(at, "#include expects \"file\" or <file>");
    }
    if (!options_.include)
        return Error{Errc::NotFound,
                     "cannot read include file " + spell(Tokens(t.begin() + 2, t.end())) +
                         ": includes are not followed here",
                     at,
                     {}};
    auto file = options_.include(request);
    if (!file)
        return file.error();
    if (!*file || onceOnly_.count((*file)->path))
        return {};
    return pushFile((*file)->text, (*file)->path, at);
}

Result<void> Session::lineMarker(const Tokens& t, std::size_t from, const SourceLocation& at) {
    auto rest = expandRest(t, from, at);
    if (!rest)
        return rest.error();
    if (rest->empty() || rest->front().kind != TokenKind::Number ||
        rest->front().text.find_first_not_of("0123456789") != std::string::npos ||
        rest->front().text.size() > 9)
        return error(at, "#line needs a line number");
    Frame& f = frames_.back();
    if (rest->size() > 1 && (*rest)[1].kind == TokenKind::StringLiteral) {
        const std::string& s = (*rest)[1].text;
        f.named = fileIndex(s.substr(1, s.size() - 2));
    }
    // The line after this one is line N.
    const long number = std::stol(rest->front().text);
    f.lineDelta = number - (t.back().line + 1);
    return {};
}

} // namespace

std::string Preprocessed::text() const {
    std::string out;
    for (const OutputLine& l : lines) {
        out += l.text;
        out.push_back('\n');
    }
    return out;
}

Result<Preprocessed> preprocess(std::string_view text, const std::string& fileName, const Options& options) {
    Preprocessed out;
    Session session(options, out);
    if (auto r = session.run(text, fileName); !r)
        return r.error();
    return out;
}

} // namespace flashplan::cpp
