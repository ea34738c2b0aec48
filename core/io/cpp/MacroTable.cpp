// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/MacroTable.h"

#include "io/cpp/Lexer.h"

#include <algorithm>

namespace flashplan::cpp {

namespace {

Error defineError(const SourceLocation& where, std::string message) {
    Error e = makeError(Errc::Parse, std::move(message));
    e.where = where;
    return e;
}

/// Reads the parameter list after '(' (tokens[i] the first token after it); `i` ends after ')'.
Result<void> readParameters(const Tokens& t, std::size_t& i, Macro& m, const SourceLocation& where) {
    const auto bad = [&](const std::string& what) {
        return defineError(where, "#define " + m.name + ": " + what);
    };
    if (i < t.size() && t[i].isPunctuator(")")) {
        ++i;
        return {};
    }
    for (;;) {
        if (i >= t.size())
            return bad("the parameter list has no ')'");
        if (t[i].isPunctuator("...")) {
            m.variadic = true;
            m.params.emplace_back("__VA_ARGS__");
            ++i;
        } else if (t[i].kind == TokenKind::Identifier) {
            if (std::find(m.params.begin(), m.params.end(), t[i].text) != m.params.end())
                return bad("the parameter " + t[i].text + " is named twice");
            m.params.push_back(t[i].text);
            ++i;
            if (i < t.size() && t[i].isPunctuator("...")) { // GNU's named variadic parameter: args...
                m.variadic = true;
                ++i;
            }
        } else {
            return bad("a parameter name was expected, found '" + t[i].text + "'");
        }
        if (i < t.size() && t[i].isPunctuator(")")) {
            ++i;
            return {};
        }
        if (m.variadic)
            return bad("the parameter list has no ')' after '...'");
        if (i >= t.size() || !t[i].isPunctuator(","))
            return bad(i >= t.size() ? "the parameter list has no ')'"
                                     : "',' or ')' was expected, found '" + t[i].text + "'");
        ++i;
    }
}

} // namespace

std::string Macro::bodyText() const {
    std::string out;
    for (const Token& t : body) {
        if (!out.empty() && t.spaceBefore)
            out.push_back(' ');
        if (t.stringify)
            out.push_back('#');
        out += t.parameter >= 0 ? params[static_cast<std::size_t>(t.parameter)] : t.text;
        if (t.pasteLeft)
            out += " ##";
    }
    return out;
}

Result<void> MacroTable::define(const Tokens& t, const SourceLocation& where, bool inAssembler) {
    if (t.empty() || t[0].kind != TokenKind::Identifier)
        return defineError(where, "#define needs a macro name");
    Macro m;
    m.name = t[0].text;
    m.where = where;
    if (m.name == "defined")
        return defineError(where, "\"defined\" cannot be a macro name");
    std::size_t i = 1;
    if (i < t.size() && t[i].isPunctuator("(") && !t[i].spaceBefore) { // no blank before '(': function-like
        m.functionLike = true;
        ++i;
        if (auto r = readParameters(t, i, m, where); !r)
            return r;
    }
    for (; i < t.size(); ++i) {
        Token b = t[i];
        if (b.kind == TokenKind::Identifier) {
            const auto p = std::find(m.params.begin(), m.params.end(), b.text);
            if (p != m.params.end())
                b.parameter = static_cast<int>(p - m.params.begin());
        }
        if (m.functionLike && !m.body.empty() && m.body.back().isPunctuator("#") &&
            !m.body.back().pasteLeft) {
            if (b.parameter >= 0) {
                b.stringify = true;
                b.spaceBefore = m.body.back().spaceBefore;
                m.body.back() = b;
                continue;
            }
            if (!inAssembler)
                return defineError(where, "#define " + m.name + ": '#' is not followed by a macro parameter");
        }
        if (b.isPunctuator("##")) {
            if (m.body.empty() || i + 1 == t.size())
                return defineError(where, "#define " + m.name +
                                              ": '##' cannot appear at either end of a macro expansion");
            if (!m.body.back().pasteLeft) {
                m.body.back().pasteLeft = true;
                continue;
            }
            // a ## ## b: the second ## is a token to paste, as GCC has it
        }
        m.body.push_back(std::move(b));
    }
    if (m.functionLike && !m.body.empty() && m.body.back().isPunctuator("#") && !inAssembler)
        return defineError(where, "#define " + m.name + ": '#' is not followed by a macro parameter");
    if (!m.body.empty())
        m.body.front().spaceBefore = false;
    m.order = next_++;
    macros_.insert_or_assign(m.name, std::move(m));
    return {};
}

Result<void> MacroTable::define(std::string_view definition, const SourceLocation& where) {
    auto tokens = lexText(definition, {});
    if (!tokens)
        return tokens.error();
    return define(*tokens, where);
}

void MacroTable::undefine(std::string_view name) {
    const auto it = macros_.find(name);
    if (it != macros_.end())
        macros_.erase(it);
}

const Macro* MacroTable::find(std::string_view name) const {
    const auto it = macros_.find(name);
    return it == macros_.end() ? nullptr : &it->second;
}

std::vector<const Macro*> MacroTable::inOrder() const {
    std::vector<const Macro*> out;
    out.reserve(macros_.size());
    for (const auto& [name, m] : macros_)
        out.push_back(&m);
    std::sort(out.begin(), out.end(), [](const Macro* a, const Macro* b) { return a->order < b->order; });
    return out;
}

} // namespace flashplan::cpp
