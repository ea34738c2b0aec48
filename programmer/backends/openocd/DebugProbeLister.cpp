// SPDX-License-Identifier: Apache-2.0
#include "backends/openocd/DebugProbeLister.h"

#include "backends/openocd/DebugProbe.h"
#include "usb/UsbContext.h"

namespace flashplan::programmer {

namespace {
constexpr std::chrono::milliseconds kStringTimeout{500};
constexpr int kHotplugTickMs = 200;
constexpr int kPollTickMs = 1000;
} // namespace

DebugProbeLister::DebugProbeLister(QObject* parent) : DeviceLister(parent) {
    connect(&timer_, &QTimer::timeout, this, &DebugProbeLister::tick);
}

DebugProbeLister::~DebugProbeLister() {
    stop();
}

void DebugProbeLister::start() {
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
    if (context_->hasHotplug())
        if (auto watch = context_->watchHotplug([this](const usb::UsbDevice&, bool) { dirty_ = true; }))
            hotplug_ = std::move(*watch);
    timer_.start(hotplug_ ? kHotplugTickMs : kPollTickMs);
    refresh();
}

void DebugProbeLister::stop() {
    timer_.stop();
    hotplug_.reset();
}

QString DebugProbeLister::busKey() {
    // IDs and paths only: comparing them opens no device.
    auto devices = context_->devices();
    if (!devices)
        return QString::fromStdString("error: " + devices.error().message);
    QString key;
    for (const usb::UsbDevice& d : *devices)
        key += QString::fromStdString(d.path() + ' ' + d.idText() + ';');
    return key;
}

void DebugProbeLister::tick() {
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

void DebugProbeLister::refresh() {
    if (!context_)
        return;
    lastKey_ = busKey();
    auto probes = openocd::listDebugProbes(*context_, kStringTimeout);
    QList<DeviceEntry> entries;
    QString error;
    if (!probes)
        error = QString::fromStdString(probes.error().message);
    else
        for (const openocd::DebugProbe& p : *probes)
            entries.append({QString::fromStdString(p.serial), QString::fromStdString(p.description())});
    setDevices(std::move(entries), std::move(error));
}

} // namespace flashplan::programmer
