// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsSource.h"

#include <algorithm>

namespace flashplan::dts {

void PreprocessedSource::appendLine(std::string_view text, std::uint32_t file, std::uint32_t line) {
    lineStarts_.push_back(text_.size());
    origins_.push_back({file, line});
    text_.append(text);
    text_.push_back('\n');
}

std::uint32_t PreprocessedSource::fileIndex(const std::string& name) {
    const auto it = std::find(files_.begin(), files_.end(), name);
    if (it != files_.end())
        return static_cast<std::uint32_t>(it - files_.begin());
    files_.push_back(name);
    return static_cast<std::uint32_t>(files_.size() - 1);
}

SourceLocation PreprocessedSource::locate(std::size_t offset) const {
    SourceLocation where;
    if (origins_.empty()) {
        if (!files_.empty())
            where.file = files_.front();
        return where;
    }
    // The last line that starts at or before `offset`; past the end means the last line.
    const auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
    const std::size_t index =
        it == lineStarts_.begin() ? 0 : static_cast<std::size_t>(it - lineStarts_.begin()) - 1;
    const LineOrigin& o = origins_[index];
    where.file = o.file < files_.size() ? files_[o.file] : std::string();
    where.line = static_cast<int>(o.line);
    return where;
}

} // namespace flashplan::dts
