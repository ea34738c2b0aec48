// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Bus.h"
#include "CoreSight.h"
#include "CortexM4.h"
#include "Dbgmcu.h"
#include "DebugPort.h"
#include "JtagTap.h"
#include "MemAp.h"
#include "Memory.h"
#include "RemoteBitbangServer.h"
#include "Stm32f4FlashController.h"
#include "TapChain.h"

#include "sim/FlashSimulator.h"

#include <cstdint>
#include <memory>

namespace flashplan::emu {

/// An STM32F407 as OpenOCD's target/stm32f4x.cfg sees it over JTAG, put together:
///  - the chain TDI -> boundary-scan TAP (IR 5 bits, IDCODE 0x06413041) -> Cortex-M4 JTAG-DP TAP
///    (IR 4 bits, IDCODE 0x4ba00477) -> TDO;
///  - AP 0, an AHB-AP (IDR 0x24770011) whose BASE points at the ROM table at 0xe00ff000;
///  - the bus: flash (1 MiB at 0x08000000, aliased at 0), CCM RAM (64 KiB at 0x10000000), system memory
///    with OTP, unique ID and the flash size register (0x1fff7a22 = 1024 KiB), SRAM (128 KiB at
///    0x20000000), the flash controller (0x40023c00), ITM, DWT, FPB, SCS, DBGMCU (IDCODE 0x10076413) and
///    the ROM table.
/// SRST resets the system as SYSRESETREQ does; TRST resets the TAPs.
class Stm32f4Target final : public BitbangDevice {
public:
    static constexpr std::uint32_t kFlashBase = 0x08000000;
    static constexpr std::uint32_t kSramBase = 0x20000000;
    static constexpr std::uint32_t kSramSize = 128 * 1024;
    static constexpr std::uint32_t kCcmBase = 0x10000000;
    static constexpr std::uint32_t kCcmSize = 64 * 1024;
    static constexpr std::uint32_t kSystemMemoryBase = 0x1fff0000;
    static constexpr std::uint32_t kFlashSizeRegister = 0x1fff7a22;
    static constexpr std::uint32_t kFlashRegistersBase = 0x40023c00;
    static constexpr std::uint32_t kRomTableBase = 0xe00ff000;
    static constexpr std::uint32_t kDbgmcuIdcode = 0x10076413;
    static constexpr std::uint32_t kBoundaryScanIdcode = 0x06413041;
    static constexpr std::uint32_t kDapIdcode = 0x4ba00477;
    static constexpr std::uint32_t kAhbApIdr = 0x24770011;

    /// The STM32F407's flash as the device database describes it (board stm32f4_disco, flash0:
    /// 4x16K, 1x64K, 7x128K at 0x08000000).
    static Result<FlashDevice> flashDevice();

    /// `flash` must have the geometry of flashDevice().
    explicit Stm32f4Target(std::unique_ptr<FlashSimulator> flash);

    // BitbangDevice
    void drive(bool tck, bool tms, bool tdi) override;
    bool tdo() override { return chain_.tdo(); }
    void reset(bool trst, bool srst) override;

    /// How long erases and programs take (FlashTiming.h), for the flash controller and the flash loader the
    /// core recognises; instant by default.
    void setFlashTiming(const FlashTiming& timing) {
        flashController_.setTiming(timing);
        core_.setFlashTiming(timing);
    }

    FlashSimulator& flash() { return *flash_; }
    Stm32f4FlashController& flashController() { return flashController_; }
    Bus& bus() { return bus_; }
    CortexM4& core() { return core_; }
    DebugPort& debugPort() { return dp_; }
    MemAp& accessPort() { return ap_; }
    TapChain& chain() { return chain_; }
    Memory& sram() { return sram_; }

private:
    std::unique_ptr<FlashSimulator> flash_;
    Bus bus_;
    Stm32f4FlashController flashController_;
    Memory sram_;
    Memory ccm_;
    Memory systemMemory_;
    Dbgmcu dbgmcu_;
    Itm itm_;
    Dwt dwt_;
    Fpb fpb_;
    CortexM4 core_;
    RomTable romTable_;
    DebugPort dp_;
    MemAp ap_;
    IdcodeOnlyTap boundaryScan_;
    DapTap dapTap_;
    TapChain chain_;
    bool tck_ = false;
    bool srst_ = false;
};

} // namespace flashplan::emu
