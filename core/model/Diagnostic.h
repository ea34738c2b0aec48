// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flashplan {

struct Layout;

enum class Severity { Info, Warning, Error };

std::string_view to_string(Severity severity);

/// A new place for one partition, by index in Layout::partitions.
struct PartitionEdit {
    std::size_t partition = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    friend bool operator==(const PartitionEdit&, const PartitionEdit&) = default;
};

/// A proposed repair: a readable description and the edits that carry it out: new places for
/// partitions, and bootloader settings to set (name, value), e.g. {"BOOT_MAX_IMG_SECTORS", "256"}.
struct Fix {
    std::string description;
    std::vector<PartitionEdit> edits;
    // The initializer keeps Fix{description, edits} free of -Wmissing-field-initializers.
    std::vector<std::pair<std::string, std::string>> settings = {};
    friend bool operator==(const Fix&, const Fix&) = default;
};

/// One finding of a rule: what is wrong (or worth knowing), which partitions it concerns, and how to
/// mend it when the rule knows.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string rule;    ///< stable id, "<pack>.<rule>", e.g. "generic.overlap"
    std::string message; ///< one sentence that names the partitions, the values and the limit broken
    std::vector<std::size_t> partitions; ///< indexes into Layout::partitions
    std::optional<Fix> fix;
    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// Applies a fix's edits to a copy of the layout: partitions get their new offset and size, and each
/// setting is set in Layout::bootloader.settings (replacing the value of a setting already there, else
/// added at the end). Edits naming a partition that does not exist are ignored (the layout changed since
/// the diagnostic was made).
Layout applyFix(const Layout& layout, const Fix& fix);

/// Counts of each severity.
struct DiagnosticCounts {
    std::size_t errors = 0, warnings = 0, infos = 0;
};
DiagnosticCounts countSeverities(const std::vector<Diagnostic>& diagnostics);

} // namespace flashplan
