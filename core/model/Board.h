// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flashplan {

/// One DFU alternate setting and the flash device it reaches.
struct DfuAlt {
    int index = 0;
    std::string device;     ///< FlashDevice::id
    std::string descriptor; ///< the alt setting's string, e.g. DfuSe "@Internal Flash  /0x08000000/04*016Kg"
    friend bool operator==(const DfuAlt&, const DfuAlt&) = default;
};

/// What the programmers need to know to reach the board; hints, not guarantees.
struct ProgrammerHints {
    std::string openocdInterface; ///< e.g. "interface/stlink.cfg"
    std::string openocdTarget;    ///< e.g. "target/stm32f4x.cfg"
    /// OpenOCD's `transport select` ("swd", "jtag", "hla_swd", "dapdirect_swd"...); empty: SWD for the
    /// stock probe configs that default to something else, else the interface config's own choice.
    std::string openocdTransport;
    /// The probe's USB serial number (OpenOCD's `adapter serial`): which of several probes reaches this
    /// board; empty: whichever OpenOCD finds first.
    std::string probeSerial;
    std::optional<std::uint16_t> dfuVendorId;
    std::optional<std::uint16_t> dfuProductId;
    std::vector<DfuAlt> dfuAlts;
    friend bool operator==(const ProgrammerHints&, const ProgrammerHints&) = default;
};

/// One flash algorithm a generated board was read from: the file, the flash device it describes, and,
/// for an alias (the same flash seen at a second CPU address, as the STM32F7's ITCM view of its AXIM
/// flash), that address.
struct AlgorithmSource {
    std::string device; ///< FlashDevice::id
    std::string file;   ///< the algorithm as the pack names it ("CMSIS/Flash/STM32F7x_1024.FLM")
    std::optional<std::uint64_t> alias;
    friend bool operator==(const AlgorithmSource&, const AlgorithmSource&) = default;
};

/// Where a generated board came from (`flashplan-cli devices import` of a CMSIS-Pack): the pack, its
/// description file and algorithms, and what the import had to decide, so that a reader can check the
/// geometry against its source.
struct BoardSource {
    std::string kind;    ///< "cmsis-pack"
    std::string vendor;  ///< the pack's <vendor>
    std::string pack;    ///< the pack's <name>
    std::string version; ///< the newest <release> of the pack
    std::string file;    ///< the description file (.pdsc), as given to the import
    std::vector<AlgorithmSource> algorithms;
    std::vector<std::string> notes;
    friend bool operator==(const BoardSource&, const BoardSource&) = default;
};

/// A named set of flash devices plus how to program them.
struct Board {
    std::string id; ///< unique in the database, Zephyr's board name where there is one ("nrf52840dk")
    std::string name;
    std::string vendor;
    std::string soc;
    std::vector<FlashDevice> devices;
    ProgrammerHints programmer;
    std::optional<BoardSource> source; ///< set on generated boards: their provenance

    const FlashDevice* device(std::string_view deviceId) const {
        for (const FlashDevice& d : devices)
            if (d.id == deviceId)
                return &d;
        return nullptr;
    }
    friend bool operator==(const Board&, const Board&) = default;
};

} // namespace flashplan
