// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "UsbDeviceLister.h"

namespace flashplan::programmer {

/// The DFU devices on the bus, the dfu kind's device lister (watched as every UsbDeviceLister is). A
/// device's selector is its VID:PID, or its bus path when two share the VID:PID.
class DfuDeviceLister final : public UsbDeviceLister {
    Q_OBJECT
public:
    using UsbDeviceLister::UsbDeviceLister;

protected:
    QString busKey(usb::UsbContext& context) override;
    void list(usb::UsbContext& context, QList<DeviceEntry>& entries, QString& error) override;
};

} // namespace flashplan::programmer
