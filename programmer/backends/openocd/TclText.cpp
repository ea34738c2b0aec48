// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/TclText.h"

#include <charconv>

namespace flashplan::programmer::openocd {

namespace {
constexpr char kSeparator = '\x1f';
}

Result<std::string> tclWord(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '\0':
            return makeError(Errc::InvalidArgument, "a NUL byte cannot reach OpenOCD in a name or path");
        case '\\':
        case '"':
        case '$':
        case '[':
        case ']':
        case '{':
        case '}':
            out += '\\';
            out += c;
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (u < 0x20 || u == 0x7f) {
                // Three octal digits, always: Tcl and Jim both stop there, whatever follows.
                out += '\\';
                out += static_cast<char>('0' + ((u >> 6) & 7));
                out += static_cast<char>('0' + ((u >> 3) & 7));
                out += static_cast<char>('0' + (u & 7));
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

std::string RpcReply::text() const {
    if (log.empty())
        return result;
    if (result.empty())
        return log;
    return log + "\n" + result;
}

std::string rpcScript(std::string_view command) {
    // The variables live in the global namespace of OpenOCD's interpreter; the names keep clear of the
    // ones OpenOCD's own scripts use. The inner script ends with `list` (an empty result) so that capture
    // answers an empty log when nothing was logged rather than the catch code. A 0x1a (the terminator)
    // or 0x1f (the separator) in the answer, say from a file name OpenOCD repeats, becomes the text
    // "\x1a" or "\x1f". Commands are built from quoted words: no NUL, so tclWord() cannot fail on them.
    const std::string inner =
        "set ::flashplan_rc [catch " + tclWord(command).value() + " ::flashplan_result]; list";
    return "set ::flashplan_rc -1; set ::flashplan_result {}; set ::flashplan_log {}; catch {capture " +
           tclWord(inner).value() +
           "} ::flashplan_log; set ::flashplan_safe {\\x1a \\\\x1a \\x1f \\\\x1f}; format "
           "\"%s\\x1f%s\\x1f%s\" "
           "$::flashplan_rc [string map $::flashplan_safe $::flashplan_result] "
           "[string map $::flashplan_safe $::flashplan_log]";
}

Result<RpcReply> parseRpcReply(std::string_view reply) {
    const auto first = reply.find(kSeparator);
    const auto second = first == std::string_view::npos ? first : reply.find(kSeparator, first + 1);
    if (second == std::string_view::npos)
        return makeError(Errc::Parse, "OpenOCD's TCL-RPC answer is not in the expected form: \"" +
                                          std::string(reply.substr(0, 200)) + "\"");
    RpcReply r;
    const std::string_view code = reply.substr(0, first);
    const auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), r.code);
    if (ec != std::errc() || end != code.data() + code.size())
        return makeError(Errc::Parse, "OpenOCD's TCL-RPC answer has no return code: \"" +
                                          std::string(reply.substr(0, 200)) + "\"");
    r.result = std::string(reply.substr(first + 1, second - first - 1));
    r.log = std::string(reply.substr(second + 1));
    // OpenOCD ends every logged and printed line with a newline; the caller wants the text.
    while (!r.result.empty() && r.result.back() == '\n')
        r.result.pop_back();
    while (!r.log.empty() && r.log.back() == '\n')
        r.log.pop_back();
    return r;
}

} // namespace flashplan::programmer::openocd
