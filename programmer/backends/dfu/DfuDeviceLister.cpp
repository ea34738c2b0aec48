// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuDeviceLister.h"

#include "backends/dfu/DfuDevice.h"
#include "usb/UsbContext.h"

#include <map>

namespace flashplan::programmer {

namespace {
constexpr std::chrono::milliseconds kStringTimeout{500};
constexpr int kHotplugTickMs = 200; // how often libusb's hotplug events are delivered
constexpr int kPollTickMs = 1000;   // how often the bus is compared without hotplug
} // namespace

DfuDeviceLister::DfuDeviceLister(QObject* parent) : DeviceLister(parent) {
    connect(&timer_, &QTimer::timeout, this, &DfuDeviceLister::tick);
}

DfuDeviceLister::~DfuDeviceLister() {
    stop();
}

void DfuDeviceLister::start() {
    if (watching())
        return;
    if (!context_) {
        auto context = usb::UsbContext::create();
        if (!context) {
            setDevices({}, QString::fromStdString(context.error().message));
            return;
        }
        context_ = std::move(*context);
    }
    if (context_->hasHotplug()) {
        auto watch = context_->watchHotplug([this](const usb::UsbDevice&, bool) { dirty_ = true; });
        if (watch)
            hotplug_ = std::move(*watch);
    }
    timer_.start(hotplug_ ? kHotplugTickMs : kPollTickMs);
    refresh();
}

void DfuDeviceLister::stop() {
    timer_.stop();
    hotplug_.reset();
}

QString DfuDeviceLister::busKey() {
    // Descriptors only: listing without strings opens no device.
    auto list = dfu::listDfuDevices(*context_, false, kStringTimeout);
    if (!list)
        return QString::fromStdString("error: " + list.error().message);
    QString key;
    for (const dfu::DfuDevice& d : *list)
        key += QString::fromStdString(d.path() + ' ' + d.idText() + (d.runtime ? " r;" : " d;"));
    return key;
}

void DfuDeviceLister::tick() {
    if (hotplug_) {
        (void)context_->handleEvents(std::chrono::milliseconds(0));
        if (!dirty_)
            return;
        dirty_ = false;
        refresh();
        return;
    }
    if (busKey() != lastKey_)
        refresh();
}

void DfuDeviceLister::refresh() {
    if (!context_)
        return;
    lastKey_ = busKey();
    auto list = dfu::listDfuDevices(*context_, true, kStringTimeout);
    QList<DeviceEntry> entries;
    QString error;
    if (!list) {
        error = QString::fromStdString(list.error().message);
    } else {
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
    setDevices(std::move(entries), std::move(error));
}

} // namespace flashplan::programmer
