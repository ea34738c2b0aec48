// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the two text record formats (Intel HEX, Motorola S-record) share: walking a file line by line
// with line numbers, and turning a record's hex digits into bytes with errors that point at the column.

#include "util/Result.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace flashplan::records {

/// The most bytes one record holds: a count byte of 0xff plus the bytes it counts, plus the count
/// itself and the header bytes of Intel HEX (address, type). A longer line cannot be a valid record.
inline constexpr std::size_t kMaxRecordBytes = 1 + 2 + 1 + 255 + 1;
using RecordBuffer = std::array<std::uint8_t, kMaxRecordBytes>;

/// Walks a text one line at a time. Line ends may be LF or CR LF (a lone CR at the end of a line, and
/// trailing blanks, are dropped too: files pass through Windows and through editors).
class LineReader {
public:
    explicit LineReader(std::string_view text) : text_(text) {}
    /// The next line without its line end, or false at the end of the text.
    bool next(std::string_view& line);
    /// The 1-based number of the line next() returned last (0 before the first).
    int lineNumber() const { return line_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 0;
};

/// An error at a place in a record file (line and 1-based column; column 0 when the whole line is meant).
Error recordError(Errc code, std::string message, const std::string& file, int line, int column = 0);

/// Decodes the hex digit pairs of `digits` (upper or lower case) into `out`. `firstColumn` is the column
/// of digits[0] in its line, for errors: a character that is not a hex digit, an odd number of digits,
/// or more bytes than kMaxRecordBytes. Returns the number of bytes.
Result<std::size_t> decodeHexPairs(std::string_view digits, RecordBuffer& out, const std::string& file,
                                   int line, int firstColumn);

} // namespace flashplan::records
