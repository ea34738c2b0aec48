// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>

namespace flashplan::gui {

/// Seconds since this process was started by the kernel (Linux: /proc/self/stat against CLOCK_BOOTTIME,
/// to the kernel's clock tick, usually 10 ms); nullopt where that is not known. For --measure-startup.
std::optional<double> secondsSinceProcessStart();

} // namespace flashplan::gui
