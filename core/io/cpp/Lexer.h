// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/cpp/Token.h"
#include "util/Result.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::cpp {

/// How the characters of a dialect form tokens.
struct LexOptions {
    /// '$' may stand in identifiers, as GCC allows in C; `-x assembler-with-cpp` (devicetree) does not.
    bool dollarsInIdentifiers = true;
    /// 1e+5 is one preprocessing number (C). dtc reads (0x1e+5) as 0x1e + 5: its expressions say false.
    bool exponentSigns = true;
};

/// The tokens of one logical line: physical lines joined at backslash-newlines and across block
/// comments. `line` is the physical line of its first token.
struct LexedLine {
    Tokens tokens;
    int line = 0;
};

/// Reads a file into its logical lines, leaving out those without tokens. Comments (// and /* */)
/// become blanks; a string or character literal never closed runs to the end of its line as one Other
/// token, as GCC reads it. A UTF-8 byte order mark is skipped. Every token carries `fileIndex`.
/// Errors (Errc::Parse, naming `fileName` and the line): a block comment that is never closed.
Result<std::vector<LexedLine>> lexFile(std::string_view text, const std::string& fileName,
                                       std::uint32_t fileIndex, const LexOptions& options);

/// The tokens of a piece of text (an expression), lines numbered from 1, without End.
/// Errors as lexFile's (without a file name).
Result<Tokens> lexText(std::string_view text, const LexOptions& options);

bool isIdentifierStart(char c);
bool isIdentifierChar(char c);

/// The length of the preprocessing number that starts `text` (0x1e000, 1024UL, 1e+5): taken whole, so
/// that the "e000" of 0x1e000 is never read as an identifier. 0 when `text` starts with no number.
std::size_t ppNumberLength(std::string_view text, bool exponentSigns = true);

} // namespace flashplan::cpp
