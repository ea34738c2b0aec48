// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/CExpression.h"

#include <array>
#include <set>
#include <vector>

namespace flashplan::wolfboot {

namespace {

struct Token {
    enum Kind { Number, Name, Punct } kind = Punct;
    std::string text;
    std::uint64_t value = 0;
};

bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
}

Error parseError(std::string message) {
    return makeError(Errc::Parse, std::move(message));
}

Result<std::uint64_t> parseLiteral(std::string_view text) {
    std::string_view digits = text;
    // The U, L, UL, LU, LL, ULL... suffixes change the type, not the value.
    while (!digits.empty() &&
           (digits.back() == 'u' || digits.back() == 'U' || digits.back() == 'l' || digits.back() == 'L'))
        digits.remove_suffix(1);
    unsigned base = 10;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
    } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
        base = 2;
        digits.remove_prefix(2);
    } else if (digits.size() > 1 && digits[0] == '0') {
        base = 8;
        digits.remove_prefix(1);
    }
    if (digits.empty())
        return parseError("'" + std::string(text) + "' is not an integer literal");
    std::uint64_t value = 0;
    for (char c : digits) {
        unsigned d = 99;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A' + 10);
        if (d >= base)
            return parseError("'" + std::string(text) + "' is not an integer literal");
        if (value > (UINT64_MAX - d) / base)
            return parseError("'" + std::string(text) + "' does not fit in 64 bits");
        value = value * base + d;
    }
    return value;
}

Result<std::vector<Token>> tokenize(std::string_view text) {
    static constexpr std::array<std::string_view, 8> kTwoChar{"<<", ">>", "<=", ">=", "==", "!=", "&&", "||"};
    static constexpr std::string_view kOneChar = "()+-*/%<>&^|!~?:";
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
        } else if (c >= '0' && c <= '9') {
            std::size_t j = i;
            while (j < text.size() && (isNameChar(text[j]) || text[j] == '.'))
                ++j;
            auto v = parseLiteral(text.substr(i, j - i));
            if (!v)
                return v.error();
            out.push_back({Token::Number, std::string(text.substr(i, j - i)), *v});
            i = j;
        } else if (isNameStart(c)) {
            std::size_t j = i;
            while (j < text.size() && isNameChar(text[j]))
                ++j;
            out.push_back({Token::Name, std::string(text.substr(i, j - i)), 0});
            i = j;
        } else {
            std::string_view two = text.substr(i, 2);
            bool matched = false;
            for (std::string_view p : kTwoChar)
                if (two == p) {
                    out.push_back({Token::Punct, std::string(p), 0});
                    i += 2;
                    matched = true;
                    break;
                }
            if (matched)
                continue;
            if (kOneChar.find(c) == std::string_view::npos) {
                // Built step by step: GCC 12 sees a false array-bounds overflow in the operator+ chain.
                std::string message = "unexpected '";
                message += c;
                message.append("' in '").append(text).append("'");
                return parseError(message);
            }
            out.push_back({Token::Punct, std::string(1, c), 0});
            ++i;
        }
    }
    return out;
}

/// Replaces macro names by their tokens, recursively; a macro is not expanded inside itself (C's rule).
class Expander {
public:
    Expander(const MacroLookup& lookup, CExpressionMode mode) : lookup_(lookup), mode_(mode) {}

    Result<void> expand(const std::vector<Token>& in, std::vector<Token>& out) {
        for (std::size_t i = 0; i < in.size(); ++i) {
            const Token& t = in[i];
            if (t.kind != Token::Name) {
                out.push_back(t);
                continue;
            }
            if (mode_ == CExpressionMode::Condition && t.text == "defined") {
                // defined NAME or defined ( NAME ): the operand is not expanded.
                std::size_t j = i + 1;
                const bool paren = j < in.size() && in[j].text == "(";
                if (paren)
                    ++j;
                if (j >= in.size() || in[j].kind != Token::Name)
                    return parseError("'defined' needs a macro name");
                const bool isDefined = lookup_(in[j].text) != nullptr;
                if (paren && (j + 1 >= in.size() || in[j + 1].text != ")"))
                    return parseError("'defined(' without ')'");
                out.push_back({Token::Number, isDefined ? "1" : "0", isDefined ? 1u : 0u});
                i = paren ? j + 1 : j;
                continue;
            }
            const MacroDefinition* m = active_.count(t.text) ? nullptr : lookup_(t.text);
            if (!m) {
                out.push_back(t);
                continue;
            }
            if (m->functionLike)
                return parseError(t.text +
                                  " is a function-like macro; only object-like macros are evaluated");
            auto body = tokenize(m->body);
            if (!body)
                return parseError(t.text + ": " + body.error().message);
            active_.insert(t.text);
            auto r = expand(*body, out);
            active_.erase(t.text);
            if (!r)
                return r;
        }
        return {};
    }

private:
    const MacroLookup& lookup_;
    CExpressionMode mode_;
    std::set<std::string, std::less<>> active_;
};

/// How a cast to this integer type changes a value: the number of bits kept.
int castWidth(const std::vector<std::string>& words, bool pointer) {
    if (pointer)
        return 64;
    int width = 32; // int, unsigned
    for (const std::string& w : words) {
        if (w == "char" || w == "uint8_t" || w == "int8_t")
            return 8;
        if (w == "short" || w == "uint16_t" || w == "int16_t")
            return 16;
        if (w == "long" || w == "size_t" || w == "uintptr_t" || w == "intptr_t" || w == "uint64_t" ||
            w == "int64_t")
            width = 64;
    }
    return width;
}

bool isTypeWord(std::string_view w) {
    static constexpr std::array<std::string_view, 22> kWords{
        "unsigned", "signed", "int",       "long",     "short",   "char",          "const",
        "volatile", "size_t", "uintptr_t", "intptr_t", "uint8_t", "uint16_t",      "uint32_t",
        "uint64_t", "int8_t", "int16_t",   "int32_t",  "int64_t", "uint_fast32_t", "uint_least32_t",
        "uintmax_t"};
    for (std::string_view k : kWords)
        if (k == w)
            return true;
    return false;
}

/// Recursive descent over the expanded tokens, C's precedence from ?: down to unary operators.
class Parser {
public:
    Parser(const std::vector<Token>& tokens, CExpressionMode mode) : t_(tokens), mode_(mode) {}

    Result<std::uint64_t> parse() {
        if (t_.empty())
            return parseError("empty expression");
        auto v = conditional();
        if (v && pos_ != t_.size())
            return parseError("unexpected '" + t_[pos_].text + "'");
        return v;
    }

private:
    bool at(std::string_view p) const {
        return pos_ < t_.size() && t_[pos_].kind == Token::Punct && t_[pos_].text == p;
    }
    bool take(std::string_view p) {
        if (!at(p))
            return false;
        ++pos_;
        return true;
    }

    Result<std::uint64_t> conditional() {
        auto c = logicalOr();
        if (!c || !take("?"))
            return c;
        const bool chooseFirst = *c != 0;
        auto a = guarded(chooseFirst, [&] { return conditional(); });
        if (!a)
            return a;
        if (!take(":"))
            return parseError("'?' without ':'");
        auto b = guarded(!chooseFirst, [&] { return conditional(); });
        if (!b)
            return b;
        return chooseFirst ? *a : *b;
    }

    Result<std::uint64_t> logicalOr() {
        auto l = logicalAnd();
        while (l && at("||")) {
            ++pos_;
            const bool skip = *l != 0;
            auto r = guarded(!skip, [&] { return logicalAnd(); });
            if (!r)
                return r;
            l = std::uint64_t{(*l != 0) || (*r != 0)};
        }
        return l;
    }

    Result<std::uint64_t> logicalAnd() {
        auto l = binary(0);
        while (l && at("&&")) {
            ++pos_;
            const bool skip = *l == 0;
            auto r = guarded(!skip, [&] { return binary(0); });
            if (!r)
                return r;
            l = std::uint64_t{(*l != 0) && (*r != 0)};
        }
        return l;
    }

    // Binary operators by precedence level, loosest first: | ^ & (== !=) (< > <= >=) (<< >>) (+ -) (* / %).
    static constexpr std::array<std::array<std::string_view, 4>, 8> kLevels{{
        {"|"},
        {"^"},
        {"&"},
        {"==", "!="},
        {"<", ">", "<=", ">="},
        {"<<", ">>"},
        {"+", "-"},
        {"*", "/", "%"},
    }};

    Result<std::uint64_t> binary(std::size_t level) {
        if (level == kLevels.size())
            return unary();
        auto l = binary(level + 1);
        while (l) {
            std::string_view op;
            for (std::string_view candidate : kLevels[level])
                if (!candidate.empty() && at(candidate))
                    op = candidate;
            if (op.empty())
                break;
            ++pos_;
            auto r = binary(level + 1);
            if (!r)
                return r;
            auto v = apply(op, *l, *r);
            if (!v)
                return v;
            l = *v;
        }
        return l;
    }

    Result<std::uint64_t> apply(std::string_view op, std::uint64_t a, std::uint64_t b) const {
        if (op == "|")
            return a | b;
        if (op == "^")
            return a ^ b;
        if (op == "&")
            return a & b;
        if (op == "==")
            return std::uint64_t{a == b};
        if (op == "!=")
            return std::uint64_t{a != b};
        if (op == "<")
            return std::uint64_t{a < b};
        if (op == ">")
            return std::uint64_t{a > b};
        if (op == "<=")
            return std::uint64_t{a <= b};
        if (op == ">=")
            return std::uint64_t{a >= b};
        if (op == "+")
            return a + b;
        if (op == "-")
            return a - b;
        if (op == "*")
            return a * b;
        if (op == "<<" || op == ">>") {
            if (b >= 64 && skipping_)
                return std::uint64_t{0};
            if (b >= 64)
                return parseError("shift by " + std::to_string(b) + " bits");
            return op == "<<" ? a << b : a >> b;
        }
        if (b == 0 && skipping_)
            return std::uint64_t{0};
        if (b == 0)
            return parseError("division by zero");
        return op == "/" ? a / b : a % b;
    }

    Result<std::uint64_t> unary() {
        for (std::string_view op : {"+", "-", "~", "!"}) {
            if (!take(op))
                continue;
            auto v = unary();
            if (!v)
                return v;
            if (op == "-")
                return std::uint64_t{0} - *v;
            if (op == "~")
                return ~*v;
            if (op == "!")
                return std::uint64_t{*v == 0};
            return v;
        }
        if (at("(") && pos_ + 1 < t_.size() && t_[pos_ + 1].kind == Token::Name &&
            isTypeWord(t_[pos_ + 1].text))
            return cast();
        return primary();
    }

    Result<std::uint64_t> cast() {
        ++pos_; // (
        std::vector<std::string> words;
        bool pointer = false;
        while (pos_ < t_.size() && t_[pos_].kind == Token::Name && isTypeWord(t_[pos_].text))
            words.push_back(t_[pos_++].text);
        while (take("*"))
            pointer = true;
        if (!take(")"))
            return parseError("a cast to an integer type expected ')'");
        auto v = unary();
        if (!v)
            return v;
        const int width = castWidth(words, pointer);
        return width == 64 ? *v : *v & ((std::uint64_t{1} << width) - 1);
    }

    Result<std::uint64_t> primary() {
        if (pos_ >= t_.size())
            return parseError("the expression ends too early");
        const Token& t = t_[pos_];
        if (t.kind == Token::Number) {
            ++pos_;
            return t.value;
        }
        if (t.kind == Token::Name) {
            ++pos_;
            if (mode_ == CExpressionMode::Condition)
                return std::uint64_t{0}; // an undefined name in #if is 0
            return parseError(t.text + " is not defined in this file");
        }
        if (take("(")) {
            auto v = conditional();
            if (v && !take(")"))
                return parseError("'(' without ')'");
            return v;
        }
        return parseError("unexpected '" + t.text + "'");
    }

    /// Parses an operand that C would not evaluate (the other side of ?:, && and ||) without its errors.
    template <class Fn>
    Result<std::uint64_t> guarded(bool evaluated, Fn&& fn) {
        const bool saved = skipping_;
        skipping_ = skipping_ || !evaluated;
        auto v = fn();
        skipping_ = saved;
        return v;
    }

    const std::vector<Token>& t_;
    CExpressionMode mode_;
    std::size_t pos_ = 0;
    bool skipping_ = false;
};

} // namespace

Result<std::uint64_t> evaluateCExpression(std::string_view text, const MacroLookup& lookup,
                                          CExpressionMode mode) {
    auto tokens = tokenize(text);
    if (!tokens)
        return tokens.error();
    std::vector<Token> expanded;
    Expander expander(lookup, mode);
    if (auto r = expander.expand(*tokens, expanded); !r)
        return r.error();
    return Parser(expanded, mode).parse();
}

} // namespace flashplan::wolfboot
