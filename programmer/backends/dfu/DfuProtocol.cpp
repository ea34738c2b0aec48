// SPDX-License-Identifier: Apache-2.0
#include "backends/dfu/DfuProtocol.h"

#include "util/Numbers.h"

#include <array>

namespace flashplan::dfu {

namespace {

constexpr std::array<const char*, 11> kStateNames{"appIDLE",          "appDETACH",   "dfuIDLE",
                                                  "dfuDNLOAD-SYNC",   "dfuDNBUSY",   "dfuDNLOAD-IDLE",
                                                  "dfuMANIFEST-SYNC", "dfuMANIFEST", "dfuMANIFEST-WAIT-RESET",
                                                  "dfuUPLOAD-IDLE",   "dfuERROR"};

struct StatusText {
    const char* name;
    const char* meaning;
};
constexpr std::array<StatusText, 16> kStatus{{
    {"OK", "No error condition is present"},
    {"errTARGET", "File is not targeted for use by this device"},
    {"errFILE", "File is for this device but fails some vendor-specific verification test"},
    {"errWRITE", "Device is unable to write memory"},
    {"errERASE", "Memory erase function failed"},
    {"errCHECK_ERASED", "Memory erase check failed"},
    {"errPROG", "Program memory function failed"},
    {"errVERIFY", "Programmed memory failed verification"},
    {"errADDRESS", "Cannot program memory due to received address that is out of range"},
    {"errNOTDONE",
     "Received a zero-length DFU_DNLOAD, but the device does not think it has all of the data yet"},
    {"errFIRMWARE", "Device's firmware is corrupt; it cannot return to run-time (non-DFU) operations"},
    {"errVENDOR", "The device's string describes a vendor-specific error"},
    {"errUSBR", "Device detected unexpected USB reset signaling"},
    {"errPOR", "Device detected unexpected power on reset"},
    {"errUNKNOWN", "Something went wrong, but the device does not know what it was"},
    {"errSTALLEDPKT", "Device stalled an unexpected request"},
}};

} // namespace

std::string stateName(std::uint8_t state) {
    if (state < kStateNames.size())
        return kStateNames[state];
    return "state " + std::to_string(state);
}

std::string statusName(std::uint8_t status) {
    if (status < kStatus.size())
        return kStatus[status].name;
    return "status " + formatHex(status);
}

const char* statusMeaning(std::uint8_t status) {
    if (status < kStatus.size())
        return kStatus[status].meaning;
    return "a status code DFU 1.1 does not define";
}

StatusReport StatusReport::fromBytes(std::span<const std::uint8_t, 6> b) {
    return {b[0], static_cast<std::uint32_t>(b[1] | b[2] << 8 | b[3] << 16), b[4], b[5]};
}

std::uint8_t FunctionalDescriptor::attributes() const {
    return static_cast<std::uint8_t>((canDownload ? 1 : 0) | (canUpload ? 2 : 0) |
                                     (manifestationTolerant ? 4 : 0) | (willDetach ? 8 : 0));
}

std::string FunctionalDescriptor::versionText() const {
    std::string text = std::to_string(dfuVersion >> 8) + "." + std::to_string((dfuVersion >> 4) & 0xf);
    if ((dfuVersion & 0xf) != 0)
        text += static_cast<char>((dfuVersion & 0xf) < 10 ? '0' + (dfuVersion & 0xf)
                                                          : 'a' + (dfuVersion & 0xf) - 10);
    return text;
}

Result<std::optional<FunctionalDescriptor>> findFunctionalDescriptor(std::span<const std::uint8_t> extra) {
    std::size_t at = 0;
    while (at + 2 <= extra.size()) {
        const std::size_t length = extra[at];
        if (length < 2 || at + length > extra.size())
            return makeError(Errc::Parse, "a class-specific descriptor of length " + std::to_string(length) +
                                              " runs past the end of its configuration");
        if (extra[at + 1] == kFunctionalDescriptorType) {
            // DFU 1.0 devices send 7 bytes, without bcdDFUVersion.
            if (length < 7)
                return makeError(Errc::Parse, "the DFU functional descriptor has " + std::to_string(length) +
                                                  " bytes, fewer than the 7 of DFU 1.0");
            const std::uint8_t* d = extra.data() + at;
            FunctionalDescriptor f;
            f.canDownload = d[2] & 1;
            f.canUpload = d[2] & 2;
            f.manifestationTolerant = d[2] & 4;
            f.willDetach = d[2] & 8;
            f.detachTimeoutMs = static_cast<std::uint16_t>(d[3] | d[4] << 8);
            f.transferSize = static_cast<std::uint16_t>(d[5] | d[6] << 8);
            if (length >= 9)
                f.dfuVersion = static_cast<std::uint16_t>(d[7] | d[8] << 8);
            return std::optional<FunctionalDescriptor>(f);
        }
        at += length;
    }
    return std::optional<FunctionalDescriptor>();
}

} // namespace flashplan::dfu
