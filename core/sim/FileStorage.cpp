// SPDX-License-Identifier: Apache-2.0
#include "sim/FlashStorage.h"

#include "util/Numbers.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace flashplan {

FileStorage::FileStorage(int fd, std::filesystem::path path, std::uint64_t size)
    : fd_(fd), path_(std::move(path)), size_(size) {
}

FileStorage::~FileStorage() {
    ::close(fd_);
}

Error FileStorage::ioError(const char* what, std::uint64_t offset, int err) const {
    Error e = makeError(Errc::Io,
                        std::string(what) + " at " + formatHex(offset) + " failed: " + std::strerror(err));
    e.where.file = path_.string();
    return e;
}

Result<std::unique_ptr<FileStorage>> FileStorage::open(const std::filesystem::path& path, std::uint64_t size,
                                                       std::uint8_t initialValue) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        Error e = makeError(Errc::Io, std::string("cannot open flash image: ") + std::strerror(errno));
        e.where.file = path.string();
        return e;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        Error e = makeError(Errc::Io, std::string("cannot stat flash image: ") + std::strerror(err));
        e.where.file = path.string();
        return e;
    }
    std::unique_ptr<FileStorage> storage(new FileStorage(fd, path, size));
    if (st.st_size == 0 && size != 0) {
        // A new image starts as an erased device.
        if (auto r = storage->fill(0, size, initialValue); !r)
            return r.error();
    } else if (static_cast<std::uint64_t>(st.st_size) != size) {
        Error e = makeError(Errc::InvalidArgument, "flash image holds " + std::to_string(st.st_size) +
                                                       " bytes but the device has " + std::to_string(size));
        e.where.file = path.string();
        return e;
    }
    return storage;
}

Result<void> FileStorage::read(std::uint64_t offset, std::span<std::uint8_t> out) const {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n =
            ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError("read", offset + done, errno);
        if (n == 0)
            return ioError("read", offset + done, EIO);
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<void> FileStorage::write(std::uint64_t offset, std::span<const std::uint8_t> data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n =
            ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError("write", offset + done, errno);
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<void> FileStorage::fill(std::uint64_t offset, std::uint64_t length, std::uint8_t value) {
    const std::vector<std::uint8_t> block(static_cast<std::size_t>(std::min<std::uint64_t>(length, 1u << 20)),
                                          value);
    std::uint64_t done = 0;
    while (done < length) {
        const std::uint64_t n = std::min<std::uint64_t>(block.size(), length - done);
        if (auto r = write(offset + done, std::span(block.data(), static_cast<std::size_t>(n))); !r)
            return r;
        done += n;
    }
    return {};
}

} // namespace flashplan
