// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Board.h"
#include "util/Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::programmer::openocd {

/// How to start OpenOCD: what the user chose; an empty config falls back to the board's hints.
struct OpenOcdSettings {
    std::string executable;      ///< empty: `openocd` from PATH
    std::string interfaceConfig; ///< interface (probe) config; empty: the board's hint
    std::string targetConfig;    ///< target config; empty: the board's hint
    std::string config;    ///< one config of the user's that sets up probe and target: replaces the two above
    std::string transport; ///< `transport select`; empty: the board's hint, else swdTransportFor()
    std::string serial;    ///< `adapter serial`: which probe; empty: the board's hint, else any
    std::uint16_t tclPort = 0; ///< TCL-RPC port on 127.0.0.1; 0: a free one, chosen at each connect
    std::string scratchFolder; ///< where the files OpenOCD reads and writes go; empty: the system's temp
};

/// The SWD transport a stock interface config needs selected: "hla_swd" for ST-Link (hla driver),
/// "dapdirect_swd" for ST-Link in DAP mode, "swd" for CMSIS-DAP and J-Link (whose default is JTAG). Empty
/// for any other config, which keeps OpenOCD's own choice. Matches "interface/<name>.cfg" as the board
/// hints write it, also at the end of a longer path.
std::string_view swdTransportFor(std::string_view interfaceConfig);

/// The transports OpenOCD 0.12's `transport select` knows.
inline constexpr std::string_view kOpenOcdTransports[] = {
    "swd", "jtag", "hla_swd", "hla_jtag", "dapdirect_swd", "dapdirect_jtag", "swim"};

/// OpenOCD's argument list, one entry per argument (for QProcess, never a shell): every server but a
/// private TCL-RPC port on 127.0.0.1 disabled; the configs, each as `-c "script <word>"` (what `-f` does,
/// but with the path quoted by tclWord(), since `-f` wraps it in braces unquoted); between interface and
/// target config the probe's serial (`adapter serial`) and the transport (the settings', else the
/// hints', else the SWD transport of a stock probe config); and `noinit`, so that `init` runs over
/// TCL-RPC where its errors can be told apart. With one session config, serial and transport follow it.
/// Errors: Errc::InvalidArgument when neither the settings nor the hints name an interface and a target
/// config, a path holds a NUL byte, or the transport is none of OpenOCD's (kOpenOcdTransports).
Result<std::vector<std::string>> openOcdArguments(const OpenOcdSettings& settings,
                                                  const ProgrammerHints& hints, std::uint16_t tclPort);

/// Commands sent over TCL-RPC, every path quoted by tclWord(). Numbers are plain, addresses and offsets
/// in hexadecimal. Image files are always raw binaries (`bin`): OpenOCD would otherwise guess the format
/// from the content and could take an image for ELF or Intel HEX.
std::string flashInfo(int bank); ///< with `sectors`: the erase sectors, not the protection blocks
std::string flashEraseSectors(int bank, std::size_t first, std::size_t last);
Result<std::string> flashWriteBank(int bank, std::string_view file, std::uint64_t offset);
Result<std::string> flashReadBank(int bank, std::string_view file, std::uint64_t offset,
                                  std::uint64_t length);
/// Checksum (CRC-32 on the target when it has a work area), then a byte compare listing differences.
Result<std::string> verifyImage(std::string_view file, std::uint64_t address);
/// Only the checksum: fails on a difference without reading the flash back.
Result<std::string> verifyImageChecksum(std::string_view file, std::uint64_t address);
/// The current target's work area size in bytes (0: OpenOCD's routines cannot run on the target).
std::string workAreaSize();

} // namespace flashplan::programmer::openocd
