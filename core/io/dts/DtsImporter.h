// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Zephyr devicetree (.dts, .dtsi, .overlay, or a preprocessed single file) to a Layout: its
/// fixed-partitions tables and zephyr,mapped-partition nodes on every flash device, nested partitions,
/// and the chosen entries that name partitions. Raw board files are preprocessed first (#include
/// against the file's folder and ImportOptions::includeDirs, #define, #if...). Without --board the
/// layout gets an inline board built from the flash nodes (device id = the node's first label); with
/// --board the partitions go on that database board's devices, matched to the flash nodes, and an
/// overlay or .dtsi may then refer to nodes it does not define. ImportOptions::overlays are read after the
/// file as Zephyr's build reads a board's overlays. What had to be assumed is in the notes
/// (docs/formats/dts.md lists them).
class DtsImporter final : public Importer {
public:
    int sniff(std::string_view text, std::string_view fileName) const override;
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
    /// A board's .dts followed by its overlays (ImportOptions::overlays), read as one devicetree.
    bool readsOverlays() const override { return true; }
};

} // namespace flashplan
