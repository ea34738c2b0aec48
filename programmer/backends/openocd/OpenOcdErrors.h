// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <optional>
#include <string_view>

namespace flashplan::programmer::openocd {

/// The error a user should see for what OpenOCD printed, when a rule recognises it: the debug probe is
/// missing, the target does not respond, the flash is write-protected, verify found a difference, a config
/// file is missing or wrong (named, with its line), a port is taken. Each message says what happened in
/// plain words and ends with OpenOCD's own line. `output` is OpenOCD's text, lines with or without their
/// "Error: " prefix. The rules are a table in priority order; the first that matches any line wins.
std::optional<Error> recogniseOpenOcdError(std::string_view output);

/// recogniseOpenOcdError(), or else an Errc::Io error: `what` went wrong (a sentence: "OpenOCD's `flash
/// probe 0` failed"), then OpenOCD's first "Error:" line (or its last line when it printed none).
Error explainOpenOcd(std::string_view what, std::string_view output);

} // namespace flashplan::programmer::openocd
