// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace flashplan {

// The JSON shapes of the model that scripts read (flashplan-cli --json). They are a stable interface,
// documented in docs/cli-json.md: fields are added, never renamed or removed, within one "schema".
// Numbers (offsets, sizes, addresses) are JSON integers, exact up to 2^64.

nlohmann::ordered_json toJson(const Properties& properties);
nlohmann::ordered_json toJson(const FlashDevice& device);
nlohmann::ordered_json toJson(const Board& board);
nlohmann::ordered_json toJson(const Layout& layout);
nlohmann::ordered_json toJson(const Diagnostic& diagnostic, const Layout& layout);
nlohmann::ordered_json toJson(const std::vector<Diagnostic>& diagnostics, const Layout& layout);
nlohmann::ordered_json toJson(const Error& error);

} // namespace flashplan
