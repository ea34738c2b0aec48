// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendRegistry.h"
#include "model/Board.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::programmer {

/// The fields of BackendOptions.
enum class OptionField {
    SimulatorFolder,
    OpenocdPath,
    InterfaceConfig,
    TargetConfig,
    OpenocdConfig,
    Device,
    Alt
};

/// How a form asks for an option.
enum class OptionInput {
    Text,   ///< typed in
    File,   ///< typed in or picked with a file dialog
    Folder, ///< typed in or picked with a folder dialog
};

/// One field of BackendOptions as a form shows it, and the backend that reads it. Which backend reads
/// which field is data here, beside the options, so a form built from allBackends() and this table shows
/// a new backend's options without knowing its name.
struct OptionFieldInfo {
    OptionField field;
    std::string_view backend;     ///< the registry name of the backend that reads it
    std::string_view label;       ///< "Interface config"
    OptionInput input;            ///< how it is entered
    std::string_view placeholder; ///< what an empty field means
    std::string_view help;        ///< one sentence for a tooltip
    std::string BackendOptions::*member;
};

/// Every option field, in the order a form shows them (grouped by backend).
std::span<const OptionFieldInfo> allOptionFields();

/// The fields a backend reads, in form order; empty for a backend that takes no options.
std::vector<const OptionFieldInfo*> optionFieldsOf(std::string_view backend);

/// What the board's programmer hints suggest for a field: the OpenOCD interface and target configs, the
/// DFU device as "vvvv:pppp". Empty when the board says nothing about it.
std::string boardHint(OptionField field, const Board& board);

} // namespace flashplan::programmer
