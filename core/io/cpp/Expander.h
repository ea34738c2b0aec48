// SPDX-License-Identifier: Apache-2.0
#pragma once
// Macro expansion as C11 6.10.3 and GCC's cpp do it: a stack of contexts (one per macro being expanded,
// which stays disabled while its context is open), arguments expanded before they are substituted,
// '#' and '##', GNU's ", ## __VA_ARGS__", and Padding tokens where an expansion begins and ends so that
// the output can be spaced as GCC spaces it.

#include "io/cpp/Lexer.h"
#include "io/cpp/MacroTable.h"
#include "io/cpp/Token.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace flashplan::cpp {

/// Where the expander reads when no macro context has tokens left: a file, a directive's line, a list.
class TokenSource {
public:
    virtual ~TokenSource() = default;
    /// The next token, End at the end (again and again). `parsingArguments`: 0 normally, 1 while looking
    /// for the '(' after a function-like macro's name, 2 while collecting its arguments.
    virtual Result<Token> next(int parsingArguments) = 0;
    /// Gives back the token last read, to be read again.
    virtual void backup(Token token) = 0;
    /// The file and line to name for a token.
    virtual SourceLocation locate(const Token& token) const = 0;
};

/// A fixed list of tokens, then End.
class ListSource : public TokenSource {
public:
    ListSource(Tokens tokens, SourceLocation where) : tokens_(std::move(tokens)), where_(std::move(where)) {}
    Result<Token> next(int) override;
    void backup(Token token) override;
    SourceLocation locate(const Token&) const override { return where_; }

private:
    Tokens tokens_;
    std::size_t pos_ = 0;
    SourceLocation where_;
};

class Expander {
public:
    Expander(const MacroTable& macros, TokenSource& base, const LexOptions& lexing, bool inAssembler)
        : macros_(macros), base_(base), lexing_(lexing), inAssembler_(inAssembler) {}

    /// The next token after macro expansion, Padding included; End at the end of the base.
    /// Errors (Errc::Parse, at the macro's name): a call with too few or too many arguments, an argument
    /// list that the input ends in, pasting that makes no token (in C; assembler keeps both, as GCC),
    /// macro calls nested in arguments more than 256 deep.
    Result<Token> next();

    /// While > 0, names are returned as they are (the operand of `defined`).
    int preventExpansion = 0;

private:
    struct Context {
        Tokens tokens;
        std::size_t pos = 0;
        const Macro* macro = nullptr; ///< the macro this is the expansion of, disabled while it is open
    };
    struct Argument {
        Tokens raw;
        Tokens expanded;
        bool expandedDone = false;
        bool omitted =
            false; ///< a variadic argument not given at all (GNU's , ## __VA_ARGS__ drops the comma)
    };

    Result<bool> enter(const Macro& m, const Token& name);
    /// The arguments of a call of `m`, or nothing when no '(' follows its name.
    Result<std::optional<std::vector<Argument>>> readCall(const Macro& m, const Token& name);
    Result<std::vector<Argument>> collectArguments(const Macro& m, const Token& name);
    Result<void> expandArgument(Argument& a);
    Result<void> substitute(const Macro& m, std::vector<Argument>& args);
    Result<void> pasteAll(Token lhs);
    Token stringify(const Tokens& raw) const;
    bool builtin(const Token& name);
    bool disabled(const Macro* m) const;
    void backup(Token t);
    void push(Tokens tokens, const Macro* m);
    Error error(const Token& at, std::string message) const;

    const MacroTable& macros_;
    TokenSource& base_;
    LexOptions lexing_;
    bool inAssembler_;
    std::vector<Context> contexts_;
    int parsingArguments_ = 0;
    int argumentDepth_ = 0;
};

/// A padding token that stands for `source` (its blank before it) or, without one, for nothing.
Token paddingFor(const Token* source);

/// Expands `tokens` completely with `macros` (Padding left out); errors name `where`.
Result<Tokens> expandTokens(const MacroTable& macros, Tokens tokens, const SourceLocation& where,
                            const LexOptions& lexing = {}, bool inAssembler = false);

/// The value of the object-like macro `name` as a compiler reads it (Dialect::Constant): expanded,
/// function-like macros in it included, then evaluated. Errors (Errc::Parse, naming the macro's file and
/// line, with `field` the macro): not defined, function-like, empty, not a constant and why.
Result<std::uint64_t> macroValue(const MacroTable& macros, std::string_view name);

} // namespace flashplan::cpp
