// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Backend.h"
#include "model/Board.h"

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace flashplan::programmer {

class DeviceLister;

/// How a form asks for an option's value.
enum class OptionInput {
    Text,   ///< typed in
    File,   ///< typed in or picked with a file dialog
    Folder, ///< typed in or picked with a folder dialog
};

/// One option a backend reads, declared once in the backend's folder. flashplan-cli's option
/// (`--<cliName> <valueName>`) and the editor's form field are built from it, so a new option needs
/// nothing but its declaration.
struct OptionSpec {
    std::string_view key;       ///< its key in BackendOptions, unique within the backend ("interface")
    std::string_view cliName;   ///< flashplan-cli's option without the dashes, unique over all backends
    std::string_view valueName; ///< what the CLI's help calls the value ("cfg")
    std::string_view label;     ///< the form's label ("Interface config")
    OptionInput input = OptionInput::Text;
    std::string_view placeholder; ///< what an empty value means ("the board's hint")
    std::string_view help;        ///< one sentence, for the form's tooltip and the CLI's help
    /// What the board's programmer hints suggest for it, or empty; nullptr when the hints never say.
    std::string (*boardDefault)(const Board& board) = nullptr;
};

/// The option values a backend is made from, by OptionSpec::key. A missing or empty value means the
/// backend's default (OptionSpec::placeholder says which).
class BackendOptions {
public:
    /// The value of `key`; empty when it was not given.
    const std::string& get(std::string_view key) const;
    void set(std::string_view key, std::string value);
    const std::map<std::string, std::string, std::less<>>& values() const { return values_; }
    friend bool operator==(const BackendOptions&, const BackendOptions&) = default;

private:
    std::map<std::string, std::string, std::less<>> values_;
};

/// How a backend offers the devices it can see for one of its options (the DFU device on the bus): a
/// form shows a chooser beside that option's field, and a chosen device fills it in.
struct DeviceListing {
    std::string_view option; ///< the key of the option a chosen device fills
    std::string_view label;  ///< the chooser's label ("On the bus")
    std::string_view help;   ///< the chooser's tooltip
    std::string_view none;   ///< what the chooser says while no device is there
    /// A lister of the devices, not yet started.
    std::unique_ptr<DeviceLister> (*makeLister)() = nullptr;
};

/// One kind of backend, declared once in its folder (`backends/<name>/<Name>Kind.cpp`) and listed in
/// the one table of BackendRegistry.cpp: what it is called, the options it reads, how to make one from
/// their values, and, optionally, how to list the devices it can reach.
struct BackendKind {
    std::string_view name;  ///< the registry name ("sim", "openocd", "dfu"), as --backend takes it
    std::string_view title; ///< one line for a chooser
    std::span<const OptionSpec> options;
    /// Makes a backend from option values; values it does not declare are ignored.
    std::unique_ptr<Backend> (*make)(const BackendOptions& options) = nullptr;
    const DeviceListing* devices = nullptr; ///< nullptr: the backend does not list devices

    /// The option declared under `key`, or nullptr.
    const OptionSpec* option(std::string_view key) const;
};

/// What the board's hints suggest for an option; empty when they say nothing.
std::string boardDefault(const OptionSpec& option, const Board& board);

} // namespace flashplan::programmer
