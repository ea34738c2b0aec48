// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace flashplan::usb {
class UsbContext;
class HotplugWatch;
} // namespace flashplan::usb

namespace flashplan::programmer {

/// One DFU device as a device picker shows it.
struct DfuDeviceEntry {
    QString selector;    ///< what BackendOptions::device takes: VID:PID, or the bus path when two share it
    QString description; ///< "0483:df11 STM32  BOOTLOADER (serial …) at 1-1", and its mode
    friend bool operator==(const DfuDeviceEntry&, const DfuDeviceEntry&) = default;
};

/// The DFU devices on the bus, kept current while watching: on libusb hotplug events where the platform
/// has them, else by comparing the bus every second. Only a change re-reads the devices' strings (which
/// opens each device for a moment), so watching never disturbs a device in use.
class DfuDeviceWatcher : public QObject {
    Q_OBJECT
public:
    explicit DfuDeviceWatcher(QObject* parent = nullptr);
    ~DfuDeviceWatcher() override;

    /// Lists the devices and follows changes until stop(); safe to call twice.
    void start();
    void stop();
    bool watching() const { return timer_.isActive(); }
    /// True when changes arrive as hotplug events rather than by polling.
    bool usesHotplug() const { return hotplug_ != nullptr; }

    const QList<DfuDeviceEntry>& devices() const { return devices_; }
    /// Why the bus could not be listed (no USB support); empty when it could.
    const QString& error() const { return error_; }

public slots:
    /// Lists the devices now.
    void refresh();

signals:
    void devicesChanged();

private:
    void tick();
    QString busKey();

    QTimer timer_;
    std::unique_ptr<usb::UsbContext> context_;
    std::unique_ptr<usb::HotplugWatch> hotplug_;
    bool dirty_ = false;
    QString lastKey_;
    QList<DfuDeviceEntry> devices_;
    QString error_;
};

} // namespace flashplan::programmer
