// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/DebugProbeLister.h"

#include "backends/openocd/DebugProbe.h"
#include "usb/UsbContext.h"

namespace flashplan::programmer {

namespace {
constexpr std::chrono::milliseconds kStringTimeout{500};
} // namespace

QString DebugProbeLister::busKey(usb::UsbContext& context) {
    // IDs and paths only: comparing them opens no device.
    auto devices = context.devices();
    if (!devices)
        return QString::fromStdString("error: " + devices.error().message);
    QString key;
    for (const usb::UsbDevice& d : *devices)
        key += QString::fromStdString(d.path() + ' ' + d.idText() + ';');
    return key;
}

void DebugProbeLister::list(usb::UsbContext& context, QList<DeviceEntry>& entries, QString& error) {
    auto probes = openocd::listDebugProbes(context, kStringTimeout);
    if (!probes) {
        error = QString::fromStdString(probes.error().message);
        return;
    }
    for (const openocd::DebugProbe& p : *probes)
        entries.append({QString::fromStdString(p.serial), QString::fromStdString(p.description())});
}

} // namespace flashplan::programmer
