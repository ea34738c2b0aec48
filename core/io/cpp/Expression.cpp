// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/Expression.h"

#include "io/cpp/Lexer.h"
#include "io/cpp/Literals.h"

#include <array>
#include <string>

namespace flashplan::cpp {

namespace {

constexpr int kMaxDepth = 256; // nesting that an expression may have: a bound on recursion

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

/// What a cast to these type words does: the bits kept and whether the result is signed.
void castType(const std::vector<std::string>& words, bool pointer, int& width, bool& isSigned) {
    width = 32;
    isSigned = true;
    if (pointer) {
        width = 64;
        isSigned = false;
        return;
    }
    for (const std::string& w : words) {
        if (w == "unsigned" || w.starts_with("uint") || w == "size_t")
            isSigned = false;
        if (w == "char" || w.ends_with("int8_t"))
            width = 8;
        else if (w == "short" || w.ends_with("int16_t"))
            width = 16;
        else if (w == "long" || w.ends_with("int64_t") || w.ends_with("intptr_t") || w == "size_t" ||
                 w == "uintmax_t")
            width = 64;
    }
}

/// Recursive descent over C's precedence levels. `live` is false inside an operand that C does not
/// evaluate (the right of a false &&, the arm of ?: not taken), where division by zero is no error.
class Evaluator {
public:
    Evaluator(Tokens tokens, Dialect dialect) : t_(std::move(tokens)), dialect_(dialect) {}

    Result<Value> run() {
        if (t_.size() == 1)
            fail("an empty expression", t_.front());
        Value v = comma(true);
        if (!failed_ && peek().kind != TokenKind::End)
            fail("unexpected '" + peek().text + "' in an expression", peek());
        if (failed_)
            return error_;
        return v;
    }

private:
    const Token& peek() const { return t_[pos_]; }
    bool accept(std::string_view op) {
        if (!peek().isPunctuator(op))
            return false;
        ++pos_;
        return true;
    }
    void fail(std::string message, const Token& at) {
        if (failed_)
            return;
        failed_ = true;
        error_ = makeError(Errc::Parse, std::move(message));
        error_.where.line = at.line;
        error_.where.column = at.column;
    }
    bool allUnsigned() const { return dialect_ == Dialect::Devicetree; }
    Value boolean(bool b) const { return {b ? 1u : 0u, allUnsigned()}; }
    static std::int64_t sig(const Value& v) { return static_cast<std::int64_t>(v.bits); }

    Value comma(bool live) {
        Value v = conditional(live);
        while (dialect_ != Dialect::Devicetree && accept(","))
            v = conditional(live);
        return v;
    }
    Value conditional(bool live) {
        const Value c = binary(0, live);
        if (!accept("?"))
            return c;
        if (++nesting_ > kMaxDepth) {
            fail("an expression nested too deep", peek());
            return {};
        }
        const Value a = comma(live && c.bits != 0);
        if (!accept(":")) {
            fail("'?' without ':'", peek());
            return {};
        }
        const Value b = conditional(live && c.bits == 0);
        --nesting_;
        Value r = c.bits != 0 ? a : b;
        r.isUnsigned = a.isUnsigned || b.isUnsigned;
        return r;
    }

    // Binary operators by precedence, loosest first.
    static constexpr std::array<std::array<std::string_view, 4>, 10> kLevels{{
        {"||"},
        {"&&"},
        {"|"},
        {"^"},
        {"&"},
        {"==", "!="},
        {"<", ">", "<=", ">="},
        {"<<", ">>"},
        {"+", "-"},
        {"*", "/", "%"},
    }};

    Value binary(std::size_t level, bool live) {
        if (level == kLevels.size())
            return unary(live);
        Value l = binary(level + 1, live);
        for (;;) {
            std::string_view op;
            for (std::string_view candidate : kLevels[level])
                if (!candidate.empty() && peek().isPunctuator(candidate))
                    op = candidate;
            if (op.empty() || failed_)
                return l;
            const Token& at = peek();
            ++pos_;
            if (op == "||" || op == "&&") {
                const bool decided = op == "||" ? l.bits != 0 : l.bits == 0;
                const Value r = binary(level + 1, live && !decided);
                l = boolean(op == "||" ? (l.bits != 0 || r.bits != 0) : (l.bits != 0 && r.bits != 0));
                continue;
            }
            const Value r = binary(level + 1, live);
            l = apply(op, l, r, live, at);
        }
    }

    Value apply(std::string_view op, Value a, Value b, bool live, const Token& at) {
        if (op == "<<" || op == ">>")
            return shift(op == "<<", a, b, live, at);
        const bool uns = allUnsigned() || a.isUnsigned || b.isUnsigned;
        const auto less = [&](const Value& x, const Value& y) {
            return uns ? x.bits < y.bits : sig(x) < sig(y);
        };
        if (op == "==")
            return boolean(a.bits == b.bits);
        if (op == "!=")
            return boolean(a.bits != b.bits);
        if (op == "<")
            return boolean(less(a, b));
        if (op == ">")
            return boolean(less(b, a));
        if (op == "<=")
            return boolean(!less(b, a));
        if (op == ">=")
            return boolean(!less(a, b));
        Value r{0, uns};
        if (op == "|")
            r.bits = a.bits | b.bits;
        else if (op == "^")
            r.bits = a.bits ^ b.bits;
        else if (op == "&")
            r.bits = a.bits & b.bits;
        else if (op == "+")
            r.bits = a.bits + b.bits;
        else if (op == "-")
            r.bits = a.bits - b.bits;
        else if (op == "*")
            r.bits = a.bits * b.bits;
        else if (b.bits == 0) {
            if (live)
                fail("division by zero", at);
        } else if (uns) {
            r.bits = op == "/" ? a.bits / b.bits : a.bits % b.bits;
        } else if (sig(b) == -1) {
            r.bits = op == "/" ? 0 - a.bits : 0; // INT64_MIN / -1 wraps, as GCC's #if
        } else {
            r.bits = static_cast<std::uint64_t>(op == "/" ? sig(a) / sig(b) : sig(a) % sig(b));
        }
        return r;
    }

    Value shift(bool left, Value a, Value b, bool live, const Token& at) {
        if (!b.isUnsigned && !allUnsigned() && sig(b) < 0) {
            if (dialect_ == Dialect::Constant) {
                if (live)
                    fail("shift by a negative count", at);
                return {0, a.isUnsigned};
            }
            left = !left; // GCC's #if shifts the other way
            b.bits = 0 - b.bits;
        }
        if (b.bits >= 64 && dialect_ == Dialect::Constant && live)
            fail("shift by " + std::to_string(b.bits) + " bits", at);
        Value r{0, a.isUnsigned || allUnsigned()};
        const bool negative = !r.isUnsigned && sig(a) < 0;
        if (b.bits >= 64)
            r.bits = (!left && negative) ? ~std::uint64_t{0} : 0;
        else if (left)
            r.bits = a.bits << b.bits;
        else
            r.bits = negative ? static_cast<std::uint64_t>(sig(a) >> b.bits) : a.bits >> b.bits;
        return r;
    }

    Value unary(bool live) {
        if (failed_)
            return {};
        const Token& op = peek();
        const bool devicetreeTwice =
            dialect_ == Dialect::Devicetree && (op.isPunctuator("--") || op.isPunctuator("++"));
        if (!devicetreeTwice && !op.isPunctuator("-") && !op.isPunctuator("+") && !op.isPunctuator("~") &&
            !op.isPunctuator("!")) {
            if (dialect_ == Dialect::Constant && op.isPunctuator("(") &&
                t_[pos_ + 1].kind == TokenKind::Identifier && isTypeWord(t_[pos_ + 1].text))
                return cast(live);
            return primary(live);
        }
        if (++unaryDepth_ > kMaxDepth) { // a run of thousands of '-' or '!' is no number either
            fail("an expression nested too deep", op);
            return {};
        }
        struct Leave {
            int& d;
            ~Leave() { --d; }
        } leave{unaryDepth_};
        if (devicetreeTwice) {
            // dtc has no -- or ++: "--1" is two minus signs.
            const bool minus = op.text == "--";
            t_[pos_].text = minus ? "-" : "+";
            Value v = unary(live);
            return minus ? Value{0 - v.bits, v.isUnsigned} : v;
        }
        if (accept("-")) {
            Value v = unary(live);
            return {0 - v.bits, v.isUnsigned};
        }
        if (accept("+"))
            return unary(live);
        if (accept("~")) {
            Value v = unary(live);
            return {~v.bits, v.isUnsigned};
        }
        accept("!");
        return boolean(unary(live).bits == 0);
    }

    Value cast(bool live) {
        ++pos_; // (
        std::vector<std::string> words;
        bool pointer = false;
        while (peek().kind == TokenKind::Identifier && isTypeWord(peek().text))
            words.push_back(t_[pos_++].text);
        while (accept("*"))
            pointer = true;
        if (!accept(")")) {
            fail("a cast to an integer type expected ')'", peek());
            return {};
        }
        const Value v = unary(live);
        int width = 64;
        bool isSigned = false;
        castType(words, pointer, width, isSigned);
        Value r{v.bits, !isSigned};
        if (width < 64) {
            const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
            r.bits &= mask;
            if (isSigned && (r.bits >> (width - 1)) != 0)
                r.bits |= ~mask;
        }
        return r;
    }

    Value primary(bool live) {
        const Token& t = peek();
        switch (t.kind) {
        case TokenKind::Number: {
            ++pos_;
            auto v = readIntegerLiteral(t.text, dialect_ != Dialect::Devicetree);
            if (!v) {
                fail(v.error().message, t);
                return {};
            }
            return {v->value, v->isUnsigned || allUnsigned()};
        }
        case TokenKind::CharLiteral: {
            ++pos_;
            std::uint64_t c = 0;
            if (readCharLiteral(t.text, c) != t.text.size()) {
                fail("malformed character literal " + t.text, t);
                return {};
            }
            if (!allUnsigned() && c >= 0x80)
                c |= ~std::uint64_t{0xff}; // char is signed, as GCC has it on the hosts Flashplan runs on
            return {c, allUnsigned()};
        }
        case TokenKind::Identifier:
            ++pos_;
            if (dialect_ == Dialect::Condition)
                return {0, false};
            if (peek().isPunctuator("("))
                fail("unknown macro " + t.text + "() used as a function", t);
            else if (dialect_ == Dialect::Constant)
                fail(t.text + " is not defined in this file", t);
            else
                fail("'" + t.text + "' is not a number (a macro that is not defined?)", t);
            return {};
        case TokenKind::Punctuator:
            if (accept("(")) {
                if (++parens_ > kMaxDepth) {
                    fail("parentheses nested more than " + std::to_string(kMaxDepth) + " deep", t);
                    return {};
                }
                const Value v = comma(live);
                --parens_;
                if (!accept(")"))
                    fail("unbalanced parentheses: ')' expected", peek());
                return v;
            }
            break;
        case TokenKind::End:
            fail("the expression ends too early", t);
            return {};
        default:
            break;
        }
        fail("unexpected '" + t.text + "' in an expression", t);
        return {};
    }

    Tokens t_;
    Dialect dialect_;
    std::size_t pos_ = 0;
    int parens_ = 0;
    int unaryDepth_ = 0;
    int nesting_ = 0;
    bool failed_ = false;
    Error error_;
};

} // namespace

Result<Value> evaluate(const Tokens& tokens, Dialect dialect) {
    Tokens t;
    t.reserve(tokens.size() + 1);
    for (const Token& k : tokens)
        if (k.kind != TokenKind::Padding && k.kind != TokenKind::End)
            t.push_back(k);
    Token end;
    if (!t.empty()) {
        end.line = t.back().line;
        end.column = t.back().column + static_cast<int>(t.back().text.size());
        end.file = t.back().file;
    }
    t.push_back(end);
    return Evaluator(std::move(t), dialect).run();
}

Result<Value> evaluateText(std::string_view text, Dialect dialect) {
    LexOptions options;
    options.exponentSigns = dialect != Dialect::Devicetree;
    auto tokens = lexText(text, options);
    if (!tokens)
        return tokens.error();
    return evaluate(*tokens, dialect);
}

} // namespace flashplan::cpp
