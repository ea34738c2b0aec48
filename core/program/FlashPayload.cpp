// SPDX-License-Identifier: Apache-2.0
#include "program/FlashPayload.h"

#include "rules/McubootRules.h"
#include "util/Numbers.h"

namespace flashplan {

std::uint64_t bootloaderReserve(const Layout& layout, std::size_t partition) {
    for (const McubootImageSpace& s : mcubootImageSpaces(layout)) {
        if (partition != s.primary && partition != s.secondary)
            continue;
        // bootutil sizes both slots' images by the primary slot's space; the secondary carries the
        // same trailer, so the same reserve applies to whichever slot is being programmed.
        const std::uint64_t size = layout.partitions[partition].size;
        return s.space.space < size ? size - s.space.space : 0;
    }
    return 0;
}

Error imageTooLarge(const ImageFit& fit, const Partition& p) {
    Error e =
        makeError(Errc::OutOfRange, "the image needs " + formatHex(fit.used) + " bytes of " + p.label +
                                        " but " + formatHex(fit.available) + " are available" +
                                        (fit.trailerReserve ? " (" + formatHex(fit.trailerReserve) +
                                                                  " at its end are the bootloader's trailer)"
                                                            : std::string()) +
                                        ": " + std::to_string(fit.shortfall) +
                                        " bytes too many; refused before any byte moved");
    e.field = p.label;
    return e;
}

Result<FlashPayload> payloadFor(const Image& image, const ImageHeader& header, const Layout& layout,
                                std::size_t partition, std::optional<std::uint64_t> reserve) {
    if (!reserve)
        reserve = partition < layout.partitions.size() ? bootloaderReserve(layout, partition) : 0;
    auto fit = fitImage(image, header, layout, partition, {*reserve});
    if (!fit)
        return fit.error();
    const Partition& p = layout.partitions[partition];
    if (!fit->fits)
        return imageTooLarge(*fit, p);
    const FlashDevice* device = layout.deviceOf(p);
    auto bytes = image.flatten(device ? device->eraseValue : std::uint8_t{0xff});
    if (!bytes)
        return bytes.error();
    FlashPayload payload;
    payload.offset = fit->offset;
    payload.bytes = std::move(*bytes);
    payload.fit = std::move(*fit);
    return payload;
}

} // namespace flashplan
