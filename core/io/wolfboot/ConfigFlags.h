// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"

#include <functional>
#include <string>
#include <string_view>

namespace flashplan::wolfboot {

/// A .config variable's value, nullptr when it is not set.
using VariableLookup = std::function<const std::string*(std::string_view name)>;

/// Which partitions a .config puts on external flash, and on what bus.
struct ExternalFlags {
    bool boot = false;
    bool update = false;
    bool swap = false;
    FlashKind kind = FlashKind::Spi; ///< QSPI_FLASH=1: Qspi, OCTOSPI_FLASH=1: Ospi
};

/// wolfBoot's options.mk rules: SPI_FLASH, QSPI_FLASH, OCTOSPI_FLASH and UART_FLASH set to 1 turn EXT_FLASH
/// on; EXT_FLASH=1 puts UPDATE and SWAP on external flash (PART_UPDATE_EXT, PART_SWAP_EXT), SWAP unless
/// NO_SWAP_EXT is set, and BOOT too with NO_XIP=1 (PART_BOOT_EXT). PART_BOOT_EXT, PART_UPDATE_EXT and
/// PART_SWAP_EXT set in the .config itself decide for their partition ("1" external, else not).
ExternalFlags externalFlags(const VariableLookup& value);

} // namespace flashplan::wolfboot
