// SPDX-License-Identifier: Apache-2.0
// The one table of backends, sorted by name: a new backend is a folder with its declaration and one row
// here.
#include "BackendRegistry.h"

#include "backends/dfu/DfuKind.h"
#include "backends/openocd/OpenOcdKind.h"
#include "backends/sim/SimulatorKind.h"

#include <array>

namespace flashplan::programmer {

std::span<const BackendKind> allBackends() {
    static const std::array kBackends{
        dfuKind(),
        openOcdKind(),
        simulatorKind(),
    };
    return kBackends;
}

const BackendKind* findBackend(std::string_view name) {
    for (const BackendKind& b : allBackends())
        if (b.name == name)
            return &b;
    return nullptr;
}

std::vector<BackendOption> allBackendOptions() {
    std::vector<BackendOption> out;
    for (const BackendKind& b : allBackends())
        for (const OptionSpec& o : b.options)
            out.push_back({&b, &o});
    return out;
}

} // namespace flashplan::programmer
