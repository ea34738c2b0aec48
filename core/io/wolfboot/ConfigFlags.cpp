// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/ConfigFlags.h"

#include <array>

namespace flashplan::wolfboot {

ExternalFlags externalFlags(const VariableLookup& value) {
    const auto is1 = [&](std::string_view name) {
        const std::string* v = value(name);
        return v && *v == "1"; // make's ifeq ($(X),1)
    };
    const auto set = [&](std::string_view name) {
        const std::string* v = value(name);
        return v && !v->empty(); // make's ifneq ($(X),)
    };
    ExternalFlags f;
    bool ext = is1("EXT_FLASH");
    for (std::string_view bus :
         std::array<std::string_view, 4>{"SPI_FLASH", "QSPI_FLASH", "OCTOSPI_FLASH", "UART_FLASH"})
        ext = ext || is1(bus);
    f.boot = ext && is1("NO_XIP");
    f.update = ext;
    f.swap = ext && !set("NO_SWAP_EXT");
    for (auto [name, flag] : {std::pair{"PART_BOOT_EXT", &f.boot}, std::pair{"PART_UPDATE_EXT", &f.update},
                              std::pair{"PART_SWAP_EXT", &f.swap}})
        if (value(name))
            *flag = is1(name);
    if (is1("OCTOSPI_FLASH"))
        f.kind = FlashKind::Ospi;
    else if (is1("QSPI_FLASH"))
        f.kind = FlashKind::Qspi;
    return f;
}

} // namespace flashplan::wolfboot
