// SPDX-License-Identifier: Apache-2.0
#include "io/TextFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace flashplan {

namespace {
Error fileError(const std::filesystem::path& path, const std::string& what, int err) {
    Error e = makeError(Errc::Io, what + ": " + std::strerror(err));
    e.where.file = path.string();
    return e;
}
} // namespace

Result<std::string> readTextFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fileError(path, "cannot open", errno ? errno : ENOENT);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return fileError(path, "cannot read", errno ? errno : EIO);
    return ss.str();
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
