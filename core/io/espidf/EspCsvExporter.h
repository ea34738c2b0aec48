// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Writes a layout as an ESP-IDF partitions.csv that gen_esp32part.py accepts: a header comment, then one
/// row per partition in aligned columns, in layout order (sorted by offset when that order would go back),
/// with the bootloader rows an import kept (esp-idf.row.<n>) back in their places. Type, subtype and flags
/// are written as the import found them (esp-idf.type, esp-idf.subtype, esp-idf.flags, with readonly
/// following Partition::readOnly); a partition without them gets them from its role (slot0/slot1: app
/// ota_<2*image>/ota_<2*image+1>, storage: data nvs, anything else: data undefined). An offset is left
/// empty when esp-idf.offset-auto says it was and gen_esp32part.py would place the row there again; sizes
/// are written as gen_esp32part.py writes them (1M, 24K, else hex).
///
/// Errors say what the table cannot hold: partitions on more than one device, nested partitions, a label
/// that is empty, used twice or holds a comma, a row below 0x9000 (the end of the partition table at its
/// default offset) or overlapping another, an offset off its type's alignment (apps 64 KiB, the rest
/// 4 KiB), an app size off 4 KiB, anything past 4 GiB, and the checks gen_esp32part.py makes on otadata,
/// coredump and NVS partitions.
class EspCsvExporter final : public Exporter {
public:
    Result<std::vector<ExportedFile>> write(const Layout& layout, const std::filesystem::path& outputPath,
                                            const ExportOptions& options) const override;
};

} // namespace flashplan
