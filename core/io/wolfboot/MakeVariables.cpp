// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/MakeVariables.h"

#include <cctype>

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

/// A logical line: physical lines joined at a trailing backslash, as make reads them.
struct LogicalLine {
    int line = 0;
    std::string text;
};

/// True when `s` ends in an odd number of backslashes (an even number is escaped backslashes).
bool endsWithContinuation(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && s[s.size() - 1 - n] == '\\')
        ++n;
    return n % 2 == 1;
}

std::vector<LogicalLine> logicalLines(std::string_view text) {
    std::vector<LogicalLine> out;
    int lineNo = 0;
    bool continuing = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view physical = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++lineNo;
        if (!physical.empty() && physical.back() == '\r')
            physical.remove_suffix(1);
        const bool continues = endsWithContinuation(physical);
        if (continues)
            physical.remove_suffix(1);
        if (continuing) {
            // make replaces backslash-newline and the blanks around it by one space.
            std::string& joined = out.back().text;
            while (!joined.empty() && isBlank(joined.back()))
                joined.pop_back();
            joined += ' ';
            joined += trim(physical);
        } else {
            out.push_back({lineNo, std::string(physical)});
        }
        continuing = continues;
    }
    return out;
}

/// Drops the comment (an unescaped #) and turns \# into #.
std::string stripComment(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '#') {
            out += '#';
            ++i;
        } else if (s[i] == '#') {
            break;
        } else {
            out += s[i];
        }
    }
    return out;
}

Error lineError(const std::string& fileName, int line, std::string message, std::string field = {}) {
    Error e = makeError(Errc::Parse, std::move(message));
    e.where.file = fileName;
    e.where.line = line;
    e.field = std::move(field);
    return e;
}

/// Splits "NAME op value" at the first '='; Errors name what the line is instead.
Result<MakeAssignment> parseAssignment(const std::string& text, int line, const std::string& fileName) {
    const auto eq = text.find('=');
    if (eq == std::string::npos)
        return lineError(fileName, line,
                         "'" + std::string(trim(text)) +
                             "' is not an assignment (only NAME=VALUE, ?=, := and += lines are read; make "
                             "directives and rules are not supported)");
    std::size_t opStart = eq;
    std::string op = "=";
    if (eq >= 2 && text.compare(eq - 2, 2, "::") == 0) {
        opStart = eq - 2;
        op = "::=";
    } else if (eq >= 1 &&
               (text[eq - 1] == '?' || text[eq - 1] == ':' || text[eq - 1] == '+' || text[eq - 1] == '!')) {
        opStart = eq - 1;
        op = std::string(1, text[eq - 1]) + "=";
    }
    MakeAssignment a;
    a.line = line;
    a.name = std::string(trim(std::string_view(text).substr(0, opStart)));
    a.op = op;
    a.value = std::string(trim(std::string_view(text).substr(eq + 1)));
    if (a.name.empty())
        return lineError(fileName, line, "assignment without a variable name");
    for (char c : a.name) {
        if (isBlank(c) || c == ':' || c == '(' || c == ')')
            return lineError(fileName, line,
                             "'" + std::string(trim(text)) +
                                 "' is not an assignment (make directives, rules and target-specific "
                                 "variables are not supported)");
        if (c == '$')
            return lineError(fileName, line, "computed variable names are not supported", a.name);
    }
    if (op == "!=")
        return lineError(fileName, line, "shell assignments (!=) are not supported", a.name);
    return a;
}

} // namespace

const MakeVariable* MakeVariables::find(std::string_view name) const {
    for (const MakeVariable& v : variables_)
        if (v.name == name)
            return &v;
    return nullptr;
}

namespace {

/// Expands variable references for :=, against the variables defined so far.
class Expander {
public:
    explicit Expander(const MakeVariables& vars) : vars_(vars) {}

    /// Returns false when a recursive variable refers to itself.
    bool expand(std::string_view text, std::string& out, int depth = 0) const {
        if (depth > 64)
            return false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] != '$' || i + 1 >= text.size()) {
                out += text[i];
                continue;
            }
            const char next = text[i + 1];
            if (next == '$') {
                out += '$';
                ++i;
                continue;
            }
            if (next != '(' && next != '{') {
                if (!appendVariable(std::string_view(&text[i + 1], 1), out, depth))
                    return false;
                ++i;
                continue;
            }
            const char close = next == '(' ? ')' : '}';
            const auto end = text.find(close, i + 2);
            if (end == std::string_view::npos) {
                out += text.substr(i); // unterminated: make would complain; keep the text
                return true;
            }
            const std::string_view inner = text.substr(i + 2, end - i - 2);
            if (inner.find_first_of(" \t,$") != std::string_view::npos) {
                // A make function ($(shell ...), $(subst ...)) or a nested reference: kept as written.
                out += text.substr(i, end - i + 1);
            } else if (!appendVariable(inner, out, depth)) {
                return false;
            }
            i = end;
        }
        return true;
    }

private:
    bool appendVariable(std::string_view name, std::string& out, int depth) const {
        const MakeVariable* v = vars_.find(name);
        if (!v)
            return true; // an undefined variable expands to nothing (empty environment)
        if (v->simple) {
            out += v->value;
            return true;
        }
        return expand(v->value, out, depth + 1);
    }

    const MakeVariables& vars_;
};

} // namespace

Result<MakeVariables> MakeVariables::evaluate(std::string_view text, const std::string& fileName) {
    MakeVariables result;
    for (const LogicalLine& l : logicalLines(text)) {
        const std::string content = stripComment(l.text);
        if (trim(content).empty())
            continue;
        auto parsed = parseAssignment(content, l.line, fileName);
        if (!parsed)
            return parsed.error();
        MakeAssignment a = std::move(*parsed);
        result.assignments_.push_back(a);

        MakeVariable* existing = nullptr;
        for (MakeVariable& v : result.variables_)
            if (v.name == a.name)
                existing = &v;

        const bool simpleAssign = a.op == ":=" || a.op == "::=";
        std::string value = a.value;
        const bool expandNow = simpleAssign || (a.op == "+=" && existing && existing->simple);
        if (expandNow) {
            std::string expanded;
            if (!Expander(result).expand(a.value, expanded))
                return lineError(fileName, a.line, "a variable refers to itself", a.name);
            value = std::move(expanded);
        }

        if (a.op == "?=" && existing)
            continue; // only an undefined variable takes a ?= value: the first ?= wins
        if (a.op == "+=" && existing) {
            // As GNU make: a blank separates the old value from the new, unless the old one is empty.
            if (!existing->value.empty())
                existing->value += ' ';
            existing->value += value;
            existing->line = a.line;
            continue;
        }
        if (existing) {
            existing->value = std::move(value);
            existing->line = a.line;
            existing->simple = simpleAssign;
        } else {
            result.variables_.push_back({a.name, std::move(value), a.line, simpleAssign});
        }
    }
    return result;
}

} // namespace flashplan::wolfboot
