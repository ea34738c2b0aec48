// SPDX-License-Identifier: Apache-2.0
#include "RemoteBitbangServer.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flashplan::emu {

namespace {
Error socketError(const std::string& what, int err) {
    return makeError(Errc::Io, what + ": " + std::strerror(err));
}
} // namespace

bool decodeRemoteBitbang(std::string_view input, BitbangDevice& device, std::string& replies) {
    for (const char c : input) {
        if (c >= '0' && c <= '7') {
            const int bits = c - '0';
            device.drive(bits & 4, bits & 2, bits & 1);
        } else if (c == 'R') {
            replies.push_back(device.tdo() ? '1' : '0');
        } else if (c >= 'r' && c <= 'u') {
            const int bits = c - 'r';
            device.reset(bits & 2, bits & 1);
        } else if (c == 'Q') {
            return true;
        }
    }
    return false;
}

Result<std::unique_ptr<RemoteBitbangServer>> RemoteBitbangServer::listen(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return socketError("cannot create a socket", errno);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); // TIME_WAIT only, never a live listener
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4) != 0) {
        const int err = errno;
        ::close(fd);
        return socketError("cannot listen on 127.0.0.1:" + std::to_string(port), err);
    }
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const int err = errno;
        ::close(fd);
        return socketError("cannot read the port listened on", err);
    }
    return std::unique_ptr<RemoteBitbangServer>(new RemoteBitbangServer(fd, ntohs(addr.sin_port)));
}

RemoteBitbangServer::~RemoteBitbangServer() {
    closeClient();
    ::close(listen_);
}

void RemoteBitbangServer::closeClient() {
    if (client_ >= 0)
        ::close(client_);
    client_ = -1;
}

Result<void> RemoteBitbangServer::accept() {
    const int fd = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
            return {};
        return socketError("cannot accept a connection", errno);
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    client_ = fd;
    return {};
}

Result<bool> RemoteBitbangServer::pump(BitbangDevice& device) {
    in_.resize(64 * 1024);
    const ssize_t n = ::recv(client_, in_.data(), in_.size(), 0);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return false;
        if (errno == ECONNRESET) {
            closeClient();
            return true;
        }
        return socketError("cannot read from the client", errno);
    }
    if (n == 0) {
        closeClient();
        return true;
    }
    out_.clear();
    const bool quit =
        decodeRemoteBitbang(std::string_view(in_.data(), static_cast<std::size_t>(n)), device, out_);
    for (std::size_t done = 0; done < out_.size();) {
        const ssize_t sent = ::send(client_, out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0) { // the client went away with replies pending: its session is over
            closeClient();
            return true;
        }
        done += static_cast<std::size_t>(sent);
    }
    if (quit)
        closeClient();
    return quit;
}

Result<RemoteBitbangServer::Event> RemoteBitbangServer::serve(BitbangDevice& device, int wakeFd,
                                                              const std::function<bool()>& held) {
    for (;;) {
        const bool holding = connected() && held && held();
        // Held: only the client's hang-up is of interest (POLLHUP and POLLERR come unasked).
        pollfd fds[2] = {
            {wakeFd, POLLIN, 0},
            {connected() ? client_ : listen_, static_cast<short>(holding ? POLLRDHUP : POLLIN), 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return socketError("poll failed", errno);
        }
        if (fds[0].revents)
            return Event::Woken;
        if (!fds[1].revents)
            continue;
        if (holding) {
            closeClient();
            return Event::SessionEnded;
        }
        if (!connected()) {
            if (auto r = accept(); !r)
                return r.error();
            continue;
        }
        const auto ended = pump(device);
        if (!ended)
            return ended.error();
        if (*ended)
            return Event::SessionEnded;
    }
}

} // namespace flashplan::emu
