// SPDX-License-Identifier: Apache-2.0
#include "boot/SlotTrailer.h"

#include "rules/McubootRules.h"
#include "rules/McubootView.h"

namespace flashplan::mcuboot {

Result<std::optional<SlotTrailer>> slotTrailer(const Layout& layout, std::size_t partition) {
    if (!isMcubootLayout(layout) || partition >= layout.partitions.size())
        return std::optional<SlotTrailer>{};
    const View view = viewOf(layout);
    if (!view.mode)
        return std::optional<SlotTrailer>{};
    const auto slots = slotsOf(view, layout.partitions[partition].imageIndex);
    if (!slots || (slots->first.index != partition && slots->second.index != partition))
        return std::optional<SlotTrailer>{};
    const auto& [pri, sec] = *slots;
    const Area& self = pri.index == partition ? pri : sec;

    SlotTrailer s;
    s.image = layout.partitions[partition].imageIndex;
    s.partition = partition;
    s.primary = pri.index;
    s.secondary = sec.index;
    s.mode = *view.mode;
    auto trailer = trailerLayout(trailerConfig(view, pri), self.size());
    if (!trailer) {
        Error e = trailer.error();
        e.field = self.partition->label;
        return e;
    }
    s.trailer = std::move(*trailer);
    s.erasedValue = self.device->eraseValue;
    s.writeAlign = self.device->writeBlockSize;
    std::optional<std::uint64_t> scratchSize;
    if (s.mode == UpgradeMode::SwapUsingScratch)
        if (const auto scratch = scratchOf(view))
            scratchSize = scratch->size();
    s.compatibility =
        slotsCompatible(s.mode, pri.sectors, sec.sectors, scratchSize, view.settings.maxImgSectors).verdict;
    return std::optional<SlotTrailer>{std::move(s)};
}

} // namespace flashplan::mcuboot
