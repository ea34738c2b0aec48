// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/TclRpcClient.h"

#include <QHostAddress>

#include <algorithm>

namespace flashplan::programmer::openocd {

namespace {
constexpr char kTerminator = '\x1a';
/// How long one wait lasts before poll runs again: short enough that a cancel ends a call at once,
/// long enough not to spin. Data that arrives ends the wait at once.
constexpr std::chrono::milliseconds kSlice{25};

using Clock = std::chrono::steady_clock;

int sliceUntil(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp(left, std::chrono::milliseconds(0), kSlice).count());
}
} // namespace

Result<void> TclRpcClient::open(std::uint16_t port, std::chrono::milliseconds timeout, const Poll& poll) {
    close();
    const auto deadline = Clock::now() + timeout;
    socket_ = std::make_unique<QTcpSocket>();
    socket_->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    while (socket_->state() != QAbstractSocket::ConnectedState) {
        if (auto p = poll(); !p) {
            close();
            return p;
        }
        if (Clock::now() >= deadline) {
            close();
            return makeError(Errc::Timeout, "no answer from OpenOCD's TCL-RPC port " + std::to_string(port) +
                                                " on 127.0.0.1 within " + std::to_string(timeout.count()) +
                                                " ms");
        }
        if (!socket_->waitForConnected(sliceUntil(deadline)) &&
            socket_->state() == QAbstractSocket::UnconnectedState) {
            const std::string why = socket_->errorString().toStdString();
            close();
            return makeError(Errc::Io, "cannot connect to OpenOCD's TCL-RPC port " + std::to_string(port) +
                                           " on 127.0.0.1: " + why);
        }
    }
    socket_->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return {};
}

bool TclRpcClient::usable() const {
    return !broken_ && socket_ && socket_->state() == QAbstractSocket::ConnectedState;
}

void TclRpcClient::close() {
    if (socket_)
        socket_->abort();
    socket_.reset();
    pending_.clear();
    broken_ = false;
}

Result<std::string> TclRpcClient::call(std::string_view script, std::chrono::milliseconds timeout,
                                       const Poll& poll) {
    if (!usable())
        return makeError(Errc::Io, broken_ ? "the TCL-RPC connection to OpenOCD is out of step after an "
                                             "abandoned command"
                                           : "not connected to OpenOCD's TCL-RPC port");
    if (script.find(kTerminator) != std::string_view::npos)
        return makeError(Errc::InvalidArgument, "a TCL-RPC script cannot contain the byte 0x1a");
    const auto deadline = Clock::now() + timeout;
    // Until the answer is in, an early return leaves the server mid-command.
    broken_ = true;
    QByteArray out(script.data(), static_cast<qsizetype>(script.size()));
    out.append(kTerminator);
    if (socket_->write(out) != out.size())
        return makeError(Errc::Io, "cannot send to OpenOCD: " + socket_->errorString().toStdString());
    while (socket_->bytesToWrite() > 0) {
        if (auto p = poll(); !p)
            return p.error();
        if (Clock::now() >= deadline)
            return makeError(Errc::Timeout,
                             "OpenOCD took no command for " + std::to_string(timeout.count()) + " ms");
        if (!socket_->waitForBytesWritten(sliceUntil(deadline)) &&
            socket_->state() != QAbstractSocket::ConnectedState)
            return makeError(Errc::Io,
                             "the connection to OpenOCD broke: " + socket_->errorString().toStdString());
    }
    qsizetype end;
    while ((end = pending_.indexOf(kTerminator)) < 0) {
        if (auto p = poll(); !p)
            return p.error();
        if (Clock::now() >= deadline)
            return makeError(Errc::Timeout,
                             "OpenOCD did not answer within " + std::to_string(timeout.count()) + " ms");
        if (socket_->waitForReadyRead(sliceUntil(deadline)) || socket_->bytesAvailable() > 0) {
            pending_.append(socket_->readAll());
        } else if (socket_->state() != QAbstractSocket::ConnectedState) {
            return makeError(Errc::Io,
                             "the connection to OpenOCD broke: " + socket_->errorString().toStdString());
        }
    }
    std::string answer(pending_.constData(), static_cast<std::size_t>(end));
    pending_.remove(0, end + 1);
    broken_ = false;
    return answer;
}

} // namespace flashplan::programmer::openocd
