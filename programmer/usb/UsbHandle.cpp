// SPDX-License-Identifier: Apache-2.0
#include "usb/UsbHandle.h"

#include "usb/UsbError.h"

#include <libusb.h>

#include <algorithm>
#include <limits>

namespace flashplan::usb {

namespace {

unsigned int timeoutMs(std::chrono::milliseconds timeout) {
    // libusb takes 0 as "forever": never hand it that.
    return static_cast<unsigned int>(
        std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 1, std::numeric_limits<int>::max()));
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
}

} // namespace

UsbHandle::UsbHandle(libusb_device_handle* handle, std::string description)
    : handle_(handle), description_(std::move(description)) {
}

UsbHandle::~UsbHandle() {
    for (std::uint8_t interface : claimed_)
        libusb_release_interface(handle_, interface);
    libusb_close(handle_);
}

Result<void> UsbHandle::claimInterface(std::uint8_t interface) {
    libusb_set_auto_detach_kernel_driver(handle_, 1);
    if (const int rc = libusb_claim_interface(handle_, interface); rc != 0)
        return usbError(rc, "claim interface " + std::to_string(interface) + " of " + description_);
    claimed_.push_back(interface);
    return {};
}

Result<void> UsbHandle::setAltSetting(std::uint8_t interface, std::uint8_t alt) {
    if (const int rc = libusb_set_interface_alt_setting(handle_, interface, alt); rc != 0)
        return usbError(rc, "select alt setting " + std::to_string(alt) + " of " + description_);
    return {};
}

Result<std::string> UsbHandle::stringDescriptor(std::uint8_t index, std::chrono::milliseconds timeout) {
    if (index == 0)
        return std::string();
    std::uint8_t buffer[255];
    const std::string what = "string descriptor " + std::to_string(index) + " of " + description_;
    if (language_ == 0) {
        const int rc =
            libusb_control_transfer(handle_, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
                                    LIBUSB_DT_STRING << 8, 0, buffer, sizeof buffer, timeoutMs(timeout));
        if (rc < 0)
            return usbError(rc, what);
        if (rc < 4)
            return makeError(Errc::Io, what + ": the device lists no language");
        language_ = static_cast<std::uint16_t>(buffer[2] | buffer[3] << 8);
    }
    const int rc = libusb_control_transfer(handle_, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
                                           static_cast<std::uint16_t>(LIBUSB_DT_STRING << 8 | index),
                                           language_, buffer, sizeof buffer, timeoutMs(timeout));
    if (rc < 0)
        return usbError(rc, what);
    if (rc < 2 || buffer[1] != LIBUSB_DT_STRING)
        return makeError(Errc::Io, what + ": not a string descriptor");
    const int length = std::min<int>(rc, buffer[0]);
    std::string text;
    for (int i = 2; i + 1 < length; i += 2) {
        char32_t c = static_cast<char32_t>(buffer[i] | buffer[i + 1] << 8);
        if (c >= 0xd800 && c < 0xdc00 && i + 3 < length) {
            const char32_t low = static_cast<char32_t>(buffer[i + 2] | buffer[i + 3] << 8);
            if (low >= 0xdc00 && low < 0xe000) {
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                i += 2;
            }
        }
        appendUtf8(text, c);
    }
    return text;
}

Result<void> UsbHandle::reset() {
    const int rc = libusb_reset_device(handle_);
    if (rc == 0 || rc == LIBUSB_ERROR_NOT_FOUND || rc == LIBUSB_ERROR_NO_DEVICE)
        return {};
    return usbError(rc, "reset " + description_);
}

Result<ControlResult> UsbHandle::transfer(const ControlSetup& setup, std::uint8_t* data, std::size_t length,
                                          std::chrono::milliseconds timeout) {
    if (length > 0xffff)
        return makeError(Errc::InvalidArgument, "a control transfer carries at most 65535 bytes");
    const int rc =
        libusb_control_transfer(handle_, setup.requestType, setup.request, setup.value, setup.index, data,
                                static_cast<std::uint16_t>(length), timeoutMs(timeout));
    if (rc == LIBUSB_ERROR_PIPE)
        return ControlResult{0, true};
    if (rc < 0)
        return usbError(rc, "control request " + std::to_string(setup.request) + " to " + description_);
    return ControlResult{static_cast<std::size_t>(rc), false};
}

Result<ControlResult> UsbHandle::controlIn(const ControlSetup& setup, std::span<std::uint8_t> data,
                                           std::chrono::milliseconds timeout) {
    return transfer(setup, data.data(), data.size(), timeout);
}

Result<ControlResult> UsbHandle::controlOut(const ControlSetup& setup, std::span<const std::uint8_t> data,
                                            std::chrono::milliseconds timeout) {
    // libusb takes a non-const buffer for both directions; it does not write to an OUT buffer.
    return transfer(setup, const_cast<std::uint8_t*>(data.data()), data.size(), timeout);
}

} // namespace flashplan::usb
