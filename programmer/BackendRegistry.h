// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendKind.h"

#include <span>
#include <string_view>
#include <vector>

namespace flashplan::programmer {

/// The backend used when none is chosen: the simulator, which needs no hardware.
inline constexpr std::string_view kDefaultBackend = "sim";

/// Every backend kind, sorted by name: the one table (BackendRegistry.cpp).
std::span<const BackendKind> allBackends();
/// The kind registered as `name`, or nullptr.
const BackendKind* findBackend(std::string_view name);

/// One option of one backend.
struct BackendOption {
    const BackendKind* backend = nullptr;
    const OptionSpec* option = nullptr;
};
/// Every option of every backend: backends by name, each one's options in declaration order. What a
/// front end turns into its own options (flashplan-cli's `--<cliName>`).
std::vector<BackendOption> allBackendOptions();

} // namespace flashplan::programmer
