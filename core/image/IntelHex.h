// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"

#include <string>
#include <string_view>

namespace flashplan {

/// Reads an Intel HEX file: every record type of the I32HEX specification, 00 data, 01 end of file,
/// 02 extended segment address (data at USBA * 16 + offset, the offset wrapping within 64 KiB), 03 start
/// segment address (CS:IP), 04 extended linear address (data at ULBA * 65536 + offset, modulo 4 GiB),
/// 05 start linear address. Digits may be upper or lower case; lines may end in LF or CR LF; blank
/// lines are skipped.
///
/// Every record's byte count and checksum are checked. Errors (Errc::Parse for broken record syntax,
/// Errc::Schema for well-formed records that break the format's rules) name the file, the line and, where
/// one character is at fault, the column: a line not starting with ':', a character that is not a hex
/// digit, a byte count that disagrees with the record's length, a wrong checksum (with the value
/// expected), an unknown record type, an address record of the wrong length, a missing end-of-file
/// record, any record after it, and two records that write the same address.
Result<Image> parseIntelHex(std::string_view text, const std::string& fileName);

} // namespace flashplan
