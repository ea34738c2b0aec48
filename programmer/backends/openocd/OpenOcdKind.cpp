// SPDX-License-Identifier: Apache-2.0
// The openocd kind's declaration: its options and how to make it (the row in BackendRegistry.cpp).
#include "backends/openocd/OpenOcdKind.h"

#include "backends/openocd/OpenOcdBackend.h"

#include <array>

namespace flashplan::programmer {

namespace {

constexpr std::array kOptions{
    OptionSpec{.key = "openocd",
               .cliName = "openocd",
               .valueName = "path",
               .label = "OpenOCD",
               .input = OptionInput::File,
               .placeholder = "openocd from PATH",
               .help = "The openocd executable to start"},
    OptionSpec{.key = "interface",
               .cliName = "interface",
               .valueName = "cfg",
               .label = "Interface config",
               .input = OptionInput::File,
               .placeholder = "the board's hint",
               .help = "The debug probe's config file (openocd -f), e.g. interface/stlink.cfg",
               .boardDefault = [](const Board& b) { return b.programmer.openocdInterface; }},
    OptionSpec{.key = "target",
               .cliName = "target",
               .valueName = "cfg",
               .label = "Target config",
               .input = OptionInput::File,
               .placeholder = "the board's hint",
               .help = "The target's config file (openocd -f), e.g. target/stm32f4x.cfg",
               .boardDefault = [](const Board& b) { return b.programmer.openocdTarget; }},
    OptionSpec{.key = "config",
               .cliName = "openocd-config",
               .valueName = "cfg",
               .label = "Session config",
               .input = OptionInput::File,
               .placeholder = "the interface and target configs",
               .help = "One config file that sets up probe and target (replaces the interface and target "
                       "configs)"},
};

std::unique_ptr<Backend> make(const BackendOptions& o) {
    openocd::OpenOcdSettings s;
    s.executable = o.get("openocd");
    s.interfaceConfig = o.get("interface");
    s.targetConfig = o.get("target");
    s.config = o.get("config");
    return std::make_unique<OpenOcdBackend>(std::move(s));
}

} // namespace

const BackendKind& openOcdKind() {
    static const BackendKind kind{
        .name = "openocd",
        .title = "OpenOCD over SWD/JTAG (ST-Link, CMSIS-DAP, J-Link, any config)",
        .options = kOptions,
        .make = make,
    };
    return kind;
}

} // namespace flashplan::programmer
