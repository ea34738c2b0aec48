// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace flashplan::emu {

/// What a remote_bitbang client drives: the JTAG pins and the two reset lines.
class BitbangDevice {
public:
    virtual ~BitbangDevice() = default;
    /// New levels of TCK, TMS and TDI; a TAP acts on TCK going from 0 to 1.
    virtual void drive(bool tck, bool tms, bool tdi) = 0;
    virtual bool tdo() = 0;
    /// true = asserted.
    virtual void reset(bool trst, bool srst) = 0;
};

/// Decodes OpenOCD's remote_bitbang bytes: '0'..'7' set TCK (bit 2), TMS (bit 1) and TDI (bit 0); 'R'
/// reads TDO, answered '0' or '1' (appended to `replies`); 'r'..'u' set TRST (bit 1) and SRST (bit 0);
/// 'B'/'b' (the LED) and anything unknown are ignored; 'Q' ends the session, and what follows it is not
/// read. Returns true when 'Q' was seen.
bool decodeRemoteBitbang(std::string_view input, BitbangDevice& device, std::string& replies);

/// A remote_bitbang server on 127.0.0.1, one client at a time. Each recv() is decoded as a whole and its
/// TDO replies go back in one send(), on a socket with TCP_NODELAY: OpenOCD queues many bytes before it
/// waits for replies, so this keeps the round trips to one per batch.
class RemoteBitbangServer {
public:
    enum class Event {
        SessionEnded, ///< the client sent 'Q' or disconnected
        Woken,        ///< `wakeFd` became readable (a signal arrived); the session, if any, goes on
    };

    /// Listens on 127.0.0.1:`port` (0: a port the system chooses). Errc::Io when the port is taken.
    static Result<std::unique_ptr<RemoteBitbangServer>> listen(std::uint16_t port);
    ~RemoteBitbangServer();
    RemoteBitbangServer(const RemoteBitbangServer&) = delete;
    RemoteBitbangServer& operator=(const RemoteBitbangServer&) = delete;

    std::uint16_t port() const { return port_; }
    bool connected() const { return client_ >= 0; }

    /// Accepts a client if there is none and serves it until its session ends or `wakeFd` is readable.
    /// While `held` says so, the client's requests are left unread (it waits for its replies, as over a
    /// stalled probe) and only its going away ends the session.
    Result<Event> serve(BitbangDevice& device, int wakeFd, const std::function<bool()>& held = {});

private:
    RemoteBitbangServer(int listenFd, std::uint16_t port) : listen_(listenFd), port_(port) {}
    Result<void> accept();
    void closeClient();
    /// One recv() and its replies; true when the session has ended.
    Result<bool> pump(BitbangDevice& device);

    int listen_;
    int client_ = -1;
    std::uint16_t port_;
    std::string in_;
    std::string out_;
};

} // namespace flashplan::emu
