// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <QTcpSocket>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace flashplan::programmer::openocd {

/// A client of OpenOCD's TCL-RPC server on 127.0.0.1: a script goes out terminated by 0x1a, the answer
/// comes back up to the next 0x1a. Every call blocks with a deadline and needs no event loop, so it works
/// on a job's worker thread; the socket is made by open() and belongs to that thread. While it waits it calls
/// `poll` every few tens of milliseconds (to read OpenOCD's output, notice a cancel or a dead process):
/// an error from `poll` ends the wait with that error.
class TclRpcClient {
public:
    using Poll = std::function<Result<void>()>;

    /// Connects to the server. Errors: Errc::Timeout, Errc::Io (refused), or poll's error.
    Result<void> open(std::uint16_t port, std::chrono::milliseconds timeout, const Poll& poll);
    /// Sends `script` and returns OpenOCD's answer without its terminator. Errors: Errc::Timeout when no
    /// answer came in time, Errc::Io when the connection broke, or poll's error (Errc::Cancelled...). After
    /// any error the client is out of step with the server (a late answer would be taken for the next) and
    /// refuses further calls until it is closed.
    Result<std::string> call(std::string_view script, std::chrono::milliseconds timeout, const Poll& poll);
    /// Whether a call can be made: open, and no call abandoned halfway.
    bool usable() const;
    void close();

private:
    std::unique_ptr<QTcpSocket> socket_; ///< made by open(), on the thread that uses it
    QByteArray pending_;                 ///< bytes received after the last terminator
    bool broken_ = false;
};

} // namespace flashplan::programmer::openocd
