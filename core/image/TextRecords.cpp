// SPDX-License-Identifier: Apache-2.0
#include "image/TextRecords.h"

#include "util/Numbers.h"

#include <climits>

namespace flashplan::records {

namespace {
/// A character as an error quotes it: printable ones as themselves, the rest as a byte value.
std::string charText(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f)
        return std::string("'") + c + "'";
    return "byte " + formatHex(u, 2);
}
} // namespace

bool LineReader::next(std::string_view& line) {
    if (pos_ >= text_.size())
        return false;
    const std::size_t newline = text_.find('\n', pos_);
    const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
    line = text_.substr(pos_, end - pos_);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
    if (line_ < INT_MAX) // a number past INT_MAX would be undefined; such a file is not a record file
        ++line_;
    return true;
}

Error recordError(Errc code, std::string message, const std::string& file, int line, int column) {
    Error e = makeError(code, std::move(message));
    e.where.file = file;
    e.where.line = line;
    e.where.column = column;
    return e;
}

Result<std::size_t> decodeHexPairs(std::string_view digits, RecordBuffer& out, const std::string& file,
                                   int line, int firstColumn) {
    for (std::size_t i = 0; i < digits.size(); ++i)
        if (hexDigitValue(digits[i]) < 0)
            return recordError(Errc::Parse, charText(digits[i]) + " is not a hex digit", file, line,
                               firstColumn + static_cast<int>(i));
    if (digits.size() % 2 != 0)
        return recordError(Errc::Parse, "odd number of hex digits (" + std::to_string(digits.size()) + ")",
                           file, line, firstColumn + static_cast<int>(digits.size()) - 1);
    const std::size_t count = digits.size() / 2;
    if (count > out.size())
        return recordError(Errc::Parse,
                           "the record is " + std::to_string(count) +
                               " bytes long; no record is longer than " + std::to_string(out.size()),
                           file, line, firstColumn);
    for (std::size_t i = 0; i < count; ++i)
        out[i] =
            static_cast<std::uint8_t>(hexDigitValue(digits[2 * i]) * 16 + hexDigitValue(digits[2 * i + 1]));
    return count;
}

} // namespace flashplan::records
