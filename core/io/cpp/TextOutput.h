// SPDX-License-Identifier: Apache-2.0
#pragma once
// The expanded text, written as GCC's cpp -P writes it: a line per source line that has tokens (a macro
// call's lines joined into its first), a token's indentation kept, one blank where the source had any,
// and a blank where an expansion's edge would otherwise glue two tokens into one.

#include "io/cpp/Token.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flashplan::cpp {

/// One line of output and where its first token came from.
struct OutputLine {
    std::string text;
    std::uint32_t file = 0; ///< an index into Preprocessed::files
    int line = 0;
};

class TextOutput {
public:
    /// Starts a line for `first`, the first token of a source line, found at `file`:`line`.
    void newLine(const Token& first, std::uint32_t file, int line);
    /// Writes a token (Padding tokens only steer the spacing; End is ignored).
    void write(const Token& t);

    std::vector<OutputLine> take() { return std::move(lines_); }

private:
    std::vector<OutputLine> lines_;
    bool avoidPaste_ = false;
    PaddingSource source_ = PaddingSource::None;
    bool hasPrevious_ = false;
    Token previous_;
};

/// True when `b` written right after `a` would read as other tokens (GCC's cpp_avoid_paste): "+" "+",
/// "x" "y", "1" ".", "/" "*"...
bool wouldPaste(const Token& a, const Token& b);

} // namespace flashplan::cpp
