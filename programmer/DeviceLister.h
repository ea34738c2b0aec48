// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QString>

namespace flashplan::programmer {

/// One device a backend can reach, as a chooser shows it.
struct DeviceEntry {
    QString selector;    ///< the option value that picks this device (DeviceListing::option)
    QString description; ///< one line for the chooser
    friend bool operator==(const DeviceEntry&, const DeviceEntry&) = default;
};

/// The devices a backend can reach, kept current while watching. A backend that lists devices declares
/// how to make its lister (DeviceListing); a form starts it while that backend is chosen and offers the
/// devices. Implementations call setDevices() with each new listing.
class DeviceLister : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Lists the devices and follows changes until stop(); safe to call twice.
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual bool watching() const = 0;

    const QList<DeviceEntry>& devices() const { return devices_; }
    /// Why the devices could not be listed; empty when they could.
    const QString& error() const { return error_; }

public slots:
    /// Lists the devices now.
    virtual void refresh() = 0;

signals:
    void devicesChanged();

protected:
    /// Replaces the listing; emits devicesChanged() when it differs from the last one.
    void setDevices(QList<DeviceEntry> devices, QString error);

private:
    QList<DeviceEntry> devices_;
    QString error_;
};

} // namespace flashplan::programmer
