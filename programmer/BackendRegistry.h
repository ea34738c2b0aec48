// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace flashplan::programmer {

/// How a backend is set up: the options the CLI and the GUI collect, each meaningful to some backends.
struct BackendOptions {
    std::string simulatorFolder; ///< sim: where the device files live (empty: the default)
    std::string openocdPath;     ///< openocd: the executable (empty: from PATH)
    std::string interfaceConfig; ///< openocd: -f interface config (empty: the board's hint)
    std::string targetConfig;    ///< openocd: -f target config (empty: the board's hint)
    std::string device;          ///< dfu: VID:PID, serial number or bus path
    std::string alt;             ///< dfu: alt setting number or name
};

/// One backend kind: its name, what it is, and how to make one.
struct BackendKind {
    std::string_view name;
    std::string_view title;
    std::unique_ptr<Backend> (*make)(const BackendOptions&);
};

/// Every backend kind, sorted by name.
std::span<const BackendKind> allBackends();
const BackendKind* findBackend(std::string_view name);

} // namespace flashplan::programmer
