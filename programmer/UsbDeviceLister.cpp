// SPDX-License-Identifier: Apache-2.0
#include "UsbDeviceLister.h"

#include "usb/UsbContext.h"

namespace flashplan::programmer {

namespace {
constexpr int kHotplugTickMs = 200; // how often libusb's hotplug events are delivered
constexpr int kPollTickMs = 1000;   // how often the bus is compared without hotplug
} // namespace

UsbDeviceLister::UsbDeviceLister(QObject* parent) : DeviceLister(parent) {
    connect(&timer_, &QTimer::timeout, this, &UsbDeviceLister::tick);
}

UsbDeviceLister::~UsbDeviceLister() {
    stop();
}

void UsbDeviceLister::start() {
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

void UsbDeviceLister::stop() {
    timer_.stop();
    hotplug_.reset();
}

void UsbDeviceLister::tick() {
    if (hotplug_) {
        (void)context_->handleEvents(std::chrono::milliseconds(0));
        if (!dirty_)
            return;
        dirty_ = false;
        refresh();
        return;
    }
    if (busKey(*context_) != lastKey_)
        refresh();
}

void UsbDeviceLister::refresh() {
    if (!context_)
        return;
    lastKey_ = busKey(*context_);
    QList<DeviceEntry> entries;
    QString error;
    list(*context_, entries, error);
    setDevices(std::move(entries), std::move(error));
}

} // namespace flashplan::programmer
