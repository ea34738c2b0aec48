// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backends/dfu/DfuClient.h"
#include "backends/dfu/DfuProtocol.h"
#include "io/DfuseDescriptor.h"
#include "usb/UsbContext.h"
#include "usb/UsbDevice.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flashplan::dfu {

/// One alternate setting of a DFU interface: its number, its name (iInterface) and, for DfuSe, the
/// memory that name describes (or why it could not be read).
struct AltSetting {
    std::uint8_t alt = 0;
    std::string name;
    std::optional<DfuseMemory> memory;
    std::optional<Error> memoryError; ///< a DfuSe device whose name is not a valid memory description
};

/// A device with a DFU interface, as discovery finds it.
struct DfuDevice {
    usb::UsbDevice usb;
    std::string serial, manufacturer, product; ///< string descriptors ("" when the device has none)
    std::uint8_t configuration = 0;
    std::uint8_t interface = 0;
    bool runtime = false; ///< protocol 1: the application runs; DFU_DETACH switches to DFU mode
    FunctionalDescriptor functional;
    std::vector<AltSetting> alts;
    std::optional<Error> stringError; ///< strings could not be read (the device is busy elsewhere)

    std::string idText() const { return usb.idText(); }
    std::string path() const { return usb.path(); }
    /// "0483:df11 STM32  BOOTLOADER (serial 315A28A0B956) at 1-1".
    std::string description() const;
    /// The alt setting with this number or name (names compare exactly, then ignoring case and
    /// surrounding blanks; a DfuSe name also matches by its memory name, "Internal Flash").
    const AltSetting* findAlt(const std::string& numberOrName) const;
};

/// Which device to use: by VID:PID ("0483:df11", hexadecimal), by bus path ("1-1.2", as dfu-util's -p),
/// or by serial number (anything else). Empty: any.
struct DeviceSelector {
    std::optional<std::uint16_t> vendorId, productId;
    std::string path;
    std::string serial;

    /// Errors: Errc::Parse for a VID:PID that is not two hexadecimal numbers of at most 4 digits.
    static Result<DeviceSelector> parse(const std::string& text);
    bool empty() const { return !vendorId && path.empty() && serial.empty(); }
    bool matches(const DfuDevice& device) const;
    std::string toString() const;
};

/// Every DFU interface on the bus (class 0xFE, subclass 0x01, in run-time or DFU mode), by bus and port,
/// with alt setting
/// names and, when `readStrings`, the device's strings: that opens each device for a moment. A device
/// that cannot be opened is listed with stringError set. Errors: the bus cannot be listed.
Result<std::vector<DfuDevice>> listDfuDevices(usb::UsbContext& context, bool readStrings,
                                              std::chrono::milliseconds timeout);

/// Reads the DFU interface of one device (nullopt when it has none).
Result<std::optional<DfuDevice>> describeDfuDevice(const usb::UsbDevice& usb, bool readStrings,
                                                   std::chrono::milliseconds timeout);

/// Switches a run-time device to DFU mode: DFU_DETACH, a USB reset unless the device detaches itself
/// (bitWillDetach), then waits for it to come back in DFU mode on the same port (or with the same serial
/// number) within its wDetachTimeOut plus `reenumeration`. Returns the device in DFU mode.
Result<DfuDevice> detachToDfuMode(usb::UsbContext& context, const DfuDevice& runtime,
                                  const Timeouts& timeouts, std::chrono::milliseconds reenumeration,
                                  usb::Discovery discovery, const StopFn& stop);

} // namespace flashplan::dfu
