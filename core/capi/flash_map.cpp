// SPDX-License-Identifier: Apache-2.0
// The flash_area C API: every entry point guards its arguments, then delegates to the simulator bound to
// the area's device. Area-relative offsets become device offsets in exactly one place (deviceOffset).
#include "capi/FlashMap.h"

#include "util/Numbers.h"

#include <cerrno>
#include <span>

using flashplan::FlashMap;
using flashplan::FlashSimulator;

namespace {

const FlashMap::DeviceBinding* bindingOf(const flash_area* fa) {
    if (!fa || !fa->fa_dev || !fa->fa_dev->data)
        return nullptr;
    return static_cast<const FlashMap::DeviceBinding*>(fa->fa_dev->data);
}

FlashSimulator* driverOf(const flash_area* fa) {
    const auto* b = bindingOf(fa);
    return b ? b->driver : nullptr;
}

bool inAreaBounds(const flash_area* fa, off_t off, size_t len) {
    if (off < 0)
        return false;
    const auto uoff = static_cast<std::uint64_t>(off);
    return flashplan::rangeWithin(uoff, len, fa->fa_size);
}

std::uint64_t deviceOffset(const flash_area* fa, off_t off) {
    return static_cast<std::uint64_t>(fa->fa_off) + static_cast<std::uint64_t>(off);
}

int toErrnoResult(const flashplan::Result<void>& r) {
    return r ? 0 : -flashplan::toErrno(r.error().code);
}

// Checks shared by read, write, erase and flatten; 0 when the call may go ahead.
int guard(const flash_area* fa, off_t off, size_t len) {
    if (!fa)
        return -EINVAL;
    if (!inAreaBounds(fa, off, len))
        return -EINVAL;
    if (!driverOf(fa))
        return -ENODEV;
    return 0;
}

} // namespace

extern "C" {

int flash_area_open(uint8_t id, const struct flash_area** fa) {
    if (!fa)
        return -EINVAL;
    *fa = nullptr;
    const FlashMap* map = flashplan::installedFlashMap();
    if (!map)
        return -EACCES;
    const flash_area* area = map->find(id);
    if (!area)
        return -ENOENT;
    if (!driverOf(area))
        return -ENODEV;
    *fa = area;
    return 0;
}

void flash_area_close(const struct flash_area* /*fa*/) {
}

int flash_area_read(const struct flash_area* fa, off_t off, void* dst, size_t len) {
    if (int rc = guard(fa, off, len); rc != 0)
        return rc;
    if (!dst && len != 0)
        return -EINVAL;
    return toErrnoResult(
        driverOf(fa)->read(deviceOffset(fa, off), std::span(static_cast<std::uint8_t*>(dst), len)));
}

int flash_area_write(const struct flash_area* fa, off_t off, const void* src, size_t len) {
    if (int rc = guard(fa, off, len); rc != 0)
        return rc;
    if (!src && len != 0)
        return -EINVAL;
    return toErrnoResult(
        driverOf(fa)->program(deviceOffset(fa, off), std::span(static_cast<const std::uint8_t*>(src), len)));
}

int flash_area_erase(const struct flash_area* fa, off_t off, size_t len) {
    if (int rc = guard(fa, off, len); rc != 0)
        return rc;
    return toErrnoResult(driverOf(fa)->erase(deviceOffset(fa, off), len));
}

int flash_area_flatten(const struct flash_area* fa, off_t off, size_t len) {
    if (int rc = guard(fa, off, len); rc != 0)
        return rc;
    return toErrnoResult(driverOf(fa)->flatten(deviceOffset(fa, off), len));
}

uint32_t flash_area_align(const struct flash_area* fa) {
    const auto* b = bindingOf(fa);
    return b ? b->geometry.writeBlockSize : 0;
}

int flash_area_sectors(const struct flash_area* fa, uint32_t* count, struct flash_sector* sectors) {
    if (!fa || !count || !sectors)
        return -EINVAL;
    const auto* b = bindingOf(fa);
    if (!b || !b->driver)
        return -ENODEV;
    const auto areaStart = static_cast<std::uint64_t>(fa->fa_off);
    const std::uint64_t areaEnd = areaStart + fa->fa_size;
    uint32_t n = 0;
    int status = 0;
    // As Zephyr's should_bail(): sectors that start before the area are skipped, listing stops at the
    // first sector that starts at or past its end, and running out of room is -ENOMEM.
    b->geometry.sectors.forEachSector(areaStart, fa->fa_size, [&](const flashplan::Sector& s) {
        if (s.offset < areaStart)
            return true;
        if (s.offset >= areaEnd)
            return false;
        if (n >= *count) {
            status = -ENOMEM;
            return false;
        }
        sectors[n].fs_off = static_cast<off_t>(s.offset - areaStart);
        sectors[n].fs_size = static_cast<size_t>(s.size);
        ++n;
        return true;
    });
    if (status == 0)
        *count = n;
    return status;
}

int flash_area_get_sectors(int fa_id, uint32_t* count, struct flash_sector* sectors) {
    if (fa_id < 0 || fa_id > UINT8_MAX)
        return -EINVAL;
    const flash_area* fa = nullptr;
    if (flash_area_open(static_cast<uint8_t>(fa_id), &fa) != 0)
        return -EINVAL;
    const int rc = flash_area_sectors(fa, count, sectors);
    flash_area_close(fa);
    return rc;
}

void flash_area_foreach(flash_area_cb_t user_cb, void* user_data) {
    const FlashMap* map = flashplan::installedFlashMap();
    if (!map || !user_cb)
        return;
    for (const flash_area& fa : map->areas())
        user_cb(&fa, user_data);
}

int flash_area_has_driver(const struct flash_area* fa) {
    return driverOf(fa) ? 1 : -ENODEV;
}

const struct device* flash_area_get_device(const struct flash_area* fa) {
    return fa ? fa->fa_dev : nullptr;
}

bool flash_area_device_is_ready(const struct flash_area* fa) {
    return driverOf(fa) != nullptr;
}

uint8_t flash_area_erased_val(const struct flash_area* fa) {
    const auto* b = bindingOf(fa);
    return b ? b->geometry.eraseValue : 0xff;
}

const char* flash_area_label(const struct flash_area* fa) {
    return fa ? fa->fa_label : nullptr;
}

} // extern "C"
