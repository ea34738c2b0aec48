// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "usb/UsbContext.h"
#include "util/Result.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flashplan::programmer::openocd {

/// A debug probe on the USB bus that OpenOCD can drive, and the stock config for it.
struct DebugProbe {
    enum class Kind { CmsisDap, StLink, JLink };
    Kind kind = Kind::CmsisDap;
    usb::UsbDevice usb;
    std::string product; ///< the product string ("Raspberry Pi Debug Probe"), when it could be read
    std::string serial;  ///< the serial number string, as `adapter serial` takes it; empty when it has none
    /// "interface/cmsis-dap.cfg", "interface/stlink.cfg", "interface/jlink.cfg".
    std::string_view interfaceConfig() const;
    /// "CMSIS-DAP probe Raspberry Pi Debug Probe (2e8a:000c), serial E661..., on 1-3".
    std::string description() const;
};

/// "CMSIS-DAP", "ST-Link", "J-Link".
std::string_view to_string(DebugProbe::Kind kind);

/// USB IDs that are debug probes whatever their strings say: what the lister recognises by ID, and the
/// CMSIS-DAP probes common on benches (for udev rules; a CMSIS-DAP probe is otherwise found by its strings).
struct ProbeUsbId {
    DebugProbe::Kind kind;
    std::uint16_t vendorId;
    std::optional<std::uint16_t> productId; ///< nullopt: every product of the vendor
    std::string_view name;
};
std::span<const ProbeUsbId> knownProbeUsbIds();

/// The debug probes on the bus, by bus and port: ST-Link (ST's VID 0483 with an ST-Link product ID) and
/// J-Link (SEGGER's VID 1366) by their IDs; CMSIS-DAP, whatever its IDs, as OpenOCD's cmsis-dap driver
/// finds one: "CMSIS-DAP" in its product string or, for v2, in a vendor-specific interface's string.
/// Only devices with a vendor-specific or HID interface are opened to read strings, so keyboards and
/// disks are left alone; a device that cannot be opened (no permission) is listed only when its IDs
/// tell what it is.
Result<std::vector<DebugProbe>> listDebugProbes(usb::UsbContext& context, std::chrono::milliseconds timeout);

} // namespace flashplan::programmer::openocd
