// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Reads a wolfBoot .config (config/examples/*.config): the make fragment is evaluated as GNU make would
/// (wolfboot::MakeVariables), then TARGET, WOLFBOOT_SECTOR_SIZE, WOLFBOOT_PARTITION_SIZE, the BOOT, UPDATE
/// and SWAP addresses and the external-flash switches (wolfboot::externalFlags) become the partitions
/// "boot" (slot0), "update" (slot1) and "swap". Every variable the layout does not otherwise hold is kept
/// as the property "wolfboot.config.<NAME>", so an export writes it back. WOLFBOOT_NO_PARTITIONS=1 means
/// no fixed partitions: the addresses are then kept as variables, not placed. A SWAP address of
/// 0xFFFFFFFF (dual-bank targets) is no swap partition. docs/formats/wolfboot.md has the details.
class WolfBootConfigImporter final : public Importer {
public:
    int sniff(std::string_view text, std::string_view fileName) const override;
    /// Errors (with the file, the line and the variable): a line that is not an assignment, an address or
    /// size that is not a number, an address without WOLFBOOT_PARTITION_SIZE (or, for SWAP, without
    /// WOLFBOOT_SECTOR_SIZE), a partition --board cannot hold, partitions that overlap on memory-mapped
    /// flash.
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
};

} // namespace flashplan
