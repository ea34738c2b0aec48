/* SPDX-License-Identifier: Apache-2.0 */
/* Compiled as C: proves that capi/flash_map.h is a C header and that C code drives the API as Zephyr
 * code would (open, erase the first sector, write, read back, close). */
#include "capi/flash_map.h"

#include <errno.h>
#include <string.h>

int flashplan_c_write_first_sector(uint8_t id, const uint8_t* data, size_t len) {
    const struct flash_area* fa = NULL;
    struct flash_sector sectors[256];
    uint32_t count = 256;
    uint8_t back[64];
    int rc;

    if (len > sizeof(back))
        return -EINVAL;
    rc = flash_area_open(id, &fa);
    if (rc != 0)
        return rc;
    rc = flash_area_get_sectors(id, &count, sectors);
    if (rc == 0)
        rc = flash_area_erase(fa, sectors[0].fs_off, sectors[0].fs_size);
    if (rc == 0)
        rc = flash_area_write(fa, 0, data, len);
    if (rc == 0)
        rc = flash_area_read(fa, 0, back, len);
    if (rc == 0 && memcmp(back, data, len) != 0)
        rc = -EIO;
    flash_area_close(fa);
    return rc;
}

static void count_area(const struct flash_area* fa, void* user_data) {
    (void)fa;
    ++*(int*)user_data;
}

int flashplan_c_count_areas(void) {
    int n = 0;
    flash_area_foreach(count_area, &n);
    return n;
}
