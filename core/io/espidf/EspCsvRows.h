// SPDX-License-Identifier: Apache-2.0
#pragma once
// The rows of a partitions.csv as text, split the way gen_esp32part.py splits them, before any field is
// understood.

#include "util/Result.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::esp {

struct CsvRow {
    int line = 0;                 ///< 1-based line in the file
    std::size_t index = 0;        ///< position among the rows (comments and blank lines do not count)
    std::array<std::string, 6> f; ///< name, type, subtype, offset, size, flags; stripped, missing ones empty
};

/// Splits `text` into rows: a UTF-8 byte order mark is dropped, lines are stripped, blank lines and lines
/// starting with '#' are skipped, fields are split at commas and stripped. Errors (naming `fileName` and
/// the line): a row with more than six fields when the extra ones are not empty, and a $VARIABLE, which
/// gen_esp32part.py takes from the build's environment.
Result<std::vector<CsvRow>> readCsvRows(std::string_view text, const std::string& fileName);

} // namespace flashplan::esp
