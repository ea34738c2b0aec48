// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsExpression.h"

#include "util/Numbers.h"

#include <array>
#include <vector>

namespace flashplan::dts {

namespace {

struct Token {
    enum class Kind { Number, Operator, Identifier, End };
    Kind kind = Kind::End;
    std::string_view text;
    std::uint64_t value = 0;
    std::size_t offset = 0;
};

constexpr int kMaxDepth = 256; // nesting that an expression may have: a bound on recursion

// Longest first, so that "<<" is not read as "<".
constexpr std::array kOperators{"<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/",
                                "%",  "&",  "|",  "^",  "~",  "!",  "<",  ">",  "?", ":", "(", ")"};

/// Recursive descent over C's precedence levels. `live` is false inside a branch that C would not
/// evaluate (the right of a false &&, the untaken arm of ?:), where division by zero is no error.
class Evaluator {
public:
    Evaluator(std::vector<Token> tokens, Identifiers identifiers)
        : tokens_(std::move(tokens)), identifiers_(identifiers) {}

    ExprOutcome run() {
        ExprOutcome out;
        if (tokens_.size() == 1) {
            fail("an empty expression", tokens_.front());
            return outcome_;
        }
        const std::uint64_t v = conditional(true);
        if (failed_)
            return outcome_;
        if (peek().kind != Token::Kind::End) {
            fail("unexpected '" + std::string(peek().text) + "' in an expression", peek());
            return outcome_;
        }
        out.ok = true;
        out.value = v;
        return out;
    }

private:
    const Token& peek() const { return tokens_[pos_]; }
    bool isOp(std::string_view op) const { return peek().kind == Token::Kind::Operator && peek().text == op; }
    bool accept(std::string_view op) {
        if (!isOp(op))
            return false;
        ++pos_;
        return true;
    }
    void fail(std::string message, const Token& at) {
        if (failed_)
            return;
        failed_ = true;
        outcome_.ok = false;
        outcome_.message = std::move(message);
        outcome_.offset = at.offset;
    }

    std::uint64_t conditional(bool live) {
        const std::uint64_t c = logicalOr(live);
        if (!accept("?"))
            return c;
        const std::uint64_t a = conditional(live && c != 0);
        if (!accept(":")) {
            fail("'?' without ':'", peek());
            return 0;
        }
        const std::uint64_t b = conditional(live && c == 0);
        return c != 0 ? a : b;
    }
    std::uint64_t logicalOr(bool live) {
        std::uint64_t v = logicalAnd(live);
        while (accept("||")) {
            const std::uint64_t r = logicalAnd(live && v == 0);
            v = (v != 0 || r != 0) ? 1 : 0;
        }
        return v;
    }
    std::uint64_t logicalAnd(bool live) {
        std::uint64_t v = bitOr(live);
        while (accept("&&")) {
            const std::uint64_t r = bitOr(live && v != 0);
            v = (v != 0 && r != 0) ? 1 : 0;
        }
        return v;
    }
    std::uint64_t bitOr(bool live) {
        std::uint64_t v = bitXor(live);
        while (accept("|"))
            v |= bitXor(live);
        return v;
    }
    std::uint64_t bitXor(bool live) {
        std::uint64_t v = bitAnd(live);
        while (accept("^"))
            v ^= bitAnd(live);
        return v;
    }
    std::uint64_t bitAnd(bool live) {
        std::uint64_t v = equality(live);
        while (accept("&"))
            v &= equality(live);
        return v;
    }
    std::uint64_t equality(bool live) {
        std::uint64_t v = relational(live);
        for (;;) {
            if (accept("=="))
                v = v == relational(live) ? 1 : 0;
            else if (accept("!="))
                v = v != relational(live) ? 1 : 0;
            else
                return v;
        }
    }
    std::uint64_t relational(bool live) {
        std::uint64_t v = shift(live);
        for (;;) {
            if (accept("<="))
                v = v <= shift(live) ? 1 : 0;
            else if (accept(">="))
                v = v >= shift(live) ? 1 : 0;
            else if (accept("<"))
                v = v < shift(live) ? 1 : 0;
            else if (accept(">"))
                v = v > shift(live) ? 1 : 0;
            else
                return v;
        }
    }
    std::uint64_t shift(bool live) {
        std::uint64_t v = additive(live);
        for (;;) {
            // Shifts of 64 bits or more are undefined in C; dtc's users never mean them, so they give 0.
            if (accept("<<")) {
                const std::uint64_t n = additive(live);
                v = n >= 64 ? 0 : v << n;
            } else if (accept(">>")) {
                const std::uint64_t n = additive(live);
                v = n >= 64 ? 0 : v >> n;
            } else
                return v;
        }
    }
    std::uint64_t additive(bool live) {
        std::uint64_t v = multiplicative(live);
        for (;;) {
            if (accept("+"))
                v += multiplicative(live);
            else if (accept("-"))
                v -= multiplicative(live);
            else
                return v;
        }
    }
    std::uint64_t multiplicative(bool live) {
        std::uint64_t v = unary(live);
        for (;;) {
            const Token& op = peek();
            if (accept("*")) {
                v *= unary(live);
            } else if (accept("/") || accept("%")) {
                const bool divide = op.text == "/";
                const std::uint64_t d = unary(live);
                if (d == 0) {
                    if (live)
                        fail("division by zero", op);
                    v = 0;
                } else
                    v = divide ? v / d : v % d;
            } else
                return v;
        }
    }
    std::uint64_t unary(bool live) {
        if (failed_ || ++unaryDepth_ > kMaxDepth) { // a run of thousands of '-' or '!' is no number either
            fail("an expression nested too deep", peek());
            return 0;
        }
        struct Leave {
            int& d;
            ~Leave() { --d; }
        } leave{unaryDepth_};
        if (accept("-"))
            return 0 - unary(live);
        if (accept("+"))
            return unary(live);
        if (accept("~"))
            return ~unary(live);
        if (accept("!"))
            return unary(live) == 0 ? 1 : 0;
        return primary(live);
    }
    std::uint64_t primary(bool live) {
        const Token& t = peek();
        switch (t.kind) {
        case Token::Kind::Number:
            ++pos_;
            return t.value;
        case Token::Kind::Identifier:
            ++pos_;
            if (identifiers_ == Identifiers::AreZero)
                return 0;
            if (isOp("("))
                fail("unknown macro " + std::string(t.text) + "() used as a function", t);
            else
                fail("'" + std::string(t.text) + "' is not a number (a macro that is not defined?)", t);
            return 0;
        case Token::Kind::Operator:
            if (accept("(")) {
                if (++depth_ > kMaxDepth) {
                    fail("parentheses nested more than " + std::to_string(kMaxDepth) + " deep", t);
                    return 0;
                }
                const std::uint64_t v = conditional(live);
                --depth_;
                if (!accept(")"))
                    fail("unbalanced parentheses: ')' expected", peek());
                return v;
            }
            fail("unexpected '" + std::string(t.text) + "' in an expression", t);
            return 0;
        case Token::Kind::End:
            fail("the expression ends too early", t);
            return 0;
        }
        return 0;
    }

    std::vector<Token> tokens_;
    Identifiers identifiers_;
    std::size_t pos_ = 0;
    int depth_ = 0;      // open parentheses
    int unaryDepth_ = 0; // nested unary operators
    bool failed_ = false;
    ExprOutcome outcome_;
};

} // namespace

std::size_t readIntegerLiteral(std::string_view text, std::uint64_t& value, std::string& error) {
    if (text.empty() || text[0] < '0' || text[0] > '9')
        return 0;
    std::size_t i = 0;
    unsigned base = 10;
    if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (text[0] == '0') {
        base = 8; // as strtoull with base 0 (dtc) and C read it
    }
    const std::size_t digitsStart = i;
    value = 0;
    bool overflow = false;
    while (i < text.size() && hexDigitValue(text[i]) >= 0) {
        const unsigned d = static_cast<unsigned>(hexDigitValue(text[i]));
        if (d >= base)
            break;
        if (value > (UINT64_MAX - d) / base)
            overflow = true;
        value = value * base + d;
        ++i;
    }
    if (base == 16 && i == digitsStart) {
        error = "'0x' without hexadecimal digits";
        return i;
    }
    // The suffixes of C: U, L, UL, LL, ULL in any case.
    while (i < text.size() && (text[i] == 'u' || text[i] == 'U' || text[i] == 'l' || text[i] == 'L'))
        ++i;
    if (i < text.size() && isIdentChar(text[i])) {
        error = "malformed number '" + std::string(text.substr(0, i + 1)) + "'";
        return i;
    }
    if (overflow)
        error = "the number " + std::string(text.substr(0, i)) + " does not fit in 64 bits";
    return i;
}

std::size_t readEscape(std::string_view text, std::uint64_t& value) {
    if (text.empty())
        return 0;
    std::size_t i = 1;
    switch (text[0]) {
    case 'n':
        value = '\n';
        break;
    case 't':
        value = '\t';
        break;
    case 'r':
        value = '\r';
        break;
    case 'a':
        value = '\a';
        break;
    case 'b':
        value = '\b';
        break;
    case 'f':
        value = '\f';
        break;
    case 'v':
        value = '\v';
        break;
    case 'x':
        value = 0;
        while (i < text.size() && i < 3 && hexDigitValue(text[i]) >= 0)
            value = value * 16 + static_cast<unsigned>(hexDigitValue(text[i++]));
        if (i == 1)
            return 0;
        break;
    default:
        if (text[0] >= '0' && text[0] <= '7') {
            value = static_cast<unsigned>(text[0] - '0');
            while (i < text.size() && i < 3 && text[i] >= '0' && text[i] <= '7')
                value = value * 8 + static_cast<unsigned>(text[i++] - '0');
            value &= 0xff;
        } else {
            value = static_cast<unsigned char>(text[0]); // \\ \' \" and the rest stand for themselves
        }
    }
    return i;
}

std::size_t readCharLiteral(std::string_view text, std::uint64_t& value) {
    if (text.size() < 3 || text[0] != '\'')
        return 0;
    std::size_t i = 1;
    if (text[i] != '\\') {
        value = static_cast<unsigned char>(text[i]);
        ++i;
    } else {
        const std::size_t n = readEscape(text.substr(i + 1), value);
        if (n == 0)
            return 0;
        i += 1 + n;
    }
    if (i >= text.size() || text[i] != '\'')
        return 0;
    return i + 1;
}

ExprOutcome evaluateExpression(std::string_view text, Identifiers identifiers) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
            continue;
        }
        Token t;
        t.offset = i;
        if (c >= '0' && c <= '9') {
            std::string error;
            const std::size_t n = readIntegerLiteral(text.substr(i), t.value, error);
            if (!error.empty())
                return ExprOutcome{false, 0, error, i};
            t.kind = Token::Kind::Number;
            t.text = text.substr(i, n);
            i += n;
        } else if (c == '\'') {
            const std::size_t n = readCharLiteral(text.substr(i), t.value);
            if (n == 0)
                return ExprOutcome{false, 0, "malformed character literal", i};
            t.kind = Token::Kind::Number;
            t.text = text.substr(i, n);
            i += n;
        } else if (isIdentChar(c, true)) {
            std::size_t n = 1;
            while (i + n < text.size() && isIdentChar(text[i + n]))
                ++n;
            t.kind = Token::Kind::Identifier;
            t.text = text.substr(i, n);
            i += n;
        } else {
            std::string_view op;
            for (std::string_view candidate : kOperators)
                if (candidate.front() == c && text.substr(i).starts_with(candidate)) {
                    op = candidate;
                    break;
                }
            if (op.empty())
                return ExprOutcome{false, 0, std::string("unexpected character '") + c + "' in an expression",
                                   i};
            t.kind = Token::Kind::Operator;
            t.text = text.substr(i, op.size());
            i += op.size();
        }
        tokens.push_back(t);
    }
    Token end;
    end.offset = text.size();
    tokens.push_back(end);
    return Evaluator(std::move(tokens), identifiers).run();
}

} // namespace flashplan::dts
