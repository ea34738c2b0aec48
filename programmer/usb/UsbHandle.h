// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "usb/ControlPipe.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

struct libusb_device_handle;

namespace flashplan::usb {

/// An open device: control transfers, interfaces claimed for the handle's lifetime, string descriptors,
/// reset. Closing releases every claimed interface first.
class UsbHandle final : public ControlPipe {
public:
    ~UsbHandle() override;
    UsbHandle(const UsbHandle&) = delete;
    UsbHandle& operator=(const UsbHandle&) = delete;

    /// Claims an interface (detaching a kernel driver first where the platform allows). Errors: Errc::Io
    /// when another program holds it.
    Result<void> claimInterface(std::uint8_t interface);
    Result<void> setAltSetting(std::uint8_t interface, std::uint8_t alt);
    /// A string descriptor in the device's first language, as UTF-8; "" for index 0.
    Result<std::string> stringDescriptor(std::uint8_t index, std::chrono::milliseconds timeout);
    /// A USB port reset. A device that re-enumerates as another one (DFU detach) is gone afterwards:
    /// that is a success here, and the handle is of no further use.
    Result<void> reset();

    Result<ControlResult> controlIn(const ControlSetup& setup, std::span<std::uint8_t> data,
                                    std::chrono::milliseconds timeout) override;
    Result<ControlResult> controlOut(const ControlSetup& setup, std::span<const std::uint8_t> data,
                                     std::chrono::milliseconds timeout) override;

    /// "0483:df11 at 1-1", for messages.
    const std::string& description() const { return description_; }

private:
    friend class UsbDevice;
    UsbHandle(libusb_device_handle* handle, std::string description);
    Result<ControlResult> transfer(const ControlSetup& setup, std::uint8_t* data, std::size_t length,
                                   std::chrono::milliseconds timeout);

    libusb_device_handle* handle_;
    std::string description_;
    std::vector<std::uint8_t> claimed_;
    std::uint16_t language_ = 0;
};

} // namespace flashplan::usb
