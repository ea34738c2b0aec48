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

/// A named set of flash devices plus how to program them.
struct Board {
    std::string id; ///< unique in the database, Zephyr's board name where there is one ("nrf52840dk")
    std::string name;
    std::string vendor;
    std::string soc;
    std::vector<FlashDevice> devices;
    ProgrammerHints programmer;

    const FlashDevice* device(std::string_view deviceId) const {
        for (const FlashDevice& d : devices)
            if (d.id == deviceId)
                return &d;
        return nullptr;
    }
    friend bool operator==(const Board&, const Board&) = default;
};

} // namespace flashplan
