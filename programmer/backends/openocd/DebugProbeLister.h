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

/// The debug probes on the bus (openocd::listDebugProbes()), the openocd kind's device lister: each
/// probe's selector is its serial number, which fills the Probe serial option (`adapter serial`). Kept
/// current on libusb hotplug events, else by comparing the bus's IDs every second; only a change opens
/// devices to read their strings, so a probe in use is not disturbed.
class DebugProbeLister final : public DeviceLister {
    Q_OBJECT
public:
    explicit DebugProbeLister(QObject* parent = nullptr);
    ~DebugProbeLister() override;

    void start() override;
    void stop() override;
    bool watching() const override { return timer_.isActive(); }
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
