// SPDX-License-Identifier: Apache-2.0
// The words of USB DFU 1.1 (USB Device Firmware Upgrade Specification, Revision 1.1) and of ST's DfuSe
// extension (UM0424, AN3156): requests, states, status codes, the functional descriptor.
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace flashplan::dfu {

/// Class requests (DFU 1.1 table 3.2).
enum class Request : std::uint8_t {
    Detach = 0,
    Dnload = 1,
    Upload = 2,
    GetStatus = 3,
    ClrStatus = 4,
    GetState = 5,
    Abort = 6,
};

/// bState (DFU 1.1 section 6.1.2).
enum class State : std::uint8_t {
    AppIdle = 0,
    AppDetach = 1,
    DfuIdle = 2,
    DnloadSync = 3,
    DnBusy = 4,
    DnloadIdle = 5,
    ManifestSync = 6,
    Manifest = 7,
    ManifestWaitReset = 8,
    UploadIdle = 9,
    Error = 10,
};

/// bStatus (DFU 1.1 section 6.1.2).
enum class Status : std::uint8_t {
    Ok = 0x00,
    ErrTarget = 0x01,
    ErrFile = 0x02,
    ErrWrite = 0x03,
    ErrErase = 0x04,
    ErrCheckErased = 0x05,
    ErrProg = 0x06,
    ErrVerify = 0x07,
    ErrAddress = 0x08,
    ErrNotDone = 0x09,
    ErrFirmware = 0x0a,
    ErrVendor = 0x0b,
    ErrUsbr = 0x0c,
    ErrPor = 0x0d,
    ErrUnknown = 0x0e,
    ErrStalledPkt = 0x0f,
};

/// "dfuDNBUSY", "appIDLE", ... as the specification names them; "state 42" for others.
std::string stateName(std::uint8_t state);
/// "OK", "errVERIFY", ... ; "status 0x42" for others.
std::string statusName(std::uint8_t status);
/// The specification's sentence for a status ("Programmed memory failed verification").
const char* statusMeaning(std::uint8_t status);

/// The answer to DFU_GETSTATUS (6 bytes).
struct StatusReport {
    std::uint8_t status = 0;
    std::uint32_t pollTimeoutMs = 0; ///< bwPollTimeout: wait this long before the next GETSTATUS
    std::uint8_t state = 0;
    std::uint8_t stringIndex = 0;
    static StatusReport fromBytes(std::span<const std::uint8_t, 6> bytes);
};

/// bcdDFUVersion of DfuSe devices.
inline constexpr std::uint16_t kDfuseVersion = 0x011a;
/// USB interface class and subclass of DFU; protocol 1 is run-time mode, 2 DFU mode.
inline constexpr std::uint8_t kDfuClass = 0xfe;
inline constexpr std::uint8_t kDfuSubClass = 0x01;
inline constexpr std::uint8_t kRuntimeProtocol = 0x01;
inline constexpr std::uint8_t kDfuModeProtocol = 0x02;
/// bDescriptorType of the DFU functional descriptor.
inline constexpr std::uint8_t kFunctionalDescriptorType = 0x21;

/// The DFU functional descriptor (DFU 1.1 section 4.1.3).
struct FunctionalDescriptor {
    bool canDownload = false;           ///< bitCanDnload
    bool canUpload = false;             ///< bitCanUpload
    bool manifestationTolerant = false; ///< bitManifestationTolerant: answers after manifestation
    bool willDetach = false;            ///< bitWillDetach: detaches itself on DFU_DETACH, no USB reset needed
    std::uint16_t detachTimeoutMs = 0;  ///< wDetachTimeOut
    std::uint16_t transferSize = 0;     ///< wTransferSize: the most bytes per DNLOAD/UPLOAD
    std::uint16_t dfuVersion = 0x0100;  ///< bcdDFUVersion (absent in DFU 1.0's 7-byte form)
    bool isDfuse() const { return dfuVersion == kDfuseVersion; }
    std::uint8_t attributes() const;
    /// "1.1a", "1.1", "1.0".
    std::string versionText() const;
};

/// Finds and reads the functional descriptor among class-specific descriptor bytes (an interface's or a
/// configuration's "extra"). nullopt when none is there; Errc::Parse for a truncated one.
Result<std::optional<FunctionalDescriptor>> findFunctionalDescriptor(std::span<const std::uint8_t> extra);

} // namespace flashplan::dfu
