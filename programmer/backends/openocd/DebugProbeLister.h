// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "UsbDeviceLister.h"

namespace flashplan::programmer {

/// The debug probes on the bus (openocd::listDebugProbes()), the openocd kind's device lister (watched
/// as every UsbDeviceLister is): each probe's selector is its serial number, which fills the Probe serial
/// option (`adapter serial`).
class DebugProbeLister final : public UsbDeviceLister {
    Q_OBJECT
public:
    using UsbDeviceLister::UsbDeviceLister;

protected:
    QString busKey(usb::UsbContext& context) override;
    void list(usb::UsbContext& context, QList<DeviceEntry>& entries, QString& error) override;
};

} // namespace flashplan::programmer
