// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuDeviceLister.h"

#include "backends/dfu/DfuDevice.h"
#include "usb/UsbContext.h"

#include <map>

namespace flashplan::programmer {

namespace {
constexpr std::chrono::milliseconds kStringTimeout{500};
} // namespace

QString DfuDeviceLister::busKey(usb::UsbContext& context) {
    // Descriptors only: listing without strings opens no device.
    auto list = dfu::listDfuDevices(context, false, kStringTimeout);
    if (!list)
        return QString::fromStdString("error: " + list.error().message);
    QString key;
    for (const dfu::DfuDevice& d : *list)
        key += QString::fromStdString(d.path() + ' ' + d.idText() + (d.runtime ? " r;" : " d;"));
    return key;
}

void DfuDeviceLister::list(usb::UsbContext& context, QList<DeviceEntry>& entries, QString& error) {
    auto list = dfu::listDfuDevices(context, true, kStringTimeout);
    if (!list) {
        error = QString::fromStdString(list.error().message);
        return;
    }
    std::map<std::string, int> sameId;
    for (const dfu::DfuDevice& d : *list)
        ++sameId[d.idText()];
    for (const dfu::DfuDevice& d : *list) {
        // VID:PID survives re-enumeration and reads well; the bus path tells identical boards apart.
        const std::string selector = sameId[d.idText()] > 1 ? d.path() : d.idText();
        entries.append(
            {QString::fromStdString(selector),
             QString::fromStdString(d.description() + (d.runtime ? ", run-time mode" : ", DFU mode"))});
    }
}

} // namespace flashplan::programmer
