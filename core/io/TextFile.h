// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace flashplan {

/// How large a file may be to be read whole as one kind of input: past it the file cannot be what the
/// caller expects, and is refused before a byte is read, as memory for it would be wasted at best.
struct InputLimit {
    std::uint64_t bytes = 0; ///< the most bytes a file may hold
    std::string what;        ///< what the file would be, for the message: "a layout file"
    std::string reason;      ///< why no such file is larger: "the largest flash device of board x"
    bool mayBeEmpty = false; ///< an empty file means something (an overlay that changes nothing)
};

/// The checks of a file's size before it is read (Errc::InvalidArgument naming the file): "the file is
/// empty" unless limit.mayBeEmpty; a size past the limit, naming the size, the limit and its reason.
Result<void> checkInputSize(const std::filesystem::path& path, std::uint64_t size, const InputLimit& limit);

/// Layout text: the largest real one, a Zephyr board's devicetree preprocessed with every .dtsi it
/// includes, is under 1 MiB (the nRF5340 board's, with the SoC's peripherals, about 300 KiB); 16 MiB leaves
/// room for generated files of many partitions and still bounds what the lexers and XML trees built from
/// the text take (a few times its size).
InputLimit layoutTextLimit();
/// A file a layout file includes or applies (a .dtsi, an overlay): as large as layout text, and it may be
/// empty, as Zephyr's build takes an empty overlay or .dtsi for one that changes nothing.
InputLimit includedTextLimit();

/// A file opened to be read whole: a regular file, whose size is known before a byte is read. Folders,
/// devices (a character device such as /dev/zero never ends), FIFOs and sockets are refused when opened,
/// each with one message naming what the path is.
class InputFile {
public:
    /// Opens `path` for reading (without blocking on a FIFO, and never as a controlling terminal).
    /// Errors: Errc::Io naming the file when it cannot be opened (a missing file among them);
    /// Errc::InvalidArgument when it is not a regular file.
    static Result<InputFile> open(const std::filesystem::path& path);

    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&& other) noexcept;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile();

    /// The size the file had when opened.
    std::uint64_t size() const { return size_; }
    /// Its first bytes, at most `count`: enough to recognise a format before deciding how much to read.
    Result<std::string> head(std::size_t count) const;
    /// Every byte. Errors: what checkInputSize() refuses, before reading (and a file that grows past the
    /// limit while read); Errc::Io when the system refuses the read.
    Result<std::string> readAll(const InputLimit& limit) const;

private:
    InputFile(std::filesystem::path path, int fd, std::uint64_t size);
    std::filesystem::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

/// Reads a whole regular file of at most `limit` bytes (InputFile::open(), then readAll()): a folder, a
/// device, a FIFO, an empty file and a file past the limit are refused with one message each. Errors name
/// the file.
Result<std::string> readTextFile(const std::filesystem::path& path,
                                 const InputLimit& limit = layoutTextLimit());

/// Replaces `path` with `content` atomically: the bytes go to a temporary file in the same folder,
/// which is flushed to disk and then renamed over the target, so a crash or a full disk leaves either
/// the old file or the new one, never a mix. The folder is synced so the rename itself survives.
Result<void> writeFileAtomically(const std::filesystem::path& path, std::string_view content);

} // namespace flashplan
