// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"

#include <string>
#include <string_view>

namespace flashplan {

/// Reads a Motorola S-record file: S0 header (its text becomes Image::detail), S1/S2/S3 data with 16-,
/// 24- and 32-bit addresses (mixed freely), S5/S6 record counts (checked against the data records
/// before them), and the S7/S8/S9 termination records with the start address. Digits may be upper or
/// lower case; lines may end in LF or CR LF; blank lines are skipped.
///
/// Errors name the file, the line and, where one character is at fault, the column: a line not starting
/// with 'S', the reserved S4 or an unknown type, a character that is not a hex digit, a byte count that
/// disagrees with the line, a wrong checksum (with the value expected), a count record that disagrees with
/// the number of data records, a missing termination record (the file is cut short), a data record after
/// it, and two records that write the same address.
Result<Image> parseSRecord(std::string_view text, const std::string& fileName);

} // namespace flashplan
