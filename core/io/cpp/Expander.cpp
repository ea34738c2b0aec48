// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/Expander.h"

#include "io/cpp/Expression.h"

#include <algorithm>

namespace flashplan::cpp {

namespace {

constexpr int kMaxArgumentNesting = 256; // macro calls within arguments within arguments...

Token endOfArgument() {
    Token t;
    t.kind = TokenKind::End;
    t.argumentEnd = true;
    return t;
}

/// GCC's rule for the spacing of a padding run: the first padding stands, unless a later one stands for
/// nothing and the first asked for no blank.
void mergePadding(PaddingSource& into, PaddingSource next) {
    if (into == PaddingSource::None || (into == PaddingSource::NoBlank && next == PaddingSource::None))
        into = next;
}

} // namespace

Token paddingFor(const Token* source) {
    Token t;
    t.kind = TokenKind::Padding;
    t.padding = !source               ? PaddingSource::None
                : source->spaceBefore ? PaddingSource::Blank
                                      : PaddingSource::NoBlank;
    return t;
}

Result<Token> ListSource::next(int) {
    if (pos_ < tokens_.size())
        return tokens_[pos_++];
    Token end;
    end.kind = TokenKind::End;
    return end;
}

void ListSource::backup(Token token) {
    if (token.kind != TokenKind::End && pos_ > 0)
        --pos_;
}

Error Expander::error(const Token& at, std::string message) const {
    Error e = makeError(Errc::Parse, std::move(message));
    e.where = base_.locate(at);
    return e;
}

bool Expander::disabled(const Macro* m) const {
    return std::any_of(contexts_.begin(), contexts_.end(), [&](const Context& c) { return c.macro == m; });
}

void Expander::push(Tokens tokens, const Macro* m) {
    contexts_.push_back(Context{std::move(tokens), 0, m});
}

void Expander::backup(Token t) {
    if (contexts_.empty())
        base_.backup(std::move(t));
    else if (contexts_.back().pos > 0)
        --contexts_.back().pos;
}

Result<Token> Expander::next() {
    for (;;) {
        Token result;
        if (contexts_.empty()) {
            auto r = base_.next(parsingArguments_);
            if (!r)
                return r;
            result = std::move(*r);
        } else if (contexts_.back().pos < contexts_.back().tokens.size()) {
            Context& c = contexts_.back();
            result = c.tokens[c.pos++];
            if (result.pasteLeft) {
                if (auto p = pasteAll(result); !p)
                    return p.error();
                return paddingFor(&result);
            }
        } else {
            contexts_.pop_back();
            return paddingFor(nullptr);
        }
        if (result.kind != TokenKind::Identifier || result.noExpand)
            return result;
        const Macro* m = macros_.find(result.text);
        if (!m) {
            if (preventExpansion == 0 && builtin(result))
                return paddingFor(&result);
            return result;
        }
        if (disabled(m)) {
            result.noExpand = true; // C11 6.10.3.4p2: never replaced again, even after its macro's end
            return result;
        }
        if (preventExpansion > 0)
            return result;
        auto entered = enter(*m, result);
        if (!entered)
            return entered.error();
        if (*entered)
            return paddingFor(&result);
        return result;
    }
}

bool Expander::builtin(const Token& name) {
    if (name.text != "__LINE__" && name.text != "__FILE__")
        return false;
    const SourceLocation where = base_.locate(name);
    Token t = name;
    t.spaceBefore = false;
    if (name.text == "__LINE__") {
        t.kind = TokenKind::Number;
        t.text = std::to_string(where.line);
    } else {
        t.kind = TokenKind::StringLiteral;
        t.text = "\"";
        for (char c : where.file) {
            if (c == '"' || c == '\\')
                t.text.push_back('\\');
            t.text.push_back(c);
        }
        t.text += "\"";
    }
    push({t}, nullptr);
    return true;
}

Result<bool> Expander::enter(const Macro& m, const Token& name) {
    if (!m.functionLike) {
        push(m.body, &m);
        return true;
    }
    auto args = readCall(m, name);
    if (!args)
        return args.error();
    if (!*args)
        return false;
    if (m.params.empty())
        push(m.body, &m);
    else if (auto r = substitute(m, **args); !r)
        return r.error();
    return true;
}

Result<std::optional<std::vector<Expander::Argument>>> Expander::readCall(const Macro& m, const Token& name) {
    // Look for '(' without expanding, keeping the spacing of any padding on the way.
    ++preventExpansion;
    parsingArguments_ = 1;
    struct Restore {
        Expander& e;
        ~Restore() {
            e.parsingArguments_ = 0;
            --e.preventExpansion;
        }
    } restore{*this};
    Token padding;
    bool sawPadding = false;
    Token t;
    for (;;) {
        auto r = next();
        if (!r)
            return r.error();
        t = std::move(*r);
        if (t.kind != TokenKind::Padding)
            break;
        if (!sawPadding || t.padding == PaddingSource::None)
            padding = t;
        sawPadding = true;
    }
    if (!t.isPunctuator("(")) {
        // Not a call: the name stands for itself (C11 6.10.3p10). The end of a file is not given back.
        if (t.kind != TokenKind::End || t.argumentEnd)
            backup(std::move(t));
        if (sawPadding)
            push({padding}, nullptr);
        return std::optional<std::vector<Argument>>();
    }
    parsingArguments_ = 2;
    auto args = collectArguments(m, name);
    if (!args)
        return args.error();
    return std::optional<std::vector<Argument>>(std::move(*args));
}

Result<std::vector<Expander::Argument>> Expander::collectArguments(const Macro& m, const Token& name) {
    std::vector<Argument> args;
    const std::size_t paramc = m.params.size();
    Token t;
    do {
        int depth = 0;
        Argument a;
        for (;;) {
            auto r = next();
            if (!r)
                return r.error();
            t = std::move(*r);
            if (t.kind == TokenKind::Padding) {
                if (a.raw.empty())
                    continue; // leading padding says nothing
            } else if (t.isPunctuator("(")) {
                ++depth;
            } else if (t.isPunctuator(")")) {
                if (depth-- == 0)
                    break;
            } else if (t.isPunctuator(",")) {
                // A comma inside parentheses, or in the variadic argument, does not end it.
                if (depth == 0 && !(m.variadic && args.size() + 1 == paramc))
                    break;
            } else if (t.kind == TokenKind::End) {
                break;
            }
            a.raw.push_back(t);
        }
        while (!a.raw.empty() && a.raw.back().kind == TokenKind::Padding)
            a.raw.pop_back();
        args.push_back(std::move(a));
    } while (!t.isPunctuator(")") && t.kind != TokenKind::End);

    if (t.kind == TokenKind::End) {
        if (t.argumentEnd)
            backup(std::move(t));
        return error(name, "the arguments of macro " + m.name + " are never closed with ')'");
    }
    const std::size_t argc = args.size();
    const bool variadicOmitted = m.variadic && argc + 1 == paramc;
    const bool emptyCallOfNone = paramc == 0 && argc == 1 && args[0].raw.empty();
    if ((argc < paramc && !variadicOmitted) || (argc > paramc && !emptyCallOfNone)) {
        const std::size_t least = m.variadic ? paramc - 1 : paramc;
        return error(name, "macro " + m.name + " takes " + (m.variadic ? "at least " : "") +
                               std::to_string(least) + " argument" + (least == 1 ? "" : "s") +
                               ", but is given " + std::to_string(argc));
    }
    if (variadicOmitted)
        args.emplace_back();
    if (m.variadic && (variadicOmitted || (argc == 1 && args[0].raw.empty())))
        args[paramc - 1].omitted = true;
    return args;
}

Result<void> Expander::expandArgument(Argument& a) {
    a.expandedDone = true;
    if (a.raw.empty())
        return {};
    if (argumentDepth_ >= kMaxArgumentNesting)
        return error(a.raw.front(), "macro calls nest too deeply (more than " +
                                        std::to_string(kMaxArgumentNesting) + " levels of arguments)");
    ++argumentDepth_;
    Tokens in = a.raw;
    in.push_back(endOfArgument());
    push(std::move(in), nullptr);
    for (;;) {
        auto r = next();
        if (!r)
            return r.error();
        if (r->kind == TokenKind::End)
            break;
        a.expanded.push_back(std::move(*r));
    }
    contexts_.pop_back();
    --argumentDepth_;
    return {};
}

Token Expander::stringify(const Tokens& raw) const {
    Token s;
    s.kind = TokenKind::StringLiteral;
    s.text = "\"";
    PaddingSource source = PaddingSource::None;
    bool first = true;
    int backslashes = 0;
    for (const Token& t : raw) {
        if (t.kind == TokenKind::Padding) {
            mergePadding(source, t.padding);
            continue;
        }
        if (!first) {
            if (source == PaddingSource::None)
                source = t.spaceBefore ? PaddingSource::Blank : PaddingSource::NoBlank;
            if (source == PaddingSource::Blank)
                s.text.push_back(' ');
        }
        source = PaddingSource::None;
        first = false;
        const bool escape = t.kind == TokenKind::StringLiteral || t.kind == TokenKind::CharLiteral;
        for (char c : t.text) {
            if (escape && (c == '"' || c == '\\'))
                s.text.push_back('\\');
            s.text.push_back(c);
        }
        backslashes = t.is(TokenKind::Other, "\\") ? backslashes + 1 : 0;
    }
    if (backslashes % 2 == 1)
        s.text.pop_back(); // a lone final backslash would escape the closing quote: GCC drops it
    s.text.push_back('"');
    return s;
}

Result<void> Expander::substitute(const Macro& m, std::vector<Argument>& args) {
    Tokens out;
    const Tokens& body = m.body;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const Token& src = body[i];
        if (src.parameter < 0) {
            out.push_back(src);
            continue;
        }
        Argument& arg = args[static_cast<std::size_t>(src.parameter)];
        const bool afterPaste = i > 0 && body[i - 1].pasteLeft;
        std::optional<std::size_t> pasteFlag; // a token whose pasteLeft is to be set to src's
        Tokens from;
        if (src.stringify) {
            from.push_back(stringify(arg.raw));
            from.back().spaceBefore = false;
        } else if (src.pasteLeft) {
            from = arg.raw;
        } else if (afterPaste) {
            from = arg.raw;
            if (!out.empty()) {
                if (out.back().isPunctuator(",") && m.variadic &&
                    static_cast<std::size_t>(src.parameter) + 1 == m.params.size()) {
                    // GNU: ", ## __VA_ARGS__" drops the comma when the variadic argument is not given.
                    if (arg.omitted)
                        out.pop_back();
                    else
                        pasteFlag = out.size() - 1;
                } else if (from.empty()) {
                    pasteFlag = out.size() - 1; // pasting with nothing leaves the left side alone
                }
            }
        } else {
            if (!arg.expandedDone)
                if (auto r = expandArgument(arg); !r)
                    return r;
            from = arg.expanded;
        }
        if (i > 0 && !afterPaste)
            out.push_back(paddingFor(&src));
        if (!from.empty()) {
            out.insert(out.end(), from.begin(), from.end());
            if (src.pasteLeft)
                pasteFlag = out.size() - 1;
        }
        if (!src.pasteLeft)
            out.push_back(paddingFor(nullptr));
        if (pasteFlag)
            out[*pasteFlag].pasteLeft = src.pasteLeft;
    }
    push(std::move(out), &m);
    return {};
}

Result<void> Expander::pasteAll(Token lhs) {
    Token result = lhs;
    result.pasteLeft = false;
    for (;;) {
        Context& c = contexts_.back();
        while (c.pos < c.tokens.size() && c.tokens[c.pos].kind == TokenKind::Padding)
            ++c.pos;
        if (c.pos >= c.tokens.size())
            break;
        const Token rhs = c.tokens[c.pos++];
        // "/" and "*" must not become a comment: they stay two tokens, an invalid paste.
        const bool comment = result.text == "/" && (rhs.text.starts_with("*") || rhs.text.starts_with("/"));
        auto lexed = lexText(result.text + (comment ? " " : "") + rhs.text, lexing_);
        if (lexed && lexed->size() == 1 && !comment) {
            Token pasted = std::move(lexed->front());
            pasted.spaceBefore = lhs.spaceBefore;
            pasted.line = lhs.line;
            pasted.column = lhs.column;
            pasted.file = lhs.file;
            result = std::move(pasted);
        } else {
            if (!inAssembler_)
                return error(lhs, "pasting \"" + result.text + "\" and \"" + rhs.text +
                                      "\" does not give a valid preprocessing token");
            --c.pos; // assembler: the right side follows the left, unpasted, as GCC leaves it
            break;
        }
        if (!rhs.pasteLeft)
            break;
    }
    push({result}, nullptr);
    return {};
}

Result<Tokens> expandTokens(const MacroTable& macros, Tokens tokens, const SourceLocation& where,
                            const LexOptions& lexing, bool inAssembler) {
    ListSource source(std::move(tokens), where);
    Expander expander(macros, source, lexing, inAssembler);
    Tokens out;
    for (;;) {
        auto t = expander.next();
        if (!t)
            return t.error();
        if (t->kind == TokenKind::End)
            return out;
        if (t->kind != TokenKind::Padding)
            out.push_back(std::move(*t));
    }
}

Result<std::uint64_t> macroValue(const MacroTable& macros, std::string_view name) {
    Error e = makeError(Errc::Parse, "");
    e.field = std::string(name);
    const Macro* m = macros.find(name);
    if (!m) {
        e.message = "is not defined";
        return e;
    }
    e.where = m->where;
    if (m->functionLike) {
        e.message = "is a function-like macro, not a value";
        return e;
    }
    Token use;
    use.kind = TokenKind::Identifier;
    use.text = m->name;
    auto expanded = expandTokens(macros, {use}, m->where);
    if (!expanded) {
        e.message = expanded.error().message;
        return e;
    }
    auto v = evaluate(*expanded, Dialect::Constant);
    if (!v) {
        e.message = "'" + m->bodyText() + "' is not a constant: " + v.error().message;
        return e;
    }
    return v->bits;
}

} // namespace flashplan::cpp
