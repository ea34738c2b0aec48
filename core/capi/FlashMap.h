// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "capi/flash_map.h"
#include "model/Layout.h"
#include "sim/FlashSimulator.h"

#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace flashplan {

/// A layout turned into the table the flash_area C API serves: one struct flash_area per partition
/// (fa_id = the partition's index, as Zephyr numbers fixed partitions in devicetree order) and one
/// struct device per flash device of the board, each bound to a FlashSimulator or to none (then the
/// API answers -ENODEV for its areas). Pointers into the map stay valid for its lifetime, so the map
/// is neither copyable nor movable; it lives behind a unique_ptr.
class FlashMap {
public:
    using Drivers = std::map<std::string, FlashSimulator*, std::less<>>;

    /// Builds the map over simulators owned by the caller, keyed by device id. Errors: a partition on a
    /// device the board lacks, a driver whose geometry differs from the board's device, an offset that
    /// does not fit off_t, or more than 256 partitions (fa_id is a uint8_t).
    static Result<std::unique_ptr<FlashMap>> build(const Layout& layout, const Drivers& drivers);
    /// Serves a table of areas written in C (Zephyr's array form, e.g. a c-flash-map export): each area's
    /// fa_dev->name names a device of `board`, which is bound to the driver of that id. Areas are copied;
    /// the table may go away afterwards. Errors: a NULL or unknown device, a duplicate fa_id, an area
    /// outside its device, a driver whose geometry differs from the board's device.
    static Result<std::unique_ptr<FlashMap>> fromAreas(std::span<const flash_area> areas, const Board& board,
                                                       const Drivers& drivers);
    /// Builds the map with a fresh erased RAM simulator for every device, owned by the map.
    static Result<std::unique_ptr<FlashMap>> withRamSimulators(const Layout& layout);

    FlashMap(const FlashMap&) = delete;
    FlashMap& operator=(const FlashMap&) = delete;

    std::span<const flash_area> areas() const { return areas_; }
    const flash_area* find(std::uint8_t id) const;
    /// The simulator bound to a device id, or nullptr.
    FlashSimulator* driver(std::string_view deviceId) const;

    /// What a struct device's data points to.
    struct DeviceBinding {
        FlashDevice geometry;
        FlashSimulator* driver = nullptr;
        device dev{};
    };

private:
    FlashMap() = default;
    Result<void> bindDevices(const Board& board, const Drivers& drivers);
    const DeviceBinding* binding(std::string_view deviceId) const;

    std::deque<DeviceBinding> bindings_; // deque: stable addresses for device::data and fa_dev
    std::vector<std::string> labels_;
    std::vector<flash_area> areas_;
    std::vector<std::unique_ptr<FlashSimulator>> owned_;
};

/// Makes `map` the flash map of the flash_area C API (nullptr: none, so the API answers -EACCES).
/// Like Zephyr's global flash_map, there is one per process; the map must outlive its installation.
void installFlashMap(const FlashMap* map);
const FlashMap* installedFlashMap();

/// Installs a map for the lifetime of a scope and puts the previous one back afterwards.
class ScopedFlashMap {
public:
    explicit ScopedFlashMap(const FlashMap* map) : previous_(installedFlashMap()) { installFlashMap(map); }
    ~ScopedFlashMap() { installFlashMap(previous_); }
    ScopedFlashMap(const ScopedFlashMap&) = delete;
    ScopedFlashMap& operator=(const ScopedFlashMap&) = delete;

private:
    const FlashMap* previous_;
};

} // namespace flashplan
