// SPDX-License-Identifier: Apache-2.0
#include "capi/FlashMap.h"

#include "util/Numbers.h"

#include <atomic>
#include <limits>

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

Result<std::unique_ptr<FlashMap>> FlashMap::build(const Layout& layout, const Drivers& drivers) {
    if (layout.partitions.size() > 256)
        return makeError(Errc::OutOfRange,
                         "a flash map holds at most 256 areas (fa_id is 8 bits); the layout has " +
                             std::to_string(layout.partitions.size()) + " partitions");
    std::unique_ptr<FlashMap> map(new FlashMap);
    for (const FlashDevice& d : layout.board.devices) {
        DeviceBinding& b = map->bindings_.emplace_back();
        b.geometry = d;
        if (const auto it = drivers.find(d.id); it != drivers.end() && it->second) {
            if (it->second->device().sectors != d.sectors ||
                it->second->device().writeBlockSize != d.writeBlockSize)
                return makeError(Errc::InvalidArgument, "the driver bound to " + d.id +
                                                            " does not have the board's geometry for it");
            b.driver = it->second;
        }
    }
    // Labels and bindings are stored before any pointer to them is taken.
    map->labels_.reserve(layout.partitions.size());
    for (const Partition& p : layout.partitions)
        map->labels_.push_back(p.label);
    for (DeviceBinding& b : map->bindings_)
        b.dev = device{b.geometry.id.c_str(), &b};

    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        const DeviceBinding* binding = nullptr;
        for (const DeviceBinding& b : map->bindings_)
            if (b.geometry.id == p.device)
                binding = &b;
        if (!binding)
            return makeError(Errc::NotFound,
                             p.label + ": device '" + p.device + "' is not on board " + layout.board.id);
        if (p.offset > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) ||
            p.size > std::numeric_limits<size_t>::max())
            return makeError(Errc::OutOfRange,
                             p.label + ": offset " + formatHex(p.offset) + " does not fit off_t");
        flash_area fa{};
        fa.fa_id = static_cast<std::uint8_t>(i);
        fa.fa_off = static_cast<off_t>(p.offset);
        fa.fa_size = static_cast<size_t>(p.size);
        fa.fa_dev = &binding->dev;
        fa.fa_label = map->labels_[i].c_str();
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
    for (const DeviceBinding& b : bindings_)
        if (b.geometry.id == deviceId)
            return b.driver;
    return nullptr;
}

} // namespace flashplan
