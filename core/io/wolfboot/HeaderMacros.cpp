// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/HeaderMacros.h"

namespace flashplan::wolfboot {

namespace {

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
}

/// Replaces every comment by one blank, as the preprocessor does. A block comment's newlines are moved
/// to the end of the line the comment ends on, so a directive that a comment splits stays one line and
/// every later line keeps its number. String and character literals are copied as they are.
std::string stripComments(std::string_view in) {
    enum { Code, Line, Block, String, Char } state = Code;
    std::string out;
    out.reserve(in.size());
    int pendingNewlines = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        const char next = i + 1 < in.size() ? in[i + 1] : '\0';
        switch (state) {
        case Code:
            if (c == '/' && next == '/') {
                state = Line;
                ++i;
            } else if (c == '/' && next == '*') {
                state = Block;
                out += ' ';
                ++i;
            } else {
                if (c == '"')
                    state = String;
                else if (c == '\'')
                    state = Char;
                out += c;
                if (c == '\n' && !(out.size() >= 2 && out[out.size() - 2] == '\\')) {
                    out.append(static_cast<std::size_t>(pendingNewlines), '\n');
                    pendingNewlines = 0;
                }
            }
            break;
        case Line:
            if (c == '\\' && next == '\n') {
                ++pendingNewlines; // a spliced line comment goes on
                ++i;
            } else if (c == '\n') {
                state = Code;
                out += '\n';
                out.append(static_cast<std::size_t>(pendingNewlines), '\n');
                pendingNewlines = 0;
            }
            break;
        case Block:
            if (c == '*' && next == '/') {
                state = Code;
                ++i;
            } else if (c == '\n') {
                ++pendingNewlines;
            }
            break;
        case String:
        case Char:
            out += c;
            if (c == '\\' && next != '\0') {
                out += next;
                ++i;
            } else if ((state == String && c == '"') || (state == Char && c == '\'') || c == '\n') {
                state = Code;
            }
            break;
        }
    }
    out.append(static_cast<std::size_t>(pendingNewlines), '\n');
    return out;
}

struct LogicalLine {
    int line = 0;
    std::string text;
};

/// Splits into lines and joins a line that ends in a backslash with the next.
std::vector<LogicalLine> logicalLines(std::string_view text) {
    std::vector<LogicalLine> out;
    int lineNo = 0;
    bool continuing = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view physical = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        while (!physical.empty() && isBlank(physical.back()))
            physical.remove_suffix(1);
        const bool continues = !physical.empty() && physical.back() == '\\';
        if (continues)
            physical.remove_suffix(1);
        if (continuing)
            out.back().text += physical;
        else
            out.push_back({lineNo, std::string(physical)});
        continuing = continues;
    }
    return out;
}

/// One open #if: whether the text around it is read, whether a branch was taken, and the current one.
struct Conditional {
    int line = 0;
    bool parentActive = true;
    bool taken = false;
    bool active = true;
    bool sawElse = false;
};

} // namespace

const MacroDefinition* HeaderMacros::find(std::string_view name) const {
    for (const MacroDefinition& m : macros_)
        if (m.name == name)
            return &m;
    return nullptr;
}

MacroLookup HeaderMacros::lookup() const {
    return [this](std::string_view name) { return find(name); };
}

Result<std::uint64_t> HeaderMacros::value(std::string_view name) const {
    const MacroDefinition* m = find(name);
    Error e = makeError(Errc::Parse, "");
    e.where.file = fileName_;
    e.field = std::string(name);
    if (!m) {
        e.message = "is not defined";
        return e;
    }
    e.where.line = m->line;
    if (m->functionLike) {
        e.message = "is a function-like macro, not a value";
        return e;
    }
    auto v = evaluateCExpression(m->body, lookup(), CExpressionMode::Value);
    if (!v) {
        e.message = "'" + m->body + "' is not a constant: " + v.error().message;
        return e;
    }
    return v;
}

Result<HeaderMacros> HeaderMacros::read(std::string_view text, const std::string& fileName) {
    HeaderMacros h;
    h.fileName_ = fileName;
    std::vector<Conditional> open;
    const auto error = [&](int line, std::string message) {
        Error e = makeError(Errc::Parse, std::move(message));
        e.where.file = fileName;
        e.where.line = line;
        return e;
    };
    const auto condition = [&](int line, std::string_view expr) -> Result<bool> {
        auto v = evaluateCExpression(expr, h.lookup(), CExpressionMode::Condition);
        if (!v)
            return error(line, "#if " + std::string(trim(expr)) + ": " + v.error().message);
        return *v != 0;
    };

    for (const LogicalLine& l : logicalLines(stripComments(text))) {
        std::string_view s = trim(l.text);
        if (s.empty() || s.front() != '#')
            continue; // C text: declarations, _Static_asserts...
        s = trim(s.substr(1));
        std::size_t n = 0;
        while (n < s.size() && isNameChar(s[n]))
            ++n;
        const std::string_view directive = s.substr(0, n);
        const std::string_view rest = trim(s.substr(n));
        const bool active = open.empty() || open.back().active;

        if (directive == "if" || directive == "ifdef" || directive == "ifndef") {
            Conditional c{l.line, active, false, false, false};
            if (active) {
                bool cond = false;
                if (directive == "if") {
                    auto r = condition(l.line, rest);
                    if (!r)
                        return r.error();
                    cond = *r;
                } else {
                    std::size_t e = 0;
                    while (e < rest.size() && isNameChar(rest[e]))
                        ++e;
                    if (e == 0)
                        return error(l.line, "#" + std::string(directive) + " needs a macro name");
                    cond = h.defined(rest.substr(0, e)) == (directive == "ifdef");
                }
                c.active = cond;
                c.taken = cond;
            }
            open.push_back(c);
        } else if (directive == "elif" || directive == "else") {
            if (open.empty() || open.back().sawElse)
                return error(l.line, "#" + std::string(directive) + " without #if");
            Conditional& c = open.back();
            if (directive == "else") {
                c.sawElse = true;
                c.active = c.parentActive && !c.taken;
            } else if (c.parentActive && !c.taken) {
                auto r = condition(l.line, rest);
                if (!r)
                    return r.error();
                c.active = *r;
            } else {
                c.active = false;
            }
            c.taken = c.taken || c.active;
        } else if (directive == "endif") {
            if (open.empty())
                return error(l.line, "#endif without #if");
            open.pop_back();
        } else if (!active) {
            continue;
        } else if (directive == "define") {
            std::size_t e = 0;
            while (e < rest.size() && isNameChar(rest[e]))
                ++e;
            if (e == 0 || !isNameStart(rest[0]))
                return error(l.line, "#define without a macro name");
            MacroDefinition m;
            m.name = std::string(rest.substr(0, e));
            m.line = l.line;
            std::string_view body = rest.substr(e);
            if (!body.empty() && body.front() == '(') {
                m.functionLike = true;
                const auto close = body.find(')');
                body = close == std::string_view::npos ? std::string_view() : body.substr(close + 1);
            }
            m.body = std::string(trim(body));
            std::erase_if(h.macros_, [&](const MacroDefinition& d) { return d.name == m.name; });
            h.macros_.push_back(std::move(m));
        } else if (directive == "undef") {
            const std::string_view name = trim(rest);
            std::erase_if(h.macros_, [&](const MacroDefinition& d) { return d.name == name; });
        }
        // #include, #error, #warning, #pragma, #line: nothing to read.
    }
    if (!open.empty())
        return error(open.back().line, "#if without #endif");
    return h;
}

} // namespace flashplan::wolfboot
