// SPDX-License-Identifier: Apache-2.0
#include "io/TextFile.h"

#include "util/Numbers.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace flashplan {

namespace {
Error fileError(const std::filesystem::path& path, const std::string& what, int err) {
    Error e = makeError(Errc::Io, what + ": " + std::strerror(err));
    e.where.file = path.string();
    return e;
}

Error refusal(const std::filesystem::path& path, const std::string& why) {
    Error e = makeError(Errc::InvalidArgument, why);
    e.where.file = path.string();
    return e;
}

/// What a path that is not a regular file is, for the one message each kind gets.
const char* kindOf(mode_t mode) {
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/// Reads up to `count` bytes at `offset`, fewer only at the end of the file.
Result<std::size_t> readAt(const std::filesystem::path& path, int fd, char* into, std::size_t count,
                           std::uint64_t offset) {
    std::size_t done = 0;
    while (done < count) {
        const ssize_t n = ::pread(fd, into + done, count - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fileError(path, "cannot read", errno);
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}
} // namespace

InputLimit layoutTextLimit() {
    return {16 * 1024 * 1024, "a layout file",
            "a board's devicetree with every file it includes, the largest layout text there is, is under "
            "1 MiB"};
}

InputLimit includedTextLimit() {
    InputLimit limit = layoutTextLimit();
    limit.what = "a file a layout includes";
    limit.mayBeEmpty = true;
    return limit;
}

Result<InputFile> InputFile::open(const std::filesystem::path& path) {
    // What the path is, before it is opened: opening a device can do something (a tape rewinds).
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return refusal(path, std::string("is ") + kindOf(st.st_mode) + ", not a file to read");
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it is refused below.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return fileError(path, "cannot open", errno);
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fileError(path, "cannot open", err);
    }
    if (!S_ISREG(st.st_mode)) { // replaced since the stat() above
        ::close(fd);
        return refusal(path, std::string("is ") + kindOf(st.st_mode) + ", not a file to read");
    }
    return InputFile(path, fd, static_cast<std::uint64_t>(st.st_size));
}

InputFile::InputFile(std::filesystem::path path, int fd, std::uint64_t size)
    : path_(std::move(path)), fd_(fd), size_(size) {
}

InputFile::InputFile(InputFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), size_(other.size_) {
}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
        size_ = other.size_;
    }
    return *this;
}

InputFile::~InputFile() {
    if (fd_ >= 0)
        ::close(fd_);
}

Result<std::string> InputFile::head(std::size_t count) const {
    std::string bytes(static_cast<std::size_t>(std::min<std::uint64_t>(count, size_)), '\0');
    auto n = readAt(path_, fd_, bytes.data(), bytes.size(), 0);
    if (!n)
        return n.error();
    bytes.resize(*n);
    return bytes;
}

Result<void> checkInputSize(const std::filesystem::path& path, std::uint64_t size, const InputLimit& limit) {
    if (size == 0 && !limit.mayBeEmpty)
        return refusal(path, "the file is empty");
    if (size > limit.bytes)
        return refusal(path, "the file is " + std::to_string(size) + " bytes, more than the " +
                                 formatSize(limit.bytes) + " " + limit.what + " can be (" + limit.reason +
                                 ")");
    return {};
}

Result<std::string> InputFile::readAll(const InputLimit& limit) const {
    // A file whose size says 0 may still have bytes (those of /proc): the bytes read decide emptiness.
    if (size_ > 0)
        if (auto r = checkInputSize(path_, size_, limit); !r)
            return r.error();
    // One byte more than the limit is asked for: a file that grew since it was opened is refused too,
    // rather than read without end.
    std::string bytes(static_cast<std::size_t>(size_) + 1, '\0');
    std::uint64_t done = 0;
    for (;;) {
        const std::uint64_t room = std::min<std::uint64_t>(limit.bytes + 1, bytes.size()) - done;
        auto n = readAt(path_, fd_, bytes.data() + done, static_cast<std::size_t>(room), done);
        if (!n)
            return n.error();
        done += *n;
        if (*n < room || done > limit.bytes)
            break;
        bytes.resize(static_cast<std::size_t>(std::min<std::uint64_t>(limit.bytes + 1, bytes.size() * 2)));
    }
    if (auto r = checkInputSize(path_, done, limit); !r)
        return r.error();
    bytes.resize(static_cast<std::size_t>(done));
    return bytes;
}

Result<std::string> readTextFile(const std::filesystem::path& path, const InputLimit& limit) {
    auto file = InputFile::open(path);
    if (!file)
        return file.error();
    return file->readAll(limit);
}

Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view content) {
    const std::filesystem::path dir =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        return fileError(path, "cannot create a temporary file beside it", errno);
    const auto fail = [&](const std::string& what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
        return fileError(path, what, err);
    };
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail("cannot write");
        done += static_cast<std::size_t>(n);
    }
    // Keep the permissions of the file being replaced; a new file gets the usual 0644 (less umask).
    struct stat st {};
    const mode_t umaskNow = ::umask(0);
    ::umask(umaskNow);
    const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : (0666 & ~umaskNow);
    if (::fchmod(fd, mode) != 0)
        return fail("cannot set permissions");
    if (::fsync(fd) != 0)
        return fail("cannot flush to disk");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return fileError(path, "cannot close", err);
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return fileError(path, "cannot replace", err);
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

} // namespace flashplan
