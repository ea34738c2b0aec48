// SPDX-License-Identifier: Apache-2.0
#include "views/flashmap/AddressInfo.h"

#include "document/Text.h"
#include "util/Numbers.h"

namespace flashplan::gui {

QString describeAddress(const FlashDevice& device, std::uint64_t offset) {
    QString text = QStringLiteral("%1 +%2").arg(q(device.id), q(formatHex(offset)));
    if (const auto cpu = device.cpuAddress(offset))
        text += QStringLiteral(" · CPU %1").arg(q(formatAddress(*cpu)));
    else if (device.xip)
        text += QStringLiteral(" · XIP %1").arg(q(formatAddress(device.xip->address + offset)));
    else
        text += QStringLiteral(" · not memory-mapped");
    if (const auto sector = device.sectors.sectorAt(offset))
        text += QStringLiteral(" · sector %1: %2, %3")
                    .arg(sector->index)
                    .arg(q(formatHex(sector->offset)), q(formatSize(sector->size)));
    return text;
}

QString describeDevice(const FlashDevice& device) {
    const auto& runs = device.sectors.runs();
    const QString geometry =
        runs.size() == 1 ? QStringLiteral("%1 × %2").arg(runs[0].count).arg(q(formatSize(runs[0].size)))
                         : q(device.sectors.toString());
    QString text = QStringLiteral("%1 · %2").arg(q(formatSize(device.size())), geometry);
    if (isExternal(device.kind))
        text += QStringLiteral(" · %1").arg(q(to_string(device.kind)).toUpper());
    const std::uint64_t last = device.size() ? device.size() - 1 : 0;
    if (device.cpuBase)
        text += QStringLiteral(" · CPU %1–%2")
                    .arg(q(formatAddress(*device.cpuBase)), q(formatAddress(*device.cpuBase + last)));
    else if (device.xip)
        text += QStringLiteral(" · XIP %1–%2")
                    .arg(q(formatAddress(device.xip->address)), q(formatAddress(device.xip->address + last)));
    else
        text += QStringLiteral(" · not memory-mapped");
    return text;
}

} // namespace flashplan::gui
