// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/Format.h"

namespace flashplan {

/// Reads an ESP-IDF partition table, partitions.csv: rows of name, type, subtype, offset, size, flags, as
/// gen_esp32part.py reads them (EspPartitionTable): '#' comments and blank lines skipped, fields stripped,
/// missing trailing fields empty, a UTF-8 byte order mark ignored. Rows with an empty offset are placed as
/// gen_esp32part.py places them, after the partition table at its default offset 0x8000 (a note says so);
/// a negative size means "ends at". A primary partition_table row is the table's own sector; bootloader rows
/// get their offset and size from the build configuration, so they are kept (layout property
/// esp-idf.row.<n>, n its position among the rows) for export but not placed (a note says so).
///
/// The partitions go on the --board's flash (the only one, else its first external flash), or on an
/// inferred SPI flash "flash0" of 4 KiB sectors, the smallest ESP flash size (1 MiB, 2 MiB, 4 MiB...) that
/// holds the table. Properties keep what the export needs: esp-idf.type and esp-idf.subtype as written,
/// esp-idf.flags as written (readonly also sets Partition::readOnly), esp-idf.offset-auto = "true" for a
/// row whose offset was empty.
class EspCsvImporter final : public Importer {
public:
    int sniff(std::string_view text, std::string_view fileName) const override;
    Result<ImportResult> read(std::string_view text, const std::string& fileName,
                              const ImportOptions& options) const override;
};

} // namespace flashplan
