// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

namespace flashplan::wolfboot {

/// A wolfBoot TARGET (the HAL a .config builds, hal/<target>.c) and the device-database board with the
/// same chip family and flash geometry. Only exact matches are listed: a TARGET that covers chips of
/// different sector maps (imx_rt, stm32l4) has no row, and its layouts get an inferred device instead.
struct WolfBootTarget {
    std::string_view target; ///< as written in TARGET=
    std::string_view board;  ///< a board id of the device database
    std::string_view source; ///< why the two are the same flash (for the docs and reviewers)
};

/// The table, sorted by target.
std::span<const WolfBootTarget> wolfBootTargets();
/// The row for `target`, or nullptr.
const WolfBootTarget* findWolfBootTarget(std::string_view target);

} // namespace flashplan::wolfboot
