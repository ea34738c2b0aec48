// SPDX-License-Identifier: Apache-2.0
#pragma once
// The bits of YAML that pm_static.yml needs beyond what yaml-cpp gives: integers as the Partition Manager
// reads them (PyYAML, YAML 1.1: 0x hex, 0 octal, 0b binary, '_' separators), and one-line flow text of a
// value, so that keys Flashplan has no field for can be kept as properties and written back.

#include "util/Result.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

namespace flashplan::pm {

/// The one YAML document of `text` (Null when there is none). Errc::Parse with line and column when the
/// text is not YAML, Errc::Schema when it holds more than one document. Never loops: yaml-cpp 0.7's
/// LoadAll() does, allocating, on a stray ',' (yaml-cpp issue 1040), so documents are counted here, at
/// most three, and a document that starts where the one before it started ends the count as an error.
Result<YAML::Node> loadSingleDocument(const std::string& text);

/// The unsigned integer a plain YAML 1.1 scalar stands for ("0x8000", "32768", "0o17", "1_000").
/// Errc::Parse when the node is not such a scalar (a quoted string, a list, a negative number, a value
/// that does not fit 64 bits); the message says what the value is.
Result<std::uint64_t> unsignedValue(const YAML::Node& node);

/// The value as one line of YAML flow text, the way it was written: scalars keep their text ("0x1000"
/// stays "0x1000"), a quoted scalar stays quoted, lists become "[a, b]" and mappings "{k: v}", aliases
/// are resolved. Parsing the text again gives an equal value, and flowText() of that gives the same text.
/// Errc::Parse for a value nested deeper than kMaxDepth (an alias inside itself is infinitely deep) or
/// longer than kMaxText once its aliases are resolved (a "billion laughs" file).
Result<std::string> flowText(const YAML::Node& node);
inline constexpr int kMaxDepth = 32;
inline constexpr std::size_t kMaxText = 64 * 1024;

/// A key or scalar as YAML text: plain when that reads back as the same string, else double-quoted.
std::string scalarText(const std::string& text);

/// Parses one value written by flowText(). Errc::Parse when `text` is not one YAML value.
Result<YAML::Node> parseValue(const std::string& text);

/// The 1-based line of a node (yaml-cpp counts from 0), 0 when unknown.
int lineOf(const YAML::Node& node);

} // namespace flashplan::pm
