// SPDX-License-Identifier: Apache-2.0
// The one table of backends, sorted by name; new backends add a row.
#include "BackendRegistry.h"

#include "backends/dfu/DfuBackend.h"
#include "backends/openocd/OpenOcdBackend.h"
#include "backends/sim/SimulatorBackend.h"

#include <array>

namespace flashplan::programmer {

namespace {
std::unique_ptr<Backend> makeDfu(const BackendOptions& o) {
    DfuBackendOptions options;
    options.device = o.device;
    options.alt = o.alt;
    return std::make_unique<DfuBackend>(std::move(options));
}

std::unique_ptr<Backend> makeSimulator(const BackendOptions& o) {
    return std::make_unique<SimulatorBackend>(o.simulatorFolder.empty()
                                                  ? SimulatorBackend::defaultFolder()
                                                  : std::filesystem::path(o.simulatorFolder));
}

std::unique_ptr<Backend> makeOpenOcd(const BackendOptions& o) {
    openocd::OpenOcdSettings s;
    s.executable = o.openocdPath;
    s.interfaceConfig = o.interfaceConfig;
    s.targetConfig = o.targetConfig;
    s.config = o.openocdConfig;
    return std::make_unique<OpenOcdBackend>(std::move(s));
}

const std::array kBackends{
    BackendKind{"dfu", "USB DFU 1.1 and DfuSe devices (libusb)", makeDfu},
    BackendKind{"openocd", "OpenOCD over SWD/JTAG (ST-Link, CMSIS-DAP, J-Link, any config)", makeOpenOcd},
    BackendKind{"sim", "Simulated flash (files in the user's data folder)", makeSimulator},
};
} // namespace

std::span<const BackendKind> allBackends() {
    return kBackends;
}

const BackendKind* findBackend(std::string_view name) {
    for (const BackendKind& b : kBackends)
        if (b.name == name)
            return &b;
    return nullptr;
}

} // namespace flashplan::programmer
