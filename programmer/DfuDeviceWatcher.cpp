// SPDX-License-Identifier: Apache-2.0
#include "DfuDeviceWatcher.h"

#include "backends/dfu/DfuDevice.h"
#include "usb/UsbContext.h"

#include <map>

namespace flashplan::programmer {

namespace {
constexpr std::chrono::milliseconds kStringTimeout{500};
constexpr int kHotplugTickMs = 200; // how often libusb's hotplug events are delivered
constexpr int kPollTickMs = 1000;   // how often the bus is compared without hotplug
} // namespace

DfuDeviceWatcher::DfuDeviceWatcher(QObject* parent) : QObject(parent) {
    connect(&timer_, &QTimer::timeout, this, &DfuDeviceWatcher::tick);
}

DfuDeviceWatcher::~DfuDeviceWatcher() {
    stop();
}

void DfuDeviceWatcher::start() {
    if (watching())
        return;
    if (!context_) {
        auto context = usb::UsbContext::create();
        if (!context) {
            error_ = QString::fromStdString(context.error().message);
            emit devicesChanged();
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

void DfuDeviceWatcher::stop() {
    timer_.stop();
    hotplug_.reset();
}

QString DfuDeviceWatcher::busKey() {
    // Descriptors only: listing without strings opens no device.
    auto list = dfu::listDfuDevices(*context_, false, kStringTimeout);
    if (!list)
        return QString::fromStdString("error: " + list.error().message);
    QString key;
    for (const dfu::DfuDevice& d : *list)
        key += QString::fromStdString(d.path() + ' ' + d.idText() + (d.runtime ? " r;" : " d;"));
    return key;
}

void DfuDeviceWatcher::tick() {
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

void DfuDeviceWatcher::refresh() {
    if (!context_)
        return;
    lastKey_ = busKey();
    auto list = dfu::listDfuDevices(*context_, true, kStringTimeout);
    QList<DfuDeviceEntry> entries;
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
    if (entries == devices_ && error == error_)
        return;
    devices_ = std::move(entries);
    error_ = std::move(error);
    emit devicesChanged();
}

} // namespace flashplan::programmer
