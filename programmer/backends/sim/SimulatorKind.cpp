// SPDX-License-Identifier: Apache-2.0
// The sim kind's declaration: its options and how to make it (the row in BackendRegistry.cpp).
#include "backends/sim/SimulatorKind.h"

#include "backends/sim/SimulatorBackend.h"

#include <array>

namespace flashplan::programmer {

namespace {

constexpr std::array kOptions{
    OptionSpec{.key = "folder",
               .cliName = "sim-dir",
               .valueName = "dir",
               .label = "Folder",
               .input = OptionInput::Folder,
               .placeholder = "$FLASHPLAN_SIM_DIR or the user's data folder",
               .help = "Where the simulated flash lives: a folder per board, a file per flash device"},
};

std::unique_ptr<Backend> make(const BackendOptions& o) {
    const std::string& folder = o.get("folder");
    return std::make_unique<SimulatorBackend>(folder.empty() ? SimulatorBackend::defaultFolder()
                                                             : std::filesystem::path(folder));
}

} // namespace

const BackendKind& simulatorKind() {
    static const BackendKind kind{
        .name = "sim",
        .title = "Simulated flash (files in the user's data folder)",
        .options = kOptions,
        .make = make,
    };
    return kind;
}

} // namespace flashplan::programmer
