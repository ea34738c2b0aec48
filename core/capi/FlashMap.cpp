// SPDX-License-Identifier: Apache-2.0
#include "capi/FlashMap.h"

#include "util/Numbers.h"

#include <atomic>
#include <limits>
#include <set>

namespace flashplan {

namespace {
std::atomic<const FlashMap*> g_installed{nullptr};
} // namespace

void installFlashMap(const FlashMap* map) {
    g_installed.store(map, std::memory_order_release);
}

const FlashMap* installedFlashMap() {
    return g_installed.load(std::memory_order_acquire);
}

Result<void> FlashMap::bindDevices(const Board& board, const Drivers& drivers) {
    for (const FlashDevice& d : board.devices) {
        DeviceBinding& b = bindings_.emplace_back();
        b.geometry = d;
        if (const auto it = drivers.find(d.id); it != drivers.end() && it->second) {
            if (it->second->device().sectors != d.sectors ||
                it->second->device().writeBlockSize != d.writeBlockSize)
                return makeError(Errc::InvalidArgument, "the driver bound to " + d.id +
                                                            " does not have the board's geometry for it");
            b.driver = it->second;
        }
    }
    // The deque keeps every binding where it is, so device::data and fa_dev may point at them.
    for (DeviceBinding& b : bindings_)
        b.dev = device{b.geometry.id.c_str(), &b};
    return {};
}

const FlashMap::DeviceBinding* FlashMap::binding(std::string_view deviceId) const {
    for (const DeviceBinding& b : bindings_)
        if (b.geometry.id == deviceId)
            return &b;
    return nullptr;
}

Result<std::unique_ptr<FlashMap>> FlashMap::build(const Layout& layout, const Drivers& drivers) {
    if (layout.partitions.size() > 256)
        return makeError(Errc::OutOfRange,
                         "a flash map holds at most 256 areas (fa_id is 8 bits); the layout has " +
                             std::to_string(layout.partitions.size()) + " partitions");
    std::unique_ptr<FlashMap> map(new FlashMap);
    if (auto r = map->bindDevices(layout.board, drivers); !r)
        return r.error();
    map->labels_.reserve(layout.partitions.size()); // no reallocation: fa_label points into it
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const DeviceBinding* b = map->binding(p.device);
        if (!b)
            return makeError(Errc::NotFound,
                             p.label + ": device '" + p.device + "' is not on board " + layout.board.id);
        if (p.offset > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) ||
            p.size > std::numeric_limits<size_t>::max())
            return makeError(Errc::OutOfRange,
                             p.label + ": offset " + formatHex(p.offset) + " does not fit off_t");
        map->labels_.push_back(p.label);
        flash_area fa{};
        fa.fa_id = static_cast<std::uint8_t>(i);
        fa.fa_off = static_cast<off_t>(p.offset);
        fa.fa_size = static_cast<size_t>(p.size);
        fa.fa_dev = &b->dev;
        fa.fa_label = map->labels_.back().c_str();
        map->areas_.push_back(fa);
    }
    return map;
}

Result<std::unique_ptr<FlashMap>> FlashMap::fromAreas(std::span<const flash_area> areas, const Board& board,
                                                      const Drivers& drivers) {
    std::unique_ptr<FlashMap> map(new FlashMap);
    if (auto r = map->bindDevices(board, drivers); !r)
        return r.error();
    map->labels_.reserve(areas.size());
    std::set<int> ids;
    for (const flash_area& in : areas) {
        const std::string what =
            "area " + std::to_string(in.fa_id) + (in.fa_label ? std::string(" (") + in.fa_label + ")" : "");
        if (!in.fa_dev || !in.fa_dev->name)
            return makeError(Errc::InvalidArgument, what + " has no device");
        const DeviceBinding* b = map->binding(in.fa_dev->name);
        if (!b)
            return makeError(Errc::NotFound, what + ": device '" + std::string(in.fa_dev->name) +
                                                 "' is not on board " + board.id);
        if (!ids.insert(in.fa_id).second)
            return makeError(Errc::InvalidArgument,
                             what + ": fa_id " + std::to_string(in.fa_id) + " is used twice");
        if (in.fa_off < 0 ||
            !rangeWithin(static_cast<std::uint64_t>(in.fa_off), in.fa_size, b->geometry.size()))
            return makeError(Errc::OutOfRange, what + " does not lie inside " + b->geometry.id);
        map->labels_.push_back(in.fa_label ? in.fa_label : "");
        flash_area fa = in;
        fa.fa_dev = &b->dev;
        fa.fa_label = in.fa_label ? map->labels_.back().c_str() : nullptr;
        map->areas_.push_back(fa);
    }
    return map;
}

Result<std::unique_ptr<FlashMap>> FlashMap::withRamSimulators(const Layout& layout) {
    std::vector<std::unique_ptr<FlashSimulator>> sims;
    Drivers drivers;
    for (const FlashDevice& d : layout.board.devices) {
        sims.push_back(FlashSimulator::inRam(d));
        drivers[d.id] = sims.back().get();
    }
    auto map = build(layout, drivers);
    if (map)
        (*map)->owned_ = std::move(sims);
    return map;
}

const flash_area* FlashMap::find(std::uint8_t id) const {
    for (const flash_area& fa : areas_)
        if (fa.fa_id == id)
            return &fa;
    return nullptr;
}

FlashSimulator* FlashMap::driver(std::string_view deviceId) const {
    const DeviceBinding* b = binding(deviceId);
    return b ? b->driver : nullptr;
}

} // namespace flashplan
