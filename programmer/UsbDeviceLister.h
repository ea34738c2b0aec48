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

/// A lister of USB devices kept current while watching: on libusb hotplug events where the platform has
/// them, else by comparing a cheap key of the bus every second. Only a change lists again (which may open
/// devices to read their strings), so watching never disturbs a device in use. A backend's lister says
/// what the key is and how to list.
class UsbDeviceLister : public DeviceLister {
    Q_OBJECT
public:
    explicit UsbDeviceLister(QObject* parent = nullptr);
    ~UsbDeviceLister() override;

    void start() override;
    void stop() override;
    bool watching() const override { return timer_.isActive(); }
    /// True when changes arrive as hotplug events rather than by polling.
    bool usesHotplug() const { return hotplug_ != nullptr; }

    void refresh() override;

protected:
    /// What tells one state of the bus from another without opening a device (paths and IDs).
    virtual QString busKey(usb::UsbContext& context) = 0;
    /// The devices as the chooser shows them, or why they cannot be listed.
    virtual void list(usb::UsbContext& context, QList<DeviceEntry>& entries, QString& error) = 0;

private:
    void tick();

    QTimer timer_;
    std::unique_ptr<usb::UsbContext> context_;
    std::unique_ptr<usb::HotplugWatch> hotplug_;
    bool dirty_ = false;
    QString lastKey_;
};

} // namespace flashplan::programmer
