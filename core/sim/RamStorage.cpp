// SPDX-License-Identifier: Apache-2.0
#include "sim/FlashStorage.h"

#include <algorithm>
#include <cstring>

namespace flashplan {

RamStorage::RamStorage(std::uint64_t size, std::uint8_t initialValue)
    : size_(size), initial_(initialValue), chunks_((size + kChunk - 1) / kChunk) {
}

std::uint8_t* RamStorage::chunkFor(std::uint64_t chunkIndex) {
    auto& chunk = chunks_[chunkIndex];
    if (!chunk) {
        chunk = std::make_unique<std::uint8_t[]>(kChunk);
        std::memset(chunk.get(), initial_, kChunk);
    }
    return chunk.get();
}

Result<void> RamStorage::read(std::uint64_t offset, std::span<std::uint8_t> out) const {
    std::uint64_t done = 0;
    while (done < out.size()) {
        const std::uint64_t pos = offset + done;
        const std::uint64_t inChunk = pos % kChunk;
        const std::uint64_t n = std::min<std::uint64_t>(kChunk - inChunk, out.size() - done);
        const auto& chunk = chunks_[pos / kChunk];
        if (chunk)
            std::memcpy(out.data() + done, chunk.get() + inChunk, n);
        else
            std::memset(out.data() + done, initial_, n);
        done += n;
    }
    return {};
}

Result<void> RamStorage::write(std::uint64_t offset, std::span<const std::uint8_t> data) {
    std::uint64_t done = 0;
    while (done < data.size()) {
        const std::uint64_t pos = offset + done;
        const std::uint64_t inChunk = pos % kChunk;
        const std::uint64_t n = std::min<std::uint64_t>(kChunk - inChunk, data.size() - done);
        std::memcpy(chunkFor(pos / kChunk) + inChunk, data.data() + done, n);
        done += n;
    }
    return {};
}

Result<void> RamStorage::fill(std::uint64_t offset, std::uint64_t length, std::uint8_t value) {
    std::uint64_t done = 0;
    while (done < length) {
        const std::uint64_t pos = offset + done;
        const std::uint64_t inChunk = pos % kChunk;
        const std::uint64_t n = std::min<std::uint64_t>(kChunk - inChunk, length - done);
        auto& chunk = chunks_[pos / kChunk];
        // A whole chunk back at the initial value needs no memory: that is what makes erase cheap.
        if (n == kChunk && value == initial_)
            chunk.reset();
        else if (chunk || value != initial_)
            std::memset(chunkFor(pos / kChunk) + inChunk, value, n);
        done += n;
    }
    return {};
}

std::uint64_t RamStorage::allocatedBytes() const {
    return static_cast<std::uint64_t>(
               std::count_if(chunks_.begin(), chunks_.end(), [](const auto& c) { return c != nullptr; })) *
           kChunk;
}

} // namespace flashplan
