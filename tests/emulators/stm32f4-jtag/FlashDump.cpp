// SPDX-License-Identifier: Apache-2.0
#include "FlashDump.h"

#include "io/TextFile.h"

#include <nlohmann/json.hpp>

namespace flashplan::emu {

Result<std::string> flashImage(const FlashSimulator& flash) {
    std::string image(flash.size(), '\0');
    if (auto r = flash.read(0, std::span(reinterpret_cast<std::uint8_t*>(image.data()), image.size())); !r)
        return r.error();
    return image;
}

std::string flashStatsJson(const FlashSimulator& flash) {
    const std::uint64_t count = flash.device().sectors.sectorCount();
    nlohmann::json erases = nlohmann::json::array();
    for (std::uint64_t i = 0; i < count; ++i)
        erases.push_back(flash.eraseCount(i));
    const nlohmann::json doc = {{"schema", "flashplan-emu-stm32f4/1"},
                                {"sector_count", count},
                                {"erases_per_sector", erases},
                                {"total_erases", flash.totalErases()},
                                {"bytes_programmed", flash.bytesProgrammed()}};
    return doc.dump() + "\n";
}

Result<void> writeFlashDump(const FlashSimulator& flash, const std::filesystem::path& flashOut,
                            const std::filesystem::path& statsOut) {
    if (!flashOut.empty()) {
        auto image = flashImage(flash);
        if (!image)
            return image.error();
        if (auto r = writeFileAtomically(flashOut, *image); !r)
            return r;
    }
    if (!statsOut.empty())
        return writeFileAtomically(statsOut, flashStatsJson(flash));
    return {};
}

} // namespace flashplan::emu
