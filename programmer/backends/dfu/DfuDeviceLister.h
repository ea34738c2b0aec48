// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "DeviceLister.h"

#include <QTimer>

#include <memory>

namespace flashplan::usb {
class UsbContext;
class HotplugWatch;
} // namespace flashplan::usb

namespace flashplan::programmer {

/// The DFU devices on the bus, the dfu kind's device lister: kept current while watching, on libusb
/// hotplug events where the platform has them, else by comparing the bus every second. Only a change
/// re-reads the devices' strings (which opens each device for a moment), so watching never disturbs a
/// device in use. A device's selector is its VID:PID, or its bus path when two share the VID:PID.
class DfuDeviceLister final : public DeviceLister {
    Q_OBJECT
public:
    explicit DfuDeviceLister(QObject* parent = nullptr);
    ~DfuDeviceLister() override;

    void start() override;
    void stop() override;
    bool watching() const override { return timer_.isActive(); }
    /// True when changes arrive as hotplug events rather than by polling.
    bool usesHotplug() const { return hotplug_ != nullptr; }

    void refresh() override;

private:
    void tick();
    QString busKey();

    QTimer timer_;
    std::unique_ptr<usb::UsbContext> context_;
    std::unique_ptr<usb::HotplugWatch> hotplug_;
    bool dirty_ = false;
    QString lastKey_;
};

} // namespace flashplan::programmer
