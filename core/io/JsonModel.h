// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <string>
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

/// `document` as JSON text (nlohmann's dump() with `indent`; -1 is one line), every string and object key
/// made valid UTF-8 first with escapeNonUtf8(): a byte that is not UTF-8 becomes the four characters \xNN.
/// Names and messages quote input files, whose bytes need not be text, and dump() throws on those
/// (type_error 316). Every JSON document Flashplan writes goes through here.
std::string dumpJson(nlohmann::ordered_json document, int indent = -1);

} // namespace flashplan
