// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace flashplan {

/// The raw bytes behind a simulated flash device. Storage has no flash semantics (no erase, no bit
/// rules): FlashSimulator adds them. Callers pass ranges already checked against size().
class FlashStorage {
public:
    virtual ~FlashStorage() = default;
    virtual std::uint64_t size() const = 0;
    virtual Result<void> read(std::uint64_t offset, std::span<std::uint8_t> out) const = 0;
    virtual Result<void> write(std::uint64_t offset, std::span<const std::uint8_t> data) = 0;
    virtual Result<void> fill(std::uint64_t offset, std::uint64_t length, std::uint8_t value) = 0;
};

/// Storage in memory, allocated in chunks on first write, so a 256 MiB device that is mostly erased
/// costs only what has been programmed. Unallocated chunks read as the fill value given at creation.
class RamStorage final : public FlashStorage {
public:
    RamStorage(std::uint64_t size, std::uint8_t initialValue);

    std::uint64_t size() const override { return size_; }
    Result<void> read(std::uint64_t offset, std::span<std::uint8_t> out) const override;
    Result<void> write(std::uint64_t offset, std::span<const std::uint8_t> data) override;
    Result<void> fill(std::uint64_t offset, std::uint64_t length, std::uint8_t value) override;

    /// Bytes of memory held by allocated chunks (for tests and benchmarks).
    std::uint64_t allocatedBytes() const;

private:
    static constexpr std::uint64_t kChunk = 64 * 1024;
    std::uint8_t* chunkFor(std::uint64_t chunkIndex);

    std::uint64_t size_;
    std::uint8_t initial_;
    std::vector<std::unique_ptr<std::uint8_t[]>> chunks_;
};

/// Storage in a file of exactly the device's size, so the content persists across runs. A missing file
/// is created filled with the initial value; an existing file of another size is an error, not resized.
class FileStorage final : public FlashStorage {
public:
    static Result<std::unique_ptr<FileStorage>> open(const std::filesystem::path& path, std::uint64_t size,
                                                     std::uint8_t initialValue);
    ~FileStorage() override;
    FileStorage(const FileStorage&) = delete;
    FileStorage& operator=(const FileStorage&) = delete;

    std::uint64_t size() const override { return size_; }
    Result<void> read(std::uint64_t offset, std::span<std::uint8_t> out) const override;
    Result<void> write(std::uint64_t offset, std::span<const std::uint8_t> data) override;
    Result<void> fill(std::uint64_t offset, std::uint64_t length, std::uint8_t value) override;
    const std::filesystem::path& path() const { return path_; }

private:
    FileStorage(int fd, std::filesystem::path path, std::uint64_t size);
    Error ioError(const char* what, std::uint64_t offset, int err) const;

    int fd_;
    std::filesystem::path path_;
    std::uint64_t size_;
};

} // namespace flashplan
