// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"
#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan {

/// What the sectors of a DfuSe group allow, from their type letter (ST UM0290 / AN3156):
/// 'a' readable, 'b' erasable, 'c' readable+erasable, 'd' writable, 'e' readable+writable,
/// 'f' erasable+writable, 'g' all three. The letter's value minus 'a' + 1 is the bit set below.
enum DfuseAccess : std::uint8_t {
    kDfuseReadable = 1,
    kDfuseErasable = 2,
    kDfuseWritable = 4,
};

/// "04*016Kg": `count` sectors of `size` bytes with the access bits of their type letter.
struct DfuseSectorGroup {
    std::uint64_t count = 0;
    std::uint64_t size = 0;
    std::uint8_t access = 0; ///< DfuseAccess bits
    friend bool operator==(const DfuseSectorGroup&, const DfuseSectorGroup&) = default;
};

/// "/0x08000000/04*016Kg,01*064Kg": contiguous groups of sectors from a start address.
struct DfuseRegion {
    std::uint64_t address = 0;
    std::vector<DfuseSectorGroup> groups;
    std::uint64_t size() const;
    std::uint64_t end() const { return address + size(); }
    friend bool operator==(const DfuseRegion&, const DfuseRegion&) = default;
};

/// One sector of a DfuSe memory, located by its absolute address.
struct DfuseSector {
    std::uint64_t address = 0;
    std::uint64_t size = 0;
    std::uint8_t access = 0;
    friend bool operator==(const DfuseSector&, const DfuseSector&) = default;
};

/// A DfuSe alternate setting's memory description: "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,
/// 07*128Kg". The name is what stands between '@' and the first '/', blanks trimmed; regions are in
/// ascending address order and never overlap.
struct DfuseMemory {
    std::string name;
    std::vector<DfuseRegion> regions;

    /// The sector that holds `address`, or nullopt when no region does. O(groups).
    std::optional<DfuseSector> sectorAt(std::uint64_t address) const;
    /// True when [address, address+length) lies in the regions and each sector in it has every bit
    /// of `access` (e.g. kDfuseErasable | kDfuseWritable for a write that erases first).
    bool allows(std::uint64_t address, std::uint64_t length, std::uint8_t access) const;
    /// The canonical text: "@Internal Flash/0x08000000/04*016Kg,01*064Kg,07*128Kg" (sizes in the
    /// largest exact multiplier, counts and sizes zero-padded as ST does).
    std::string toString() const;
    friend bool operator==(const DfuseMemory&, const DfuseMemory&) = default;
};

/// True when an alt setting's string is a DfuSe memory description (it begins with '@').
bool isDfuseDescriptor(std::string_view text);

/// Parses a DfuSe memory description. Several regions follow one another as "/address/groups";
/// groups are "count*size" with a multiplier B, K, M or a blank (bytes) and a type letter a-g
/// (upper case accepted). Errors are Errc::Parse, with `where.line` 1 and `where.column` the
/// 1-based position of the fault, which the message repeats ("column 27: ..."). Never throws.
Result<DfuseMemory> parseDfuseDescriptor(std::string_view text);

/// The flash devices an alt setting describes, one per region: id `idPrefix` for a single region
/// (else `idPrefix` + "_" + region index), the memory's name, the kind guessed from the name
/// ("QSPI"/"Quad" -> qspi, "OSPI"/"Octo" -> ospi, "SPI" -> spi, else internal), the region's address
/// as cpuBase (left out for an external device at address 0, which is not memory-mapped), its
/// sectors merged into a SectorMap, write block 1 and erase value 0xff (DfuSe does not say).
/// Errors: a region whose sectors a SectorMap refuses.
Result<std::vector<FlashDevice>> flashDevicesFromDfuse(const DfuseMemory& memory, std::string_view idPrefix);

} // namespace flashplan
