// SPDX-License-Identifier: Apache-2.0
// The openocd kind's declaration: its options and how to make it (the row in BackendRegistry.cpp).
#include "backends/openocd/OpenOcdKind.h"

#include "backends/openocd/DebugProbeLister.h"
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
    OptionSpec{.key = "transport",
               .cliName = "transport",
               .valueName = "name",
               .label = "Transport",
               .placeholder = "the board's hint, else SWD for stock probe configs",
               .help = "OpenOCD's transport select: swd, jtag, hla_swd, dapdirect_swd...",
               .boardDefault = [](const Board& b) { return b.programmer.openocdTransport; }},
    OptionSpec{.key = "serial",
               .cliName = "probe-serial",
               .valueName = "serial",
               .label = "Probe serial",
               .placeholder = "the board's hint, else the first probe",
               .help = "Which probe, by its USB serial number (OpenOCD's adapter serial)",
               .boardDefault = [](const Board& b) { return b.programmer.probeSerial; }},
    OptionSpec{.key = "config",
               .cliName = "openocd-config",
               .valueName = "cfg",
               .label = "Session config",
               .input = OptionInput::File,
               .placeholder = "the interface and target configs",
               .help = "One config file that sets up probe and target (replaces the interface and target "
                       "configs)"},
};

constexpr DeviceListing kProbes{
    .option = "serial",
    .label = "Probes",
    .help = "Debug probes on the bus (CMSIS-DAP, ST-Link, J-Link), refreshed as they come and go",
    .none = "no debug probe found (watching)",
    .makeLister = [] { return std::unique_ptr<DeviceLister>(std::make_unique<DebugProbeLister>()); },
};

std::unique_ptr<Backend> make(const BackendOptions& o) {
    openocd::OpenOcdSettings s;
    s.executable = o.get("openocd");
    s.interfaceConfig = o.get("interface");
    s.targetConfig = o.get("target");
    s.config = o.get("config");
    s.transport = o.get("transport");
    s.serial = o.get("serial");
    return std::make_unique<OpenOcdBackend>(std::move(s));
}

} // namespace

const BackendKind& openOcdKind() {
    static const BackendKind kind{
        .name = "openocd",
        .title = "OpenOCD over SWD/JTAG (ST-Link, CMSIS-DAP, J-Link, any config)",
        .options = kOptions,
        .make = make,
        .devices = &kProbes,
    };
    return kind;
}

} // namespace flashplan::programmer
