// SPDX-License-Identifier: Apache-2.0
#include "usb/UsbDevice.h"

#include "usb/UsbError.h"
#include "usb/UsbHandle.h"

#include <libusb.h>

#include <cstdio>

namespace flashplan::usb {

UsbDevice::UsbDevice(libusb_device* device) : device_(libusb_ref_device(device)) {
    libusb_device_descriptor d{};
    if (libusb_get_device_descriptor(device_, &d) == 0) {
        vendorId_ = d.idVendor;
        productId_ = d.idProduct;
        iManufacturer_ = d.iManufacturer;
        iProduct_ = d.iProduct;
        iSerial_ = d.iSerialNumber;
    }
    bus_ = libusb_get_bus_number(device_);
    address_ = libusb_get_device_address(device_);
    std::uint8_t ports[8];
    const int n = libusb_get_port_numbers(device_, ports, sizeof ports);
    if (n > 0)
        ports_.assign(ports, ports + n);
}

UsbDevice::UsbDevice(const UsbDevice& other) : UsbDevice(other.device_) {
}

UsbDevice& UsbDevice::operator=(const UsbDevice& other) {
    if (this != &other) {
        UsbDevice copy(other);
        std::swap(device_, copy.device_);
        vendorId_ = other.vendorId_;
        productId_ = other.productId_;
        iManufacturer_ = other.iManufacturer_;
        iProduct_ = other.iProduct_;
        iSerial_ = other.iSerial_;
        bus_ = other.bus_;
        address_ = other.address_;
        ports_ = other.ports_;
    }
    return *this;
}

UsbDevice::~UsbDevice() {
    libusb_unref_device(device_);
}

std::string UsbDevice::path() const {
    std::string out = std::to_string(bus_);
    for (std::size_t i = 0; i < ports_.size(); ++i)
        out += (i == 0 ? "-" : ".") + std::to_string(ports_[i]);
    return out;
}

std::string UsbDevice::idText() const {
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", vendorId_, productId_);
    return text;
}

Result<UsbConfig> UsbDevice::activeConfig() const {
    libusb_config_descriptor* c = nullptr;
    int rc = libusb_get_active_config_descriptor(device_, &c);
    if (rc == LIBUSB_ERROR_NOT_FOUND)
        rc = libusb_get_config_descriptor(device_, 0, &c);
    if (rc != 0)
        return usbError(rc, "configuration descriptor of " + idText() + " at " + path());
    UsbConfig config;
    config.value = c->bConfigurationValue;
    config.extra.assign(c->extra, c->extra + c->extra_length);
    for (int i = 0; i < c->bNumInterfaces; ++i) {
        const libusb_interface& interface = c->interface[i];
        for (int a = 0; a < interface.num_altsetting; ++a) {
            const libusb_interface_descriptor& d = interface.altsetting[a];
            UsbAltSetting alt;
            alt.interface = d.bInterfaceNumber;
            alt.alt = d.bAlternateSetting;
            alt.interfaceClass = d.bInterfaceClass;
            alt.interfaceSubClass = d.bInterfaceSubClass;
            alt.interfaceProtocol = d.bInterfaceProtocol;
            alt.nameIndex = d.iInterface;
            alt.extra.assign(d.extra, d.extra + d.extra_length);
            config.alts.push_back(std::move(alt));
        }
    }
    libusb_free_config_descriptor(c);
    return config;
}

Result<std::unique_ptr<UsbHandle>> UsbDevice::open() const {
    libusb_device_handle* handle = nullptr;
    if (const int rc = libusb_open(device_, &handle); rc != 0)
        return usbError(rc, "open " + idText() + " at " + path());
    return std::unique_ptr<UsbHandle>(new UsbHandle(handle, idText() + " at " + path()));
}

} // namespace flashplan::usb
