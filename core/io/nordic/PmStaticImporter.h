// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Reads the nRF Connect SDK Partition Manager's pm_static.yml: a YAML mapping of partition names to their
/// address, size and region, with containers (`span`) and the Partition Manager's other keys.
///
/// Each region becomes a device: with --board (ImportOptions::boardId) flash_primary is the board's
/// internal flash and external_flash its external flash; any other region (sram_primary, otp, ram_flash...)
/// and every region of a file read without a board becomes a device inferred from the file (PmRegions).
/// Offsets are device-relative: a flash_primary address is a CPU address, an external_flash address is
/// already a device offset. Partitions spanned by a container get it as parent (PmContainers). Roles come
/// from the names (roleFromName). Keys without a field of their own are kept as properties, so that the
/// exporter writes them back:
///   pm.keys         the partition's keys in the file's order, space separated
///   pm.<key>        the value of any other key as one line of YAML flow text (pm.span, pm.placement...)
///   pm.end_address  only when it differs from address + size (a warning says so)
/// and the layout property pm.region.<device> names the region of each device.
class PmStaticImporter final : public Importer {
public:
    int sniff(std::string_view text, std::string_view fileName) const override;
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
};

} // namespace flashplan
