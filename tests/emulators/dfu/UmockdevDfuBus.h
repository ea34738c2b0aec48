// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "EmulatedDfuDevice.h"
#include "UmockdevUsbBus.h"

#include <memory>

namespace flashplan::emu {

/// How to plug an emulated device in.
struct PlugOptions {
    bool runtime = false; ///< start in run-time mode (the application runs; DFU_DETACH switches)
    double timeScale = 0; ///< how long operations take, as a fraction of the profile's timing
};

/// A UmockdevUsbBus on which DFU devices are plugged by profile: the bus serves them (usbfs ioctls,
/// vanishing, re-enumeration of a detached run-time device in DFU mode at a new address on the same
/// port); this only makes the device. The process must run under umockdev's preload library
/// (FLASHPLAN_UMOCKDEV_TEST_MAIN); dfu-util and flashplan-cli started by a test see the same devices.
class UmockdevDfuBus : public UmockdevUsbBus {
public:
    using UmockdevUsbBus::plug;
    /// Plugs a device in at the next port; it stays owned by the bus.
    EmulatedDfuDevice& plug(const DfuDeviceProfile& profile, const PlugOptions& options = {}) {
        return plug(std::make_unique<EmulatedDfuDevice>(profile, options.runtime, options.timeScale));
    }
};

} // namespace flashplan::emu
