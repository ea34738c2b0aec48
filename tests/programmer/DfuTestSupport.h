// SPDX-License-Identifier: Apache-2.0
// What the DFU suites share: boards and layouts for the emulated devices, images, and the emulated
// device's memory compared with what a test expects.
#pragma once

#include "db/DeviceDatabase.h"
#include "model/Layout.h"

#include <QByteArray>
#include <QRandomGenerator>

#include <cstdint>
#include <string>
#include <vector>

namespace flashplan::testing {

inline Board databaseBoard(const std::string& id) {
    static const DeviceDatabase db = *DeviceDatabase::builtin();
    const Board* b = db.find(id);
    if (!b)
        qFatal("no board %s in the database", id.c_str());
    return *b;
}

inline Partition partition(std::string label, std::string device, std::uint64_t offset, std::uint64_t size) {
    Partition p;
    p.label = std::move(label);
    p.device = std::move(device);
    p.offset = offset;
    p.size = size;
    return p;
}

/// The STM32F4DISCOVERY with a bootloader in sectors 0-1, the application in sectors 2-4 (96 KiB) and
/// a data partition in sector 5.
inline Layout f4Layout() {
    Layout l;
    l.name = "f4-dfu";
    l.board = databaseBoard("stm32f4_disco");
    l.boardRef = l.board.id;
    l.partitions = {partition("boot_partition", "flash0", 0, 0x8000),
                    partition("slot0_partition", "flash0", 0x8000, 0x18000),
                    partition("storage_partition", "flash0", 0x20000, 0x20000)};
    return l;
}

/// The Spark Core: the application after the 20 read-only bootloader pages, and a slot on the SPI flash.
inline Layout sparkLayout() {
    Layout l;
    l.name = "spark-dfu";
    l.board = databaseBoard("spark_core");
    l.boardRef = l.board.id;
    l.partitions = {partition("boot_partition", "flash0", 0, 0x5000),
                    partition("slot0_partition", "flash0", 0x5000, 0x1b000),
                    partition("slot1_partition", "sst25vf016b", 0x10000, 0x20000)};
    return l;
}

/// A board for the plain DFU device: its one alt setting is the 128 KiB "image" memory.
inline Layout plainLayout() {
    Layout l;
    l.name = "plain-dfu";
    l.board.id = "plain_dfu";
    l.board.name = "Plain DFU test device";
    FlashDevice image;
    image.id = "image";
    image.name = "image";
    image.sectors = *SectorMap::uniform(32, 4096);
    l.board.devices = {image};
    l.board.programmer.dfuVendorId = 0x1209;
    l.board.programmer.dfuProductId = 0x0001;
    l.board.programmer.dfuAlts = {{0, "image", ""}};
    l.partitions = {partition("image_partition", "image", 0, 0x20000)};
    return l;
}

inline std::vector<std::uint8_t> randomBytes(std::size_t n, quint32 seed) {
    QRandomGenerator rng(seed);
    std::vector<std::uint8_t> out(n);
    for (auto& b : out)
        b = static_cast<std::uint8_t>(rng.bounded(256));
    return out;
}

/// A pattern no erase or program produces by accident: what "untouched" memory holds in the tests.
inline std::vector<std::uint8_t> background(std::size_t n) {
    std::vector<std::uint8_t> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<std::uint8_t>(0x5a ^ (i * 7) ^ (i >> 8));
    return out;
}

} // namespace flashplan::testing
