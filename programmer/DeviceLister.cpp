// SPDX-License-Identifier: Apache-2.0
#include "DeviceLister.h"

namespace flashplan::programmer {

void DeviceLister::setDevices(QList<DeviceEntry> devices, QString error) {
    if (devices == devices_ && error == error_)
        return;
    devices_ = std::move(devices);
    error_ = std::move(error);
    emit devicesChanged();
}

} // namespace flashplan::programmer
