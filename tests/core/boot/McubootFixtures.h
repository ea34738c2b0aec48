// SPDX-License-Identifier: Apache-2.0
#pragma once
// The files of tests/data/mcuboot, made by the real imgtool (see its README.md and make-fixtures.sh).

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace mcubootfixtures {

using Bytes = std::vector<std::uint8_t>;

inline std::string path(const std::string& name) {
    return std::string(FLASHPLAN_SOURCE_DIR) + "/tests/data/mcuboot/" + name;
}

/// The file's bytes; empty when it cannot be read (the tests then fail on its size).
inline Bytes read(const std::string& name) {
    std::ifstream in(path(name), std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string readText(const std::string& name) {
    const Bytes b = read(name);
    return std::string(b.begin(), b.end());
}

/// One padded image: how imgtool was asked to make it.
struct Padded {
    std::string file;
    std::uint64_t align = 1;    ///< --align: BOOT_WRITE_SZ
    std::uint64_t maxAlign = 8; ///< --max-align: BOOT_MAX_ALIGN
    std::uint64_t slotSize = 0; ///< --slot-size
    std::uint64_t maxSectors = 128;
    bool confirm = false;
};

/// Every test/confirm pair of make-fixtures.sh, at alignments 1, 4, 8, 32 and BOOT_MAX_ALIGN 8 and 32.
inline std::vector<Padded> paddedImages() {
    struct Shape {
        std::uint64_t align, maxAlign, slot, maxSectors;
    };
    const Shape shapes[] = {{1, 8, 0x4000, 128},  {4, 8, 0x5000, 128},  {8, 8, 0x8000, 128},
                            {4, 8, 0x10000, 64},  {1, 32, 0x4000, 128}, {4, 32, 0x6000, 128},
                            {8, 32, 0x4000, 128}, {32, 32, 0x8000, 128}};
    std::vector<Padded> out;
    for (const Shape& s : shapes)
        for (bool confirm : {false, true}) {
            char slot[32];
            std::snprintf(slot, sizeof slot, "0x%llx", static_cast<unsigned long long>(s.slot));
            std::string name = std::string(confirm ? "pad-confirm" : "pad-test") + "-a" +
                               std::to_string(s.align) + "-m" + std::to_string(s.maxAlign) + "-s" + slot;
            if (s.maxSectors != 128)
                name += "-M" + std::to_string(s.maxSectors);
            out.push_back({name + ".bin", s.align, s.maxAlign, s.slot, s.maxSectors, confirm});
        }
    return out;
}

} // namespace mcubootfixtures
