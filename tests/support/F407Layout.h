// SPDX-License-Identifier: Apache-2.0
// The STM32F407 layout the programmer's pure and simulator tests share.
#pragma once

#include "db/DeviceDatabase.h"
#include "model/Layout.h"

namespace flashplan::testsupport {

/// STM32F407 (4x16K, 1x64K, 7x128K): boot in sector 0 (read-only), app in sectors 1-3, slot over sectors
/// 4-5 (64K + 128K), data in sector 6.
inline Layout f407Layout() {
    Layout l;
    l.board = *DeviceDatabase::builtin()->find("stm32f4_disco");
    const auto add = [&](const char* label, std::uint64_t offset, std::uint64_t size, bool readOnly) {
        Partition p;
        p.label = label;
        p.device = "flash0";
        p.offset = offset;
        p.size = size;
        p.readOnly = readOnly;
        l.partitions.push_back(p);
    };
    add("boot", 0, 0x4000, true);
    add("app", 0x4000, 0xc000, false);
    add("slot", 0x10000, 0x30000, false);
    add("data", 0x40000, 0x20000, false);
    return l;
}

} // namespace flashplan::testsupport
