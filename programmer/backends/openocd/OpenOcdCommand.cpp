// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/OpenOcdCommand.h"

#include "backends/openocd/TclText.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <utility>

namespace flashplan::programmer::openocd {

namespace {

/// Stock interface configs and the transport that reaches an SWD target through them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSwdTransports{{
    {"interface/cmsis-dap.cfg", "swd"},
    {"interface/jlink.cfg", "swd"},
    {"interface/stlink-dap.cfg", "dapdirect_swd"},
    {"interface/stlink-v1.cfg", "hla_swd"},
    {"interface/stlink-v2-1.cfg", "hla_swd"},
    {"interface/stlink-v2.cfg", "hla_swd"},
    {"interface/stlink.cfg", "hla_swd"},
}};

Result<std::string> script(std::string_view path) {
    auto word = tclWord(path);
    if (!word)
        return Error{
            word.error().code, "config file \"" + std::string(path) + "\": " + word.error().message, {}, {}};
    return "script " + *word;
}

} // namespace

std::string_view swdTransportFor(std::string_view interfaceConfig) {
    for (const auto& [config, transport] : kSwdTransports) {
        if (interfaceConfig == config)
            return transport;
        if (interfaceConfig.size() > config.size() && interfaceConfig.ends_with(config) &&
            interfaceConfig[interfaceConfig.size() - config.size() - 1] == '/')
            return transport;
    }
    return {};
}

Result<std::vector<std::string>> openOcdArguments(const OpenOcdSettings& settings,
                                                  const ProgrammerHints& hints, std::uint16_t tclPort) {
    std::vector<std::string> args{"-c", "bindto 127.0.0.1",     "-c", "gdb_port disabled",
                                  "-c", "telnet_port disabled", "-c", "tcl_port " + std::to_string(tclPort)};
    const auto add = [&](Result<std::string> command) -> Result<void> {
        if (!command)
            return command.error();
        args.push_back("-c");
        args.push_back(std::move(*command));
        return {};
    };
    const std::string& serial = settings.serial.empty() ? hints.probeSerial : settings.serial;
    const std::string& chosen = settings.transport.empty() ? hints.openocdTransport : settings.transport;
    if (!chosen.empty() && std::find(std::begin(kOpenOcdTransports), std::end(kOpenOcdTransports), chosen) ==
                               std::end(kOpenOcdTransports))
        return makeError(Errc::InvalidArgument, "transport \"" + chosen +
                                                    "\": not one of OpenOCD's (swd, jtag, hla_swd, hla_jtag, "
                                                    "dapdirect_swd, dapdirect_jtag, swim)");
    // Which probe, and over what: after the interface config has chosen the adapter driver.
    const auto probeAndTransport = [&](std::string_view interface) -> Result<void> {
        if (!serial.empty()) {
            auto word = tclWord(serial);
            if (!word)
                return Error{word.error().code, "probe serial: " + word.error().message, {}, {}};
            args.insert(args.end(), {"-c", "adapter serial " + *word});
        }
        const std::string transport = chosen.empty() ? std::string(swdTransportFor(interface)) : chosen;
        if (!transport.empty())
            args.insert(args.end(), {"-c", "transport select " + transport});
        return {};
    };
    if (!settings.config.empty()) {
        if (auto r = add(script(settings.config)); !r)
            return r.error();
        if (!settings.serial.empty() || !settings.transport.empty())
            if (auto r = probeAndTransport({}); !r)
                return r.error();
    } else {
        const std::string& interface =
            settings.interfaceConfig.empty() ? hints.openocdInterface : settings.interfaceConfig;
        const std::string& target =
            settings.targetConfig.empty() ? hints.openocdTarget : settings.targetConfig;
        if (interface.empty() || target.empty())
            return makeError(Errc::InvalidArgument,
                             std::string("OpenOCD needs ") +
                                 (interface.empty() && target.empty() ? "an interface and a target config"
                                  : interface.empty()                 ? "an interface config"
                                                                      : "a target config") +
                                 ": the board's programmer hints name none; choose one");
        if (auto r = add(script(interface)); !r)
            return r.error();
        if (auto r = probeAndTransport(interface); !r)
            return r.error();
        if (auto r = add(script(target)); !r)
            return r.error();
    }
    args.insert(args.end(), {"-c", "noinit"});
    return args;
}

std::string flashInfo(int bank) {
    return "flash info " + std::to_string(bank) + " sectors";
}

std::string flashEraseSectors(int bank, std::size_t first, std::size_t last) {
    return "flash erase_sector " + std::to_string(bank) + " " + std::to_string(first) + " " +
           std::to_string(last);
}

Result<std::string> flashWriteBank(int bank, std::string_view file, std::uint64_t offset) {
    auto word = tclWord(file);
    if (!word)
        return word.error();
    return "flash write_bank " + std::to_string(bank) + " " + *word + " " + formatHex(offset);
}

Result<std::string> flashReadBank(int bank, std::string_view file, std::uint64_t offset,
                                  std::uint64_t length) {
    auto word = tclWord(file);
    if (!word)
        return word.error();
    return "flash read_bank " + std::to_string(bank) + " " + *word + " " + formatHex(offset) + " " +
           formatHex(length);
}

Result<std::string> verifyImage(std::string_view file, std::uint64_t address) {
    auto word = tclWord(file);
    if (!word)
        return word.error();
    return "verify_image " + *word + " " + formatHex(address) + " bin";
}

Result<std::string> verifyImageChecksum(std::string_view file, std::uint64_t address) {
    auto word = tclWord(file);
    if (!word)
        return word.error();
    return "verify_image_checksum " + *word + " " + formatHex(address) + " bin";
}

std::string workAreaSize() {
    return "[target current] cget -work-area-size";
}

} // namespace flashplan::programmer::openocd
