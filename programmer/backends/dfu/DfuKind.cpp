// SPDX-License-Identifier: Apache-2.0
// The dfu kind's declaration: its options, how to make it and how to list its devices (the row in
// BackendRegistry.cpp).
#include "backends/dfu/DfuKind.h"

#include "backends/dfu/DfuBackend.h"
#include "backends/dfu/DfuDeviceLister.h"

#include <array>
#include <cstdio>

namespace flashplan::programmer {

namespace {

/// The board's DFU VID:PID as "vvvv:pppp".
std::string boardDevice(const Board& board) {
    const ProgrammerHints& h = board.programmer;
    if (!h.dfuVendorId || !h.dfuProductId)
        return {};
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", unsigned{*h.dfuVendorId}, unsigned{*h.dfuProductId});
    return text;
}

constexpr std::array kOptions{
    OptionSpec{.key = "device",
               .cliName = "device",
               .valueName = "id",
               .label = "Device",
               .input = OptionInput::Text,
               .placeholder = "the board's VID:PID, else the only DFU device",
               .help = "The USB DFU device: vendor:product id, serial number or bus path",
               .boardDefault = boardDevice},
    OptionSpec{.key = "alt",
               .cliName = "alt",
               .valueName = "alt",
               .label = "Alt setting",
               .input = OptionInput::Text,
               .placeholder = "the alt of the partition's device",
               .help = "The DFU alternate setting, by number or name"},
};

constexpr DeviceListing kDevices{
    .option = "device",
    .label = "On the bus",
    .help = "DFU devices on the bus, refreshed as they come and go",
    .none = "no DFU device found (watching)",
    .makeLister = [] { return std::unique_ptr<DeviceLister>(std::make_unique<DfuDeviceLister>()); },
};

std::unique_ptr<Backend> make(const BackendOptions& o) {
    DfuBackendOptions options;
    options.device = o.get("device");
    options.alt = o.get("alt");
    return std::make_unique<DfuBackend>(std::move(options));
}

} // namespace

const BackendKind& dfuKind() {
    static const BackendKind kind{
        .name = "dfu",
        .title = "USB DFU 1.1 and DfuSe devices (libusb)",
        .options = kOptions,
        .make = make,
        .devices = &kDevices,
    };
    return kind;
}

} // namespace flashplan::programmer
