// SPDX-License-Identifier: Apache-2.0
#pragma once
// Input files quote their own bytes into names and messages ("unexpected '\xff'"), and those bytes need not
// be text. Every output that shows them passes them through here, so that one convention holds: a byte that
// is not part of well-formed UTF-8 is written as the four characters \xNN (upper-case hex), in the JSON
// documents and on the terminal alike.

#include <cstddef>
#include <string>
#include <string_view>

namespace flashplan {

/// `text` with every byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing past U+10FFFF) written as \xNN; the rest unchanged. The result is valid UTF-8.
std::string escapeNonUtf8(std::string_view text);

/// escapeNonUtf8(), and control characters as \xNN per byte too (C0 but tab and line feed, DEL, and the C1
/// controls U+0080..U+009F, which terminals also obey): text that cannot move the cursor, clear the screen
/// or retitle the window of the terminal it is shown on.
std::string escapeForTerminal(std::string_view text);

/// Whether escapeNonUtf8() would leave `text` as it is.
bool isValidUtf8(std::string_view text);

/// The length of the longest prefix of `text` that does not end inside a UTF-8 sequence that further bytes
/// could still complete (at most 3 bytes are left out): for text that arrives in pieces, such as a stream.
std::size_t completeUtf8Prefix(std::string_view text);

} // namespace flashplan
