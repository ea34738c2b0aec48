// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/SectorMap.h"
#include "util/Result.h"

#include <cstdint>
#include <span>
#include <string>

namespace flashplan::cmsis {

/// What a CMSIS flash algorithm (.FLM, an ELF file) says about the flash it programs: its `FlashDevice`
/// structure (CMSIS FlashOS.h), with the sector list turned into runs.
struct FlmDevice {
    std::uint16_t version = 0;       ///< Vers
    std::string name;                ///< DevName
    std::uint16_t type = 0;          ///< DevType: 1 on-chip, 2..4 external parallel, 5 external SPI
    std::uint32_t address = 0;       ///< DevAdr: the CPU address the algorithm was written for
    std::uint32_t size = 0;          ///< szDev
    std::uint32_t pageSize = 0;      ///< szPage: the most ProgramPage writes in one call, not the write block
    std::uint8_t erasedValue = 0xff; ///< valEmpty
    std::uint32_t programTimeout = 0, eraseTimeout = 0; ///< toProg, toErase (ms)
    /// The sectors from DevAdr over szDev bytes, device-relative.
    SectorMap sectors;
    /// AddrSector was stored as CPU addresses instead of offsets from DevAdr (the nRF5340 network core's
    /// algorithm does); `sectors` is rebased either way.
    bool absoluteSectors = false;
};

/// Reads the `FlashDevice` symbol of an algorithm file. The structure is read as the Arm compilers lay
/// it out for a 32-bit target: u16 Vers at 0, char DevName[128] at 2, u16 DevType at 130, u32 DevAdr,
/// szDev, szPage, Res at 132..147, u8 valEmpty at 148 (three bytes of padding), u32 toProg at 152 and
/// toErase at 156, then {u32 szSector, u32 AddrSector} pairs from 160, ended by a pair of 0xFFFFFFFF.
///
/// Errors (Errc::Schema) name the file and the field: the ELF's own (ElfFile), no FlashDevice symbol,
/// a structure or sector list running past its section, no terminating pair, a sector list that is
/// empty, does not start at the device's start, goes backwards, has a zero sector size, or whose runs
/// do not end on a sector boundary of the next run or of szDev.
Result<FlmDevice> readFlm(std::span<const std::uint8_t> bytes, const std::string& fileName);

} // namespace flashplan::cmsis
