// SPDX-License-Identifier: Apache-2.0
#pragma once
// The text the devicetree parser reads: the preprocessor's output, one line per line of some input file,
// with where each line came from, so that every error names the file and line a person wrote.

#include "util/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::dts {

/// The origin of one output line: an index into PreprocessedSource::files and a 1-based line.
struct LineOrigin {
    std::uint32_t file = 0;
    std::uint32_t line = 0;
};

class PreprocessedSource {
public:
    /// Appends one line of text (without its newline) that came from files[file], line `line`.
    void appendLine(std::string_view text, std::uint32_t file, std::uint32_t line);
    /// The index of a file name in files(), adding it when new.
    std::uint32_t fileIndex(const std::string& name);

    const std::string& text() const { return text_; }
    const std::vector<std::string>& files() const { return files_; }
    /// The file and line of a byte offset into text() (column 0: macro expansion moves columns).
    SourceLocation locate(std::size_t offset) const;

private:
    std::string text_;
    std::vector<std::string> files_;
    std::vector<LineOrigin> origins_;     // one per output line
    std::vector<std::size_t> lineStarts_; // offset of each output line in text_
};

} // namespace flashplan::dts
