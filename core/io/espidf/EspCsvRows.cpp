// SPDX-License-Identifier: Apache-2.0
#include "io/espidf/EspCsvRows.h"

#include <cctype>

namespace flashplan::esp {

namespace {

std::string_view strip(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

Error lineError(const std::string& fileName, int line, std::string message) {
    Error e = makeError(Errc::Parse, std::move(message));
    e.where.file = fileName;
    e.where.line = line;
    return e;
}

/// The name of an unescaped $VARIABLE in the line, or empty.
std::string variableIn(std::string_view line) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        if (line[i] != '$' || (i > 0 && line[i - 1] == '\\'))
            continue;
        std::size_t j = i + 1;
        while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_'))
            ++j;
        if (j > i + 1 && !std::isdigit(static_cast<unsigned char>(line[i + 1])))
            return std::string(line.substr(i + 1, j - i - 1));
    }
    return {};
}

} // namespace

Result<std::vector<CsvRow>> readCsvRows(std::string_view text, const std::string& fileName) {
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    std::vector<CsvRow> rows;
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        // Lines end at \n, \r\n or a lone \r, as Python's splitlines() has them.
        std::size_t eol = text.find_first_of("\r\n", pos);
        if (eol == std::string_view::npos)
            eol = text.size();
        const std::string_view line = strip(text.substr(pos, eol - pos));
        pos = eol + (text.substr(eol, 2) == "\r\n" ? 2 : 1);
        ++lineNo;
        if (line.empty() || line.front() == '#')
            continue;
        if (const std::string var = variableIn(line); !var.empty())
            return lineError(
                fileName, lineNo,
                "$" + var +
                    " is a build environment variable, which gen_esp32part.py expands; Flashplan "
                    "reads the table as written, so put the value in its place");
        CsvRow row;
        row.line = lineNo;
        row.index = rows.size();
        std::size_t field = 0, start = 0;
        while (true) {
            const std::size_t comma = std::min(line.find(',', start), line.size());
            const std::string_view value = strip(line.substr(start, comma - start));
            if (field < row.f.size())
                row.f[field] = std::string(value);
            else if (!value.empty())
                return lineError(fileName, lineNo,
                                 "too many columns: '" + std::string(value) +
                                     "' after the flags; a row is name, type, subtype, offset, size, flags");
            ++field;
            if (comma == line.size())
                break;
            start = comma + 1;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace flashplan::esp
