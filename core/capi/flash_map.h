/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flash_area API of Zephyr's <zephyr/storage/flash_map.h>, with its names, signatures, semantics and
 * error codes, over the flash map that Flashplan installs from a layout (see FlashMap.h). Code written
 * against Zephyr's flash map, MCUboot's flash glue for instance, can run unchanged on a host against a
 * simulated device. Usable from C (C99 and later) and C++.
 *
 * Differences from Zephyr, all on the side of safety:
 *  - every bounds check is overflow-safe (len <= fa_size && off <= fa_size - len);
 *  - every failing flash_area_open() sets *fa to NULL;
 *  - NULL pointers are answered with -EINVAL instead of a crash.
 */
#ifndef FLASHPLAN_CAPI_FLASH_MAP_H
#define FLASHPLAN_CAPI_FLASH_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A flash device as the flash map knows it. Only @c name is for callers; @c data is the map's own. */
struct device {
    const char* name; /**< the board's device id, e.g. "flash0" */
    void* data;       /**< private to the installed flash map */
};

/** A fixed-size partition on a flash device (Zephyr's struct flash_area). */
struct flash_area {
    uint8_t fa_id; /**< the partition's index in the layout */
    uint16_t pad16;
    off_t fa_off;                /**< start offset from the beginning of the flash device */
    size_t fa_size;              /**< total size in bytes */
    const struct device* fa_dev; /**< the backing device */
    const char* fa_label;        /**< the partition's node label, e.g. "slot0_partition" */
};

/** One erase sector (Zephyr's struct flash_sector). */
struct flash_sector {
    off_t fs_off;   /**< from flash_area_get_sectors(): offset from the start of the area */
    size_t fs_size; /**< size in bytes */
};

typedef void (*flash_area_cb_t)(const struct flash_area* fa, void* user_data);

/**
 * Opens the area with this id.
 * @param[in]  id  flash area id (the partition's index in the layout)
 * @param[out] fa  set to the area on success, to NULL on any failure
 * @return 0 on success; -EINVAL if @p fa is NULL; -EACCES if no flash map is installed; -ENOENT if no
 *         area has this id; -ENODEV if the area's device has no driver.
 */
int flash_area_open(uint8_t id, const struct flash_area** fa);

/** Closes an area opened with flash_area_open(); it holds no resources, so this does nothing. */
void flash_area_close(const struct flash_area* fa);

/**
 * Reads @p len bytes at @p off (relative to the start of the area) into @p dst.
 * @return 0 on success; -EINVAL for a NULL argument or a range that is not inside the area (off+len
 *         overflowing included); -ENODEV if the device has no driver; -EIO if the backing store fails.
 */
int flash_area_read(const struct flash_area* fa, off_t off, void* dst, size_t len);

/**
 * Programs @p len bytes from @p src at @p off (relative to the start of the area).
 * @return 0 on success; -EINVAL for a NULL argument, a range not inside the area, or an offset or
 *         length that is not a multiple of the write-block size; -ENODEV if the device has no driver;
 *         -EIO if the write would turn programmed bits back to the erased state (NOR flash must be
 *         erased first) or the backing store fails.
 */
int flash_area_write(const struct flash_area* fa, off_t off, const void* src, size_t len);

/**
 * Erases @p len bytes at @p off (relative to the start of the area); both ends must be sector
 * boundaries of the device.
 * @return 0 on success; -EINVAL for a NULL area, a range not inside the area, or ends that are not
 *         sector boundaries; -ENODEV if the device has no driver; -ENOSYS if the device has no erase
 *         (use flash_area_flatten()); -EIO if the backing store fails.
 */
int flash_area_erase(const struct flash_area* fa, off_t off, size_t len);

/**
 * Brings the range to the erased state: erases on devices that need erase, and fills with the erase
 * value (by writes, honouring the write-block size) on devices that are written in place.
 * @return 0 on success; the error codes of flash_area_erase() or flash_area_write().
 */
int flash_area_flatten(const struct flash_area* fa, off_t off, size_t len);

/** @return the write-block size of the area's device in bytes (the alignment of writes); 0 for NULL. */
uint32_t flash_area_align(const struct flash_area* fa);

/**
 * Lists the erase sectors of the area with id @p fa_id. A sector is listed when it starts inside the
 * area; fs_off is relative to the start of the area (Zephyr's flash_map_layout.c, which MCUboot relies on).
 * @param[in]     fa_id    flash area id
 * @param[in,out] count    in: capacity of @p sectors; out (on success only): sectors written
 * @param[out]    sectors  array of at least *count entries
 * @return 0 on success; -EINVAL for NULL pointers or an area that cannot be opened (unknown id, no flash
 *         map, no driver); -ENOMEM if the sectors do not fit in *count entries (*count is then unchanged).
 */
int flash_area_get_sectors(int fa_id, uint32_t* count, struct flash_sector* sectors);

/** As flash_area_get_sectors(), for an area already opened. Same return codes. */
int flash_area_sectors(const struct flash_area* fa, uint32_t* count, struct flash_sector* sectors);

/** Calls @p user_cb for every area of the installed flash map, in id order; nothing if none is installed. */
void flash_area_foreach(flash_area_cb_t user_cb, void* user_data);

/** @return 1 if the area's device has a driver, -ENODEV if it has none (or @p fa is NULL). */
int flash_area_has_driver(const struct flash_area* fa);

/** @return the device behind the area (NULL for a NULL area). */
const struct device* flash_area_get_device(const struct flash_area* fa);

/** @return true if the area's device has a driver and can be used. */
bool flash_area_device_is_ready(const struct flash_area* fa);

/** @return the value erased bytes read as on the area's device (0xff for most NOR). */
uint8_t flash_area_erased_val(const struct flash_area* fa);

/** @return the area's label (Zephyr's CONFIG_FLASH_MAP_LABELS), or NULL for a NULL area. */
const char* flash_area_label(const struct flash_area* fa);

#ifdef __cplusplus
}
#endif

#endif /* FLASHPLAN_CAPI_FLASH_MAP_H */
