// SPDX-License-Identifier: Apache-2.0
#include "io/cpp/Lexer.h"

#include <array>

namespace flashplan::cpp {

namespace {

// Longest first within each leading character, so that "<<=" is not read as "<" "<" "=".
constexpr std::array<std::string_view, 48> kPunctuators{
    "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=",
    "%=",  "+=",  "-=",  "&=", "^=", "|=", "##", "[",  "]",  "(",  ")",  "{",  "}",  ".",  "&",  "*",
    "+",   "-",   "~",   "!",  "/",  "%",  "<",  ">",  "^",  "|",  "?",  ":",  ";",  "=",  ",",  "#"};

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

/// Where the characters of the spliced text came from: each run starts at `offset` in the spliced
/// text, on physical `line`, at `column`.
struct Run {
    std::size_t offset;
    int line;
    int column;
};

/// Phase 2 of C: joins lines that end in a backslash (blanks may stand between the backslash and the
/// newline, as GCC allows) and drops the \r of \r\n, remembering where every character came from.
std::string splice(std::string_view in, std::vector<Run>& runs) {
    std::string out;
    out.reserve(in.size());
    int line = 1;
    runs.push_back({0, 1, 1});
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '\\') {
            std::size_t k = i + 1;
            while (k < in.size() && isBlank(in[k]))
                ++k;
            if (k < in.size() && in[k] == '\n') {
                i = k;
                runs.push_back({out.size(), ++line, 1});
                continue;
            }
        }
        if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n')
            continue;
        out.push_back(c);
        if (c == '\n')
            runs.push_back({out.size(), ++line, 1});
    }
    return out;
}

class Scanner {
public:
    Scanner(std::string_view text, const LexOptions& options, std::uint32_t file)
        : options_(options), file_(file) {
        if (text.starts_with("\xEF\xBB\xBF"))
            text.remove_prefix(3);
        s_ = splice(text, runs_);
    }

    /// Every logical line with tokens; false (with `openLine`) for a block comment never closed.
    bool scan(std::vector<LexedLine>& lines, int& openLine) {
        LexedLine current;
        bool space = false;
        std::size_t i = 0;
        const auto endLine = [&] {
            if (!current.tokens.empty())
                lines.push_back(std::move(current));
            current = LexedLine{};
            space = false;
        };
        while (i < s_.size()) {
            const char c = s_[i];
            if (c == '\n') {
                endLine();
                ++i;
            } else if (isBlank(c)) {
                space = true;
                ++i;
            } else if (c == '/' && at(i + 1) == '/') {
                while (i < s_.size() && s_[i] != '\n')
                    ++i;
                space = true;
            } else if (c == '/' && at(i + 1) == '*') {
                const std::size_t close = s_.find("*/", i + 2);
                if (close == std::string::npos) {
                    openLine = locate(i).line;
                    return false;
                }
                i = close + 2;
                space = true;
            } else {
                Token t = token(i);
                t.spaceBefore = space;
                t.lineStart = current.tokens.empty();
                if (t.lineStart)
                    current.line = t.line;
                current.tokens.push_back(std::move(t));
                space = false;
            }
        }
        endLine();
        return true;
    }

private:
    char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

    Token locate(std::size_t offset) {
        while (run_ + 1 < runs_.size() && runs_[run_ + 1].offset <= offset)
            ++run_;
        Token t;
        t.file = file_;
        t.line = runs_[run_].line;
        t.column = runs_[run_].column + static_cast<int>(offset - runs_[run_].offset);
        return t;
    }

    bool identifierChar(char c) const {
        return isIdentifierChar(c) || (c == '$' && options_.dollarsInIdentifiers);
    }

    /// The literal whose quote is at s_[q]; a literal never closed takes the rest of the line as Other.
    std::size_t literal(std::size_t q, TokenKind& kind) const {
        const char quote = s_[q];
        std::size_t k = q + 1;
        while (k < s_.size() && s_[k] != quote && s_[k] != '\n')
            k += (s_[k] == '\\' && at(k + 1) != '\n' && k + 1 < s_.size()) ? 2 : 1;
        if (k < s_.size() && s_[k] == quote) {
            kind = quote == '"' ? TokenKind::StringLiteral : TokenKind::CharLiteral;
            return k + 1;
        }
        kind = TokenKind::Other;
        return k;
    }

    Token token(std::size_t& i) {
        Token t = locate(i);
        const std::size_t start = i;
        const char c = s_[i];
        if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
            t.kind = TokenKind::Number;
            i += ppNumberLength(std::string_view(s_).substr(i), options_.exponentSigns);
        } else if (c == '"' || c == '\'') {
            i = literal(i, t.kind);
        } else if (isIdentifierStart(c) || (c == '$' && options_.dollarsInIdentifiers)) {
            while (i < s_.size() && identifierChar(s_[i]))
                ++i;
            const std::string_view word = std::string_view(s_).substr(start, i - start);
            // L'x', u8"text": an encoding prefix makes one literal with what follows.
            if ((word == "L" || word == "u" || word == "U" || word == "u8") &&
                (at(i) == '"' || at(i) == '\''))
                i = literal(i, t.kind);
            else
                t.kind = TokenKind::Identifier;
        } else {
            t.kind = TokenKind::Other;
            std::size_t length = 1;
            for (std::string_view p : kPunctuators)
                if (std::string_view(s_).substr(i).starts_with(p)) {
                    t.kind = TokenKind::Punctuator;
                    length = p.size();
                    break;
                }
            i += length;
        }
        t.text = s_.substr(start, i - start);
        return t;
    }

    const LexOptions& options_;
    std::uint32_t file_;
    std::string s_;
    std::vector<Run> runs_;
    std::size_t run_ = 0;
};

} // namespace

bool isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isIdentifierChar(char c) {
    return isIdentifierStart(c) || isDigit(c);
}

std::size_t ppNumberLength(std::string_view text, bool exponentSigns) {
    if (text.empty() || !(isDigit(text[0]) || (text[0] == '.' && text.size() > 1 && isDigit(text[1]))))
        return 0;
    std::size_t i = 1;
    while (i < text.size()) {
        const char c = text[i];
        const char previous = text[i - 1];
        if (exponentSigns && (c == '+' || c == '-') &&
            (previous == 'e' || previous == 'E' || previous == 'p' || previous == 'P'))
            ++i;
        else if (isIdentifierChar(c) || c == '.')
            ++i;
        else
            break;
    }
    return i;
}

Result<std::vector<LexedLine>> lexFile(std::string_view text, const std::string& fileName,
                                       std::uint32_t fileIndex, const LexOptions& options) {
    std::vector<LexedLine> lines;
    int openLine = 0;
    if (!Scanner(text, options, fileIndex).scan(lines, openLine)) {
        Error e = makeError(Errc::Parse, "a /* comment that is never closed");
        e.where.file = fileName;
        e.where.line = openLine;
        return e;
    }
    return lines;
}

Result<Tokens> lexText(std::string_view text, const LexOptions& options) {
    auto lines = lexFile(text, {}, 0, options);
    if (!lines)
        return lines.error();
    Tokens out;
    for (LexedLine& l : *lines)
        for (Token& t : l.tokens)
            out.push_back(std::move(t));
    return out;
}

std::string spell(const Tokens& tokens, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < tokens.size(); ++i) {
        if (tokens[i].kind == TokenKind::Padding || tokens[i].kind == TokenKind::End)
            continue;
        if (!out.empty() && tokens[i].spaceBefore)
            out.push_back(' ');
        out += tokens[i].text;
    }
    return out;
}

} // namespace flashplan::cpp
