// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "db/DeviceDatabase.h"
#include "model/Layout.h"

#include <string>
#include <string_view>
#include <vector>

namespace flashplan::ExampleLayouts {

/// The example shown when the app starts with no file: the Zephyr flash_map example on an nRF52840 DK.
constexpr std::string_view kDefault = "zephyr-flash-map";

/// Names of the example layouts compiled in (layouts/*.flashplan without the extension), sorted.
std::vector<std::string> names();

/// Loads an example by name; Errc::NotFound for an unknown name.
Result<Layout> load(std::string_view name, const DeviceDatabase& db);

} // namespace flashplan::ExampleLayouts
