// SPDX-License-Identifier: Apache-2.0
// Which backend reads which BackendOptions field, as a table; a backend with new options adds rows.
#include "OptionFields.h"

#include <array>
#include <cstdio>

namespace flashplan::programmer {

namespace {

const std::array kFields{
    OptionFieldInfo{OptionField::OpenocdPath, "openocd", "OpenOCD", OptionInput::File, "openocd from PATH",
                    "The openocd executable to start", &BackendOptions::openocdPath},
    OptionFieldInfo{OptionField::InterfaceConfig, "openocd", "Interface config", OptionInput::File,
                    "the board's hint",
                    "The debug probe's config file (openocd -f), e.g. interface/stlink.cfg",
                    &BackendOptions::interfaceConfig},
    OptionFieldInfo{OptionField::TargetConfig, "openocd", "Target config", OptionInput::File,
                    "the board's hint", "The target's config file (openocd -f), e.g. target/stm32f4x.cfg",
                    &BackendOptions::targetConfig},
    OptionFieldInfo{
        OptionField::OpenocdConfig, "openocd", "Session config", OptionInput::File,
        "none: the two configs above",
        "One config file that sets up probe and target (replaces the interface and target configs)",
        &BackendOptions::openocdConfig},
    OptionFieldInfo{OptionField::Device, "dfu", "Device", OptionInput::Text, "VID:PID, serial or bus path",
                    "The USB DFU device: vendor:product id, serial number or bus path",
                    &BackendOptions::device},
    OptionFieldInfo{OptionField::Alt, "dfu", "Alt setting", OptionInput::Text,
                    "the alt of the partition's device", "The DFU alternate setting, by number or name",
                    &BackendOptions::alt},
    OptionFieldInfo{OptionField::SimulatorFolder, "sim", "Folder", OptionInput::Folder,
                    "$FLASHPLAN_SIM_DIR or the user's data folder",
                    "Where the simulated flash lives: one file per device under <folder>/<board id>/",
                    &BackendOptions::simulatorFolder},
};

} // namespace

std::span<const OptionFieldInfo> allOptionFields() {
    return kFields;
}

std::vector<const OptionFieldInfo*> optionFieldsOf(std::string_view backend) {
    std::vector<const OptionFieldInfo*> out;
    for (const OptionFieldInfo& f : kFields)
        if (f.backend == backend)
            out.push_back(&f);
    return out;
}

std::string boardHint(OptionField field, const Board& board) {
    const ProgrammerHints& h = board.programmer;
    switch (field) {
    case OptionField::InterfaceConfig:
        return h.openocdInterface;
    case OptionField::TargetConfig:
        return h.openocdTarget;
    case OptionField::Device:
        if (h.dfuVendorId && h.dfuProductId) {
            char text[16];
            std::snprintf(text, sizeof text, "%04x:%04x", unsigned{*h.dfuVendorId},
                          unsigned{*h.dfuProductId});
            return text;
        }
        return {};
    case OptionField::SimulatorFolder:
    case OptionField::OpenocdPath:
    case OptionField::OpenocdConfig:
    case OptionField::Alt:
        return {};
    }
    return {};
}

} // namespace flashplan::programmer
