// SPDX-License-Identifier: Apache-2.0
#pragma once
// The vocabulary of an ESP-IDF partition table (partitions.csv), as gen_esp32part.py defines it: types and
// subtypes by keyword or number, flags, how numbers are written, and where rows with an empty offset go.
// Facts from ESP-IDF's "Partition Tables" guide and gen_esp32part.py; the code is Flashplan's own.

#include "model/Partition.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flashplan::esp {

inline constexpr std::uint64_t kTableOffset = 0x8000; ///< CONFIG_PARTITION_TABLE_OFFSET's default
inline constexpr std::uint64_t kTableSize = 0x1000;   ///< the table fills one 4 KiB sector
inline constexpr std::uint64_t kFirstFree = kTableOffset + kTableSize;
inline constexpr std::uint64_t kLimit = std::uint64_t{1}
                                        << 32; ///< table entries hold 32-bit offsets and sizes
inline constexpr std::size_t kNameBytes = 15;  ///< 16 bytes with the terminating NUL; longer names are cut

inline constexpr unsigned kApp = 0x00;
inline constexpr unsigned kData = 0x01;
inline constexpr unsigned kBootloader = 0x02;
inline constexpr unsigned kPartitionTable = 0x03;

inline constexpr unsigned kSubtypePrimary = 0x00;   ///< bootloader and partition_table "primary"
inline constexpr unsigned kSubtypeUndefined = 0x06; ///< data with an empty subtype

/// A number as gen_esp32part.py reads it: Python's int(text, 0) (decimal, 0x, 0o, 0b, '_' between
/// digits, a sign) times 1024 per trailing k and 1024*1024 per trailing m (either case). Negative values
/// are returned as such (a negative size means "ends at"). Errc::Parse naming the text otherwise.
Result<std::int64_t> parseInt(std::string_view text);

/// The type a field names: app, data, bootloader, partition_table (any case) or a number 0..0xff.
std::optional<unsigned> typeValue(std::string_view text);

/// The subtype a field names for a type: an empty field is "undefined" (0x06) except for app (nullopt);
/// keywords (factory, ota_0..ota_15, tee_0, tee_1, test for app; ota, phy, nvs, coredump, nvs_keys, efuse,
/// undefined, esphttpd, fat, spiffs, littlefs, tee_ota for data; primary, ota, recovery for bootloader;
/// primary, ota for partition_table) in any case, or a number 0..0xff. nullopt for anything else.
std::optional<unsigned> subtypeValue(unsigned type, std::string_view text);

/// A subtype a project defines for itself (EXTRA_PARTITION_SUBTYPES in its build): an identifier that is
/// no keyword, for an app or data partition. Its number is in the project's build files, not the table.
bool isProjectSubtype(unsigned type, std::string_view text);

/// Where an offset of this type must lie: app partitions on 64 KiB (the flash MMU's page), the rest on
/// 4 KiB (the erase sector).
std::uint64_t offsetAlignment(unsigned type);

/// The primary bootloader and primary partition table rows sit where the build configuration puts them
/// and take no part in placing the rows with an empty offset.
bool isPrimaryTableOrBootloader(unsigned type, unsigned subtype);

/// The Flashplan role of a partition: ota_0 and ota_1 are slot0 and slot1 (later OTA slots, factory, test
/// and TEE apps are custom); nvs and the file systems are storage; the NVS keys and the table itself are
/// reserved; a bootloader row is boot.
PartitionRole roleOf(unsigned type, std::optional<unsigned> subtype);

/// The flags of a row, colon separated (encrypted, readonly). Errc::Parse naming an unknown flag.
struct Flags {
    bool encrypted = false;
    bool readOnly = false;
};
Result<Flags> parseFlags(std::string_view text);

/// A size as gen_esp32part.py writes it: "1M", "24K", else hex.
std::string sizeText(std::uint64_t size);

} // namespace flashplan::esp
