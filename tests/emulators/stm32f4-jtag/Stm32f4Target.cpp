// SPDX-License-Identifier: Apache-2.0
#include "Stm32f4Target.h"

#include "db/DeviceDatabase.h"

#include <algorithm>

namespace flashplan::emu {

namespace {
constexpr std::uint32_t kSystemMemorySize = 0x7a24; // up to and including the flash size register
constexpr std::uint32_t kOtpOffset = 0x7800;        // 512 OTP bytes and 16 lock bytes, erased
constexpr std::uint32_t kOtpSize = 528;
constexpr std::uint32_t kUniqueIdOffset = 0x7a10;
constexpr std::uint8_t kUniqueId[12] = {0x46, 0x50, 0x4c, 0x4e, 0x2d, 0x45,
                                        0x4d, 0x55, 0x00, 0x00, 0x00, 0x01};
constexpr std::uint16_t kFlashSizeKiB = 1024;
} // namespace

Result<FlashDevice> Stm32f4Target::flashDevice() {
    auto db = DeviceDatabase::builtin();
    if (!db)
        return db.error();
    const Board* board = db->find("stm32f4_disco");
    const FlashDevice* device = board ? board->device("flash0") : nullptr;
    if (!device)
        return makeError(Errc::NotFound, "the device database has no board stm32f4_disco with flash0");
    return *device;
}

Stm32f4Target::Stm32f4Target(std::unique_ptr<FlashSimulator> flash)
    : flash_(std::move(flash)), flashController_(*flash_), sram_(kSramSize, 0, Memory::Access::ReadWrite),
      ccm_(kCcmSize, 0, Memory::Access::ReadWrite),
      systemMemory_(kSystemMemorySize, 0, Memory::Access::ReadOnly), dbgmcu_(kDbgmcuIdcode),
      core_(bus_, kSramBase, kSramBase + kSramSize),
      romTable_(kRomTableBase, {{CortexM4::kScsBase, true},
                                {0xe0001000, true},    // DWT
                                {0xe0002000, true},    // FPB
                                {0xe0000000, true},    // ITM
                                {0xe0040000, false},   // TPIU: not emulated
                                {0xe0041000, false}}), // ETM: not emulated
      ap_(bus_, kAhbApIdr, kRomTableBase | 0x3),       // BASE: ROM table present, ADIv5 format
      boundaryScan_(5, 0b00001, 0b00001, kBoundaryScanIdcode), dapTap_(dp_, kDapIdcode),
      chain_({&boundaryScan_, &dapTap_}) {
    const auto bytes = systemMemory_.bytes();
    std::fill(bytes.begin() + kOtpOffset, bytes.begin() + kOtpOffset + kOtpSize, 0xff);
    std::copy(std::begin(kUniqueId), std::end(kUniqueId), bytes.begin() + kUniqueIdOffset);
    bytes[kFlashSizeRegister - kSystemMemoryBase] = kFlashSizeKiB & 0xff;
    bytes[kFlashSizeRegister - kSystemMemoryBase + 1] = kFlashSizeKiB >> 8;

    const auto flashSize = static_cast<std::uint32_t>(flash_->size());
    bus_.map(0x00000000, flashSize, flashController_.memory()); // boot alias
    bus_.map(kFlashBase, flashSize, flashController_.memory());
    bus_.map(kCcmBase, kCcmSize, ccm_);
    bus_.map(kSystemMemoryBase, kSystemMemorySize, systemMemory_);
    bus_.map(kSramBase, kSramSize, sram_);
    bus_.map(kFlashRegistersBase, 0x400, flashController_);
    bus_.map(0xe0000000, CoreSightComponent::kSize, itm_);
    bus_.map(0xe0001000, CoreSightComponent::kSize, dwt_);
    bus_.map(0xe0002000, CoreSightComponent::kSize, fpb_);
    bus_.map(CortexM4::kScsBase, CoreSightComponent::kSize, core_);
    bus_.map(Dbgmcu::kBase, Dbgmcu::kSize, dbgmcu_);
    bus_.map(kRomTableBase, CoreSightComponent::kSize, romTable_);

    dp_.attach(0, ap_);
    ap_.setTransferObserver([this] { core_.service(); });
    core_.setSystemResetHook([this] { flashController_.reset(); });
    core_.attachFpb(fpb_);
    core_.powerOn();
}

void Stm32f4Target::drive(bool tck, bool tms, bool tdi) {
    if (tck && !tck_)
        chain_.clock(tms, tdi);
    tck_ = tck;
}

void Stm32f4Target::reset(bool trst, bool srst) {
    if (trst)
        chain_.reset();
    if (srst && !srst_)
        core_.systemReset();
    srst_ = srst;
}

} // namespace flashplan::emu
