// SPDX-License-Identifier: Apache-2.0
// wolfBoot TARGET -> device-database board. Facts from wolfBoot's docs/Targets.md and hal/*.c; the
// boards' geometry is pinned in tests/core/db/tst_devicedatabase.cpp.
#include "io/wolfboot/WolfBootTargets.h"

#include <array>

namespace flashplan::wolfboot {

namespace {
constexpr std::array kTargets{
    WolfBootTarget{"nrf52", "nrf52840dk_nrf52840",
                   "wolfBoot's nRF52 port is documented on the nRF52840 (Targets.md 'Nordic nRF52840'); "
                   "4 KiB pages at 0x0 like every nRF52"},
    WolfBootTarget{"nrf5340", "nrf5340dk_nrf5340",
                   "Targets.md 'Nordic nRF5340': tested with the nRF5340-DK; application core flash at 0x0 "
                   "and the DK's MX25R64 as external flash"},
    WolfBootTarget{"nrf5340_net", "nrf5340dk_nrf5340",
                   "the nRF5340-DK's network core: its flash at 0x01000000 (2 KiB pages), the same DK"},
    WolfBootTarget{"stm32f4", "stm32f4_disco",
                   "Targets.md 'STM32F4': the STM32F407 (4x16K, 1x64K, 7x128K sectors at 0x08000000)"},
    WolfBootTarget{"stm32g0", "nucleo_g071rb",
                   "Targets.md 'STM32G0': STM32G0x0/G0x1 with 2 KiB pages (hal/stm32g0.c FLASH_PAGE_SIZE), "
                   "128 KiB as the G071RB"},
    WolfBootTarget{"stm32h7", "nucleo_h743zi",
                   "Targets.md 'STM32H7': 2 MiB in 128 KiB sectors, two banks (STM32H743/H753)"},
};
} // namespace

std::span<const WolfBootTarget> wolfBootTargets() {
    return kTargets;
}

const WolfBootTarget* findWolfBootTarget(std::string_view target) {
    for (const WolfBootTarget& t : kTargets)
        if (t.target == target)
            return &t;
    return nullptr;
}

} // namespace flashplan::wolfboot
