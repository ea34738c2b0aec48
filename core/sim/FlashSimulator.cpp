// SPDX-License-Identifier: Apache-2.0
#include "sim/FlashSimulator.h"

#include "util/Numbers.h"

#include <algorithm>
#include <vector>

namespace flashplan {

namespace {
// Work in bounded pieces so a program() of a large image does not double its memory.
constexpr std::size_t kPiece = 64 * 1024;

} // namespace

FlashSimulator::FlashSimulator(FlashDevice device, std::unique_ptr<FlashStorage> storage)
    : device_(std::move(device)), storage_(std::move(storage)) {
}

std::unique_ptr<FlashSimulator> FlashSimulator::inRam(const FlashDevice& device) {
    return std::make_unique<FlashSimulator>(device,
                                            std::make_unique<RamStorage>(device.size(), device.eraseValue));
}

Result<std::unique_ptr<FlashSimulator>> FlashSimulator::inFile(const FlashDevice& device,
                                                               const std::filesystem::path& path) {
    auto storage = FileStorage::open(path, device.size(), device.eraseValue);
    if (!storage)
        return storage.error();
    return std::make_unique<FlashSimulator>(device, std::move(*storage));
}

Result<void> FlashSimulator::checkRange(const char* op, std::uint64_t offset, std::uint64_t length) const {
    if (!rangeWithin(offset, length, size()))
        return makeError(Errc::OutOfRange, std::string(op) + " of " + std::to_string(length) + " bytes at " +
                                               formatHex(offset) + " reaches past the end of " + device_.id +
                                               " (" + formatSize(size()) + ")");
    return {};
}

Result<void> FlashSimulator::checkWriteAlignment(std::uint64_t offset, std::uint64_t length) const {
    const std::uint64_t wbs = device_.writeBlockSize;
    if (offset % wbs != 0 || length % wbs != 0)
        return makeError(Errc::Misaligned, "write of " + std::to_string(length) + " bytes at " +
                                               formatHex(offset) + " is not aligned to the " +
                                               std::to_string(wbs) + "-byte write block of " + device_.id);
    return {};
}

Result<void> FlashSimulator::read(std::uint64_t offset, std::span<std::uint8_t> out) const {
    if (auto r = checkRange("read", offset, out.size()); !r)
        return r;
    return storage_->read(offset, out);
}

Result<void> FlashSimulator::program(std::uint64_t offset, std::span<const std::uint8_t> data) {
    if (auto r = checkRange("write", offset, data.size()); !r)
        return r;
    if (auto r = checkWriteAlignment(offset, data.size()); !r)
        return r;

    if (device_.eraseRequired) {
        // Check the whole write before changing a byte, so a refused write leaves no partial state.
        const std::uint8_t erased = device_.eraseValue;
        std::vector<std::uint8_t> old(std::min(kPiece, data.size()));
        for (std::size_t done = 0; done < data.size(); done += old.size()) {
            const std::size_t n = std::min(old.size(), data.size() - done);
            if (auto r = storage_->read(offset + done, std::span(old.data(), n)); !r)
                return r;
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint8_t was = old[i], want = data[done + i];
                // A bit may change only where it still holds its erased value.
                if (((was ^ want) & (was ^ erased)) != 0)
                    return makeError(
                        Errc::ProgramConflict,
                        "write at " + formatHex(offset + done + i) + " of " + device_.id +
                            " would turn programmed bits back to the erased state (flash holds " +
                            formatHex(was, 2) + ", write asks for " + formatHex(want, 2) +
                            "); erase the sector first");
            }
        }
    }
    if (auto r = storage_->write(offset, data); !r)
        return r;
    bytesProgrammed_ += data.size();
    return {};
}

Result<void> FlashSimulator::erase(std::uint64_t offset, std::uint64_t length) {
    if (!device_.eraseRequired)
        return makeError(Errc::NotSupported, device_.id + " is written in place and has no erase operation");
    if (auto r = checkRange("erase", offset, length); !r)
        return r;
    const SectorMap& map = device_.sectors;
    if (!map.isBoundary(offset) || !map.isBoundary(offset + length))
        return makeError(Errc::Misaligned, "erase of " + formatHex(offset) + ".." +
                                               formatHex(offset + length) + " on " + device_.id +
                                               " does not start and end on sector boundaries (nearest: " +
                                               formatHex(map.boundaryAtOrBelow(offset)) + ".." +
                                               formatHex(map.boundaryAtOrAbove(offset + length)) + ")");
    if (auto r = storage_->fill(offset, length, device_.eraseValue); !r)
        return r;
    map.forEachSector(offset, length, [this](const Sector& s) {
        ++erases_[s.index];
        ++totalErases_;
        return true;
    });
    return {};
}

Result<void> FlashSimulator::flatten(std::uint64_t offset, std::uint64_t length) {
    if (device_.eraseRequired)
        return erase(offset, length);
    if (auto r = checkRange("flatten", offset, length); !r)
        return r;
    if (auto r = checkWriteAlignment(offset, length); !r)
        return r;
    if (auto r = storage_->fill(offset, length, device_.eraseValue); !r)
        return r;
    bytesProgrammed_ += length;
    return {};
}

std::uint32_t FlashSimulator::eraseCount(std::uint64_t sectorIndex) const {
    const auto it = erases_.find(sectorIndex);
    return it == erases_.end() ? 0 : it->second;
}

} // namespace flashplan
