// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <string>
#include <string_view>

namespace flashplan::programmer::openocd {

/// One Tcl word whose value, after Tcl (Jim) parses it once, is exactly `text`: a double-quoted word in
/// which `\ " $ [ ] { }` are backslash-escaped and control characters are octal escapes, so a path or a
/// label always reaches OpenOCD as data and never as code. The escaped braces keep the word balanced, so
/// it can itself be nested in braces or quoted again. The byte 0x1a (the TCL-RPC terminator) never
/// appears raw in the result. Errors: Errc::InvalidArgument for a NUL byte, which OpenOCD's C side would
/// silently cut the string at.
Result<std::string> tclWord(std::string_view text);

/// What OpenOCD answered to one command sent with rpcScript().
struct RpcReply {
    int code = 0;       ///< the Tcl return code of the command: 0 when it succeeded
    std::string result; ///< what the command returned (and printed with command_print)
    std::string log;    ///< what it logged while it ran (Info/Warn/Error messages, without their prefix)
    bool ok() const { return code == 0; }
    /// Result and log together, for error messages.
    std::string text() const;
};

/// The script that runs `command` (one well-formed Tcl command, its words quoted with tclWord()) over
/// TCL-RPC and answers its return code, its result and the log it produced, separated by 0x1f (a 0x1a or
/// 0x1f inside them is sent as the text "\x1a", "\x1f"). OpenOCD's TCL-RPC replies carry no error flag and
/// its `capture` replaces a result with the log, so both are caught separately here.
std::string rpcScript(std::string_view command);

/// Parses the answer to rpcScript() (without its 0x1a terminator). Errors: Errc::Parse when it is not
/// one (OpenOCD or the connection is out of step).
Result<RpcReply> parseRpcReply(std::string_view reply);

} // namespace flashplan::programmer::openocd
