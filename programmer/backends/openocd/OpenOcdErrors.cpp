// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/OpenOcdErrors.h"

#include <array>
#include <regex>
#include <string>
#include <vector>

namespace flashplan::programmer::openocd {

namespace {

using Match = std::match_results<std::string_view::const_iterator>;

struct Rule {
    const char* pattern;
    Errc code;
    std::string (*message)(const Match& m);
    bool names_file = false; ///< group 1 is a file name (and group 2 its line, when there is one)
};

std::string group(const Match& m, std::size_t i) {
    return m.size() > i ? m[i].str() : std::string();
}

// Priority order: an error that explains the others comes first (a taken port or a missing config stops
// OpenOCD before it reaches the probe; a missing probe makes every later target error meaningless).
const std::array kRules{
    Rule{R"(couldn't bind (\S+) to socket on port (\d+): (.*))", Errc::Io,
         [](const Match& m) {
             return "port " + group(m, 2) + " on 127.0.0.1 is taken: OpenOCD cannot open its " + group(m, 1) +
                    " server there (" + group(m, 3) + ")";
         }},
    Rule{R"(:\d+: Error: Can't find (.+))", Errc::NotFound,
         [](const Match& m) {
             return "OpenOCD cannot find the config file " + group(m, 1) +
                    " (neither as a path nor in its scripts folder)";
         },
         true},
    Rule{R"(^(?!embedded:)(.+?):(\d+): Error:\s*(.*))", Errc::Parse,
         [](const Match& m) {
             // A command used wrongly prints its usage before and leaves the message empty.
             const std::string what = group(m, 3);
             return "error in the OpenOCD config file " + group(m, 1) + " at line " + group(m, 2) +
                    (what.empty() ? std::string(" (a command OpenOCD refused; its log shows the usage)")
                                  : ": " + what);
         },
         true},
    Rule{R"(Unexpected command line argument: (.*))", Errc::InvalidArgument,
         [](const Match& m) {
             return "OpenOCD did not understand its command line at \"" + group(m, 1) + "\"";
         }},
    Rule{R"(Error on socket '.*': (.*)|Failed to connect.*)", Errc::NoDevice,
         [](const Match&) {
             return std::string("nothing answers at the debug adapter's network address: the adapter (or "
                                "emulator) is not running or listens elsewhere");
         }},
    // libusb's LIBUSB_ERROR_NO_DEVICE as OpenOCD's USB drivers print it: the probe was there and left (a
    // cable pulled, a probe that reset), which explains every target error after it.
    Rule{R"(No such device \(it may have been disconnected\)|LIBUSB_ERROR_NO_DEVICE)", Errc::NoDevice,
         [](const Match&) {
             return std::string("the debug probe was disconnected during the session: plug it back in and "
                                "flash again (what was being written may be incomplete)");
         }},
    Rule{R"(\bopen failed|No J-Link device found|unable to find a matching CMSIS-DAP device|)"
         R"(unable to open ftdi device|No CMSIS-DAP device found|Can't find a KitProg device|)"
         R"(Can't find USB JTAG Interface|no device found|unable to open CMSIS-DAP device)",
         Errc::NoDevice,
         [](const Match&) {
             return std::string("no debug probe found: check that it is plugged in, that you may use it "
                                "(udev rules) and that the interface config is the right one");
         }},
    Rule{R"(init mode failed|JTAG scan chain interrogation failed|Error connecting DP|Invalid ACK|)"
         R"([Nn]ot examined|[Ee]xamination failed|Could not find MEM-AP|Could not initialize the debug port|)"
         R"(Failed to read memory|Target not halted|[Tt]imed out while waiting for target halted)",
         Errc::Io,
         [](const Match&) {
             return std::string(
                 "the target does not respond: the probe is there but the chip does not answer "
                 "(check power, the SWD/JTAG wiring, and that it is not held in reset)");
         }},
    Rule{R"(device protected|write protected|write protection error|WRPERR)", Errc::Io,
         [](const Match&) {
             return std::string("the flash is locked or write-protected: remove the protection (option "
                                "bytes) before programming");
         }},
    Rule{R"(diff \d+ address (0x[0-9a-fA-F]+)\. Was (0x[0-9a-fA-F]+) instead of (0x[0-9a-fA-F]+))", Errc::Io,
         [](const Match& m) {
             return "verify failed at " + group(m, 1) + ": the flash holds " + group(m, 2) + ", the image " +
                    group(m, 3);
         }},
    Rule{R"(checksum mismatch|Verify Failed|verify failed)", Errc::Io,
         [](const Match&) { return std::string("verify failed: the flash does not hold the image"); }},
    Rule{R"(couldn't open (.+))", Errc::Io,
         [](const Match& m) { return "OpenOCD cannot open the file " + group(m, 1); }},
};

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (!line.empty())
            out.push_back(line);
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

std::string_view withoutLevel(std::string_view line) {
    for (const std::string_view prefix : {"Error: ", "Warn : ", "Info : ", "Debug: "})
        if (line.starts_with(prefix))
            return line.substr(prefix.size());
    return line;
}

} // namespace

std::optional<Error> recogniseOpenOcdError(std::string_view output) {
    static const std::vector<std::regex> compiled = [] {
        std::vector<std::regex> out;
        for (const Rule& r : kRules)
            out.emplace_back(r.pattern);
        return out;
    }();
    const std::vector<std::string_view> all = lines(output);
    for (std::size_t i = 0; i < kRules.size(); ++i) {
        for (const std::string_view full : all) {
            const std::string_view line = withoutLevel(full);
            Match m;
            if (!std::regex_search(line.begin(), line.end(), m, compiled[i]))
                continue;
            Error e =
                makeError(kRules[i].code, kRules[i].message(m) + " (OpenOCD: " + std::string(line) + ")");
            if (kRules[i].names_file) {
                e.where.file = group(m, 1);
                if (m.size() > 2 && m[2].matched)
                    e.where.line = std::stoi(m[2].str());
            }
            return e;
        }
    }
    return std::nullopt;
}

Error explainOpenOcd(std::string_view what, std::string_view output) {
    if (auto e = recogniseOpenOcdError(output))
        return *e;
    const std::vector<std::string_view> all = lines(output);
    std::string_view said;
    for (const std::string_view line : all)
        if (line.starts_with("Error: ")) {
            said = withoutLevel(line);
            break;
        }
    if (said.empty() && !all.empty())
        said = withoutLevel(all.back());
    std::string message(what);
    if (!said.empty())
        message += ": " + std::string(said);
    return makeError(Errc::Io, message);
}

} // namespace flashplan::programmer::openocd
