// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/FlashDevice.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace flashplan::emu {

/// One alternate setting of an emulated DFU device: its name (iInterface) and the memory behind it.
/// DfuSe alt settings are addressed: `address` is where the memory's offset 0 is. A plain DFU alt setting
/// takes and returns one stream from the start of its memory.
struct EmulatedAlt {
    std::string name;
    FlashDevice memory;
    std::uint64_t address = 0;
};

/// How long the device stays busy, per operation. The defaults are the STM32F405/407 datasheet's
/// typical times at x32 parallelism: a sector erase of 250 ms for 16 KiB and 1 s for 128 KiB (a fixed
/// part plus a part per KiB fits both, and gives 571 ms for the 64 KiB sector), mass erase 8 s, 16 us a
/// word. Scaled by the device's time scale; 0 makes every operation instant.
struct DeviceTiming {
    std::chrono::microseconds eraseBase{143000};
    std::chrono::microseconds erasePerKiB{6696};
    std::chrono::microseconds programPerWord{16};
    std::chrono::microseconds massErase{8000000};
    std::chrono::microseconds command{0}; ///< set address and the like
    std::chrono::microseconds manifest{1000};
    /// How fast a control request's data stage crosses the bus, in bytes a second; 0 (the default) makes
    /// it instant. A full-speed device moves at most 832,000 bytes a second this way (USB 2.0, table
    /// 5-9: thirteen 64-byte transactions a frame): what a real STM32 bootloader's upload costs at best.
    /// Not scaled by the time scale.
    std::uint32_t busBytesPerSecond = 0;

    std::chrono::microseconds erase(std::uint64_t bytes) const {
        return eraseBase + erasePerKiB * static_cast<std::int64_t>(bytes / 1024);
    }
};

/// Everything that makes one kind of emulated device: identity, strings, DFU attributes, memories.
struct DfuDeviceProfile {
    std::string kind;
    std::uint16_t vendorId = 0, productId = 0, bcdDevice = 0x0200;
    std::string manufacturer, product, serial;
    std::uint8_t attributes = 0x0b; ///< bmAttributes of the functional descriptor
    std::uint16_t detachTimeoutMs = 255;
    std::uint16_t transferSize = 2048;
    std::uint16_t dfuVersion = 0x011a;
    std::vector<EmulatedAlt> alts;
    std::uint16_t runtimeProductId = 0; ///< the product ID while in run-time mode (the application's)
    std::string runtimeProduct;
    DeviceTiming timing;

    bool isDfuse() const { return dfuVersion == 0x011a; }
};

/// The STM32F4 system bootloader (0483:df11, DfuSe 1.1a, transfer size 2048): alt 0 the F407's 1 MiB
/// of flash (4x16K, 1x64K, 7x128K at 0x08000000), then option bytes, OTP and device feature, with the
/// names the ROM reports.
DfuDeviceProfile stm32f4Bootloader();
/// A Spark Core in its DfuSe bootloader (1d50:607f): alt 0 internal flash with 20 read-only pages,
/// alt 1 the 2 MiB SST25 SPI flash at 0.
DfuDeviceProfile sparkCore();
/// A plain DFU 1.1 device (pid.codes test ID 1209:0001): one alt setting "image", 128 KiB in 4 KiB
/// sectors, written as a stream from its start, manifestation tolerant, transfer size 1024.
DfuDeviceProfile plainDfu();

} // namespace flashplan::emu
