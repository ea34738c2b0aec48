// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct libusb_device;

namespace flashplan::usb {

class UsbHandle;

/// One alternate setting of an interface, copied out of libusb's configuration descriptor, with the
/// class-specific descriptors that follow it (`extra`: the DFU functional descriptor lives there).
struct UsbAltSetting {
    std::uint8_t interface = 0;
    std::uint8_t alt = 0;
    std::uint8_t interfaceClass = 0;
    std::uint8_t interfaceSubClass = 0;
    std::uint8_t interfaceProtocol = 0;
    std::uint8_t nameIndex = 0; ///< iInterface
    std::vector<std::uint8_t> extra;
};

/// A configuration: its bConfigurationValue and every alternate setting of every interface.
struct UsbConfig {
    std::uint8_t value = 0;
    std::vector<UsbAltSetting> alts;
    std::vector<std::uint8_t> extra; ///< class-specific descriptors after the configuration descriptor
};

/// A device on the bus, as enumerated: a counted reference to libusb's device, so copies are cheap and
/// the device stays valid while any copy lives (even after it left the bus).
class UsbDevice {
public:
    explicit UsbDevice(libusb_device* device); ///< takes a new reference
    UsbDevice(const UsbDevice& other);
    UsbDevice& operator=(const UsbDevice& other);
    ~UsbDevice();

    std::uint16_t vendorId() const { return vendorId_; }
    std::uint16_t productId() const { return productId_; }
    std::uint8_t manufacturerIndex() const { return iManufacturer_; }
    std::uint8_t productIndex() const { return iProduct_; }
    std::uint8_t serialIndex() const { return iSerial_; }
    std::uint8_t bus() const { return bus_; }
    std::uint8_t address() const { return address_; }
    /// The port numbers from the root hub down, e.g. {1, 2}.
    const std::vector<std::uint8_t>& ports() const { return ports_; }
    /// "1-1.2": the bus and port path as sysfs and dfu-util (-p) write it; stays the same when the device
    /// re-enumerates on the same port, unlike its address.
    std::string path() const;
    /// "0483:df11".
    std::string idText() const;

    /// The active configuration (the first one when the device is not configured). Errors: Errc::Io.
    Result<UsbConfig> activeConfig() const;
    /// Opens the device. Errors: Errc::NoDevice (gone), Errc::Io (access denied, ...).
    Result<std::unique_ptr<UsbHandle>> open() const;

    libusb_device* raw() const { return device_; }
    bool sameAs(const UsbDevice& other) const { return device_ == other.device_; }

private:
    libusb_device* device_;
    std::uint16_t vendorId_ = 0, productId_ = 0;
    std::uint8_t iManufacturer_ = 0, iProduct_ = 0, iSerial_ = 0;
    std::uint8_t bus_ = 0, address_ = 0;
    std::vector<std::uint8_t> ports_;
};

} // namespace flashplan::usb
