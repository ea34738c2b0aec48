// SPDX-License-Identifier: Apache-2.0
#include "Backend.h"

#include "util/Numbers.h"

namespace flashplan::programmer {

Result<std::vector<FlashDevice>> Backend::describe(JobContext&) {
    return std::vector<FlashDevice>{};
}

Result<std::vector<SectorState>> Backend::compare(const FlashDevice& device,
                                                  std::span<const ExpectedRange> ranges, JobContext& ctx) {
    std::vector<SectorState> states;
    for (const ExpectedRange& r : ranges) {
        if (auto c = ctx.checkCancelled(); !c)
            return c.error();
        auto current = read(device, r.offset, r.bytes.size(), ctx);
        if (!current)
            return current.error();
        states.push_back(classifySector(*current, r.bytes, device.eraseValue));
    }
    return states;
}

Result<void> Backend::verify(const FlashDevice& device, std::uint64_t offset,
                             std::span<const std::uint8_t> data, JobContext& ctx) {
    auto current = read(device, offset, data.size(), ctx);
    if (!current)
        return current.error();
    for (std::size_t i = 0; i < data.size(); ++i)
        if ((*current)[i] != data[i]) {
            const auto cpu = device.cpuAddress(offset + i);
            return makeError(Errc::Io, "verify failed at offset " + formatHex(offset + i) +
                                           (cpu ? " (" + formatAddress(*cpu) + ")" : std::string()) + " of " +
                                           device.id + ": flash holds " + formatHex((*current)[i]) +
                                           ", the image " + formatHex(data[i]));
        }
    return {};
}

Result<void> Backend::commit(const FlashDevice&, JobContext&) {
    return {};
}

Result<void> Backend::reset(JobContext&) {
    return {};
}

} // namespace flashplan::programmer
