// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"

#include <string>
#include <utility>
#include <vector>

namespace flashplan {

/// The settings the layout's bootloader is built with, by the bootloader's own names, for a reader of
/// the layout (flashplan-cli info): the settings set on the layout that its bootloader reads (a layout
/// given --profile wolfboot keeps MCUboot's BOOT_MAX_IMG_SECTORS, which wolfBoot never reads), then what
/// the bootloader's own files would say for the partitions: for wolfBoot WOLFBOOT_SECTOR_SIZE,
/// WOLFBOOT_PARTITION_SIZE and WOLFBOOT_PARTITION_*_ADDRESS, as its .config is exported (a value there
/// replaces the setting of that name). A bootloader Flashplan does not know shows its settings as set.
std::vector<std::pair<std::string, std::string>> buildSettings(const Layout& layout);

} // namespace flashplan
