// SPDX-License-Identifier: Apache-2.0
#include "DfuDeviceProfile.h"

#include "io/DfuseDescriptor.h"

#include <stdexcept>

namespace flashplan::emu {

namespace {

/// The memory a DfuSe name describes, as the flash behind the alt setting (profiles are fixed data:
/// a name that does not parse is a bug in this file).
EmulatedAlt dfuseAlt(const std::string& name, const std::string& id) {
    auto memory = parseDfuseDescriptor(name);
    if (!memory)
        throw std::logic_error(memory.error().toString());
    auto devices = flashDevicesFromDfuse(*memory, id);
    if (!devices || devices->size() != 1)
        throw std::logic_error("one region per emulated alt setting: " + name);
    return {name, devices->front(), memory->regions.front().address};
}

} // namespace

DfuDeviceProfile stm32f4Bootloader() {
    DfuDeviceProfile p;
    p.kind = "stm32f4";
    p.vendorId = 0x0483;
    p.productId = 0xdf11;
    p.bcdDevice = 0x2200;
    p.manufacturer = "STMicroelectronics";
    p.product = "STM32  BOOTLOADER";
    p.serial = "315A28A0B956";
    p.attributes = 0x0b; // will detach, manifestation intolerant, upload, download
    p.detachTimeoutMs = 255;
    p.transferSize = 2048;
    p.dfuVersion = 0x011a;
    p.alts = {dfuseAlt("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", "flash0"),
              dfuseAlt("@Option Bytes  /0x1FFFC000/01*016 g", "option_bytes"),
              dfuseAlt("@OTP Memory /0x1FFF7800/01*512 g,01*016 g", "otp"),
              dfuseAlt("@Device Feature/0xFFFF0000/01*004 g", "feature")};
    p.runtimeProductId = 0x5740;
    p.runtimeProduct = "STM32 application";
    return p;
}

DfuDeviceProfile sparkCore() {
    DfuDeviceProfile p;
    p.kind = "spark";
    p.vendorId = 0x1d50;
    p.productId = 0x607f;
    p.manufacturer = "Spark Devices";
    p.product = "CORE DFU";
    p.serial = "8D7028785754";
    p.attributes = 0x0b;
    p.detachTimeoutMs = 255;
    p.transferSize = 1024;
    p.dfuVersion = 0x011a;
    p.alts = {dfuseAlt("@Internal Flash  /0x08000000/20*001Ka,108*001Kg", "flash0"),
              dfuseAlt("@SPI Flash : SST25x/0x00000000/512*04Kg", "sst25vf016b")};
    // STM32F103: a 1 KiB page erases in 20-40 ms, a half-word programs in 52 us (DS5319).
    p.timing.eraseBase = std::chrono::microseconds(0);
    p.timing.erasePerKiB = std::chrono::microseconds(20000);
    p.timing.programPerWord = std::chrono::microseconds(26);
    p.runtimeProductId = 0x607d;
    p.runtimeProduct = "Spark Core";
    return p;
}

DfuDeviceProfile plainDfu() {
    DfuDeviceProfile p;
    p.kind = "plain";
    p.vendorId = 0x1209;
    p.productId = 0x0001;
    p.bcdDevice = 0x0100;
    p.manufacturer = "Flashplan";
    p.product = "Plain DFU test device";
    p.serial = "PLAIN0001";
    p.attributes = 0x07; // manifestation tolerant, upload, download; needs a USB reset to detach
    p.detachTimeoutMs = 1000;
    p.transferSize = 1024;
    p.dfuVersion = 0x0110;
    FlashDevice image;
    image.id = "image";
    image.name = "image";
    image.sectors = *SectorMap::uniform(32, 4096);
    p.alts = {{"image", image, 0}};
    p.runtimeProductId = 0x0002;
    p.runtimeProduct = "Plain DFU test application";
    return p;
}

} // namespace flashplan::emu
