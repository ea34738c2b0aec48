// SPDX-License-Identifier: Apache-2.0
//
// Pins the geometry of every board in the built-in device database (resources/devices/*.xml), so
// that a wrong sector map is caught as a bug, and the errors DeviceDatabase::addXml reports.
//
// The expected values below are NOT copied from the XML files. Each one was established from the
// hardware documentation and from Zephyr's devicetree for the part (the source is named next to
// every row). Where the two ever disagree, this file is the one that states the hardware fact.

#include "db/DeviceDatabase.h"
#include "model/Board.h"
#include "model/FlashDevice.h"
#include "model/SectorMap.h"
#include "util/Error.h"

#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace flashplan;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;

using Runs = std::vector<SectorRun>;
using Offsets = std::vector<std::uint64_t>;

/// sectorAt(at) must return `sector` (index, offset, size).
struct Probe {
    std::uint64_t at = 0;
    Sector sector;
};

/// What one flash device of one board must look like.
struct ExpectedDevice {
    const char* board = "";
    const char* device = "";
    FlashKind kind = FlashKind::Internal;
    std::uint64_t size = 0;
    std::uint64_t sectorCount = 0;
    Runs runs; ///< in address order, adjacent equal sizes merged
    std::uint32_t writeBlock = 1;
    std::optional<std::uint64_t> cpuBase; ///< CPU address of offset 0 when memory-mapped
    std::optional<XipWindow> xip;
    Offsets boundaries;    ///< offsets that must start a sector (or be the end)
    Offsets notBoundaries; ///< offsets that must fall inside a sector
    std::vector<Probe> probes;
};

/// What one board must look like as a whole.
struct ExpectedBoard {
    const char* id = "";
    const char* socPrefix = "";         ///< board->soc starts with this
    std::vector<std::string> deviceIds; ///< in the order the board lists them
};

// ---------------------------------------------------------------------------------------------
// Boards. The SoC and the set of flash devices of each board, from the board's user guide.
// ---------------------------------------------------------------------------------------------
const std::vector<ExpectedBoard>& expectedBoards() {
    static const std::vector<ExpectedBoard> boards = {
        // SAM D21 Xplained Pro user guide: ATSAMD21J18A, no external flash.
        {"atsamd21_xpro", "ATSAMD21J18", {"flash0"}},
        // UM2153 (B-L475E-IOT01A): STM32L475VG + Macronix MX25R6435F on QUADSPI.
        {"disco_l475_iot1", "STM32L475", {"flash0", "mx25r6435f"}},
        // ESP32-DevKitC with the ESP32-WROOM-32 module (4 MB SPI flash inside the module).
        {"esp32_devkitc_wroom", "ESP32", {"flash0"}},
        // MIMXRT1060-EVK: flashless i.MX RT1062 + ISSI IS25WP064A on FlexSPI.
        {"mimxrt1060_evk", "MIMXRT1062", {"is25wp064"}},
        {"nrf52833dk_nrf52833", "nRF52833", {"flash0"}},
        // nRF52840 DK user guide, "External memory": MX25R6435F on QSPI.
        {"nrf52840dk_nrf52840", "nRF52840", {"flash0", "mx25r64"}},
        {"nrf52dk_nrf52832", "nRF52832", {"flash0"}},
        // nRF5340: application core flash, network core flash, and the DK's MX25R6435F on QSPI.
        {"nrf5340dk_nrf5340", "nRF5340", {"flash0", "flash1", "mx25r64"}},
        // nRF9160 DK v0.14.0+: MX25R6435F on SPI (Zephyr nrf9160dk_nrf9160_common_0_14_0.dtsi).
        {"nrf9160dk_nrf9160", "nRF9160", {"flash0", "mx25r64"}},
        {"nucleo_f429zi", "STM32F429", {"flash0"}},
        {"nucleo_g071rb", "STM32G071", {"flash0"}},
        {"nucleo_h743zi", "STM32H743", {"flash0"}},
        // Particle Photon: P0 module, STM32F205RGY6 (its 1 MB internal flash).
        {"particle_photon", "STM32F205", {"flash0"}},
        // Raspberry Pi Pico: flashless RP2040 + 2 MB Winbond W25Q16JV on QSPI.
        {"rpi_pico", "RP2040", {"flash0"}},
        // Spark Core: STM32F103CB + SST25VF016B on SPI.
        {"spark_core", "STM32F103", {"flash0", "sst25vf016b"}},
        {"stm32f4_disco", "STM32F407", {"flash0"}},
        // UM1907 (32F746GDISCOVERY): STM32F746NG + Micron N25Q128A on QUADSPI.
        {"stm32f746g_disco", "STM32F746", {"flash0", "n25q128a"}},
    };
    return boards;
}

// Geometry shared by several boards.

/// RM0090 Table 5 (STM32F40x/41x) and RM0033 (STM32F2): sectors 0-3 of 16 KB, sector 4 of 64 KB,
/// sectors 5-11 of 128 KB at 0x0800 0000 (Zephyr flash_stm32f4x.c / stm32f2 layout).
ExpectedDevice stm32f4OneMegabyte(const char* board) {
    return ExpectedDevice{
        board,
        "flash0",
        FlashKind::Internal,
        1 * MiB,
        12,
        {{4, 16 * KiB}, {1, 64 * KiB}, {7, 128 * KiB}},
        1,
        0x08000000,
        std::nullopt,
        {0x0, 0x4000, 0x8000, 0xC000, 0x10000, 0x20000, 0x40000, 0x60000, 0x80000, 0xA0000, 0xC0000, 0xE0000,
         0x100000},
        {0x1000, 0x2000, 0x14000, 0x18000, 0x30000, 0x50000, 0xF0000, 0xFFFFF},
        {{0x0, {0, 0x0, 16 * KiB}},
         {0x3FFF, {0, 0x0, 16 * KiB}},
         {0xC000, {3, 0xC000, 16 * KiB}},
         {0x10000, {4, 0x10000, 64 * KiB}},
         {0x1FFFF, {4, 0x10000, 64 * KiB}},
         {0x20000, {5, 0x20000, 128 * KiB}},
         {0x30000, {5, 0x20000, 128 * KiB}},
         {0x80000, {8, 0x80000, 128 * KiB}},
         {0xFFFFF, {11, 0xE0000, 128 * KiB}}},
    };
}

/// Macronix MX25R6435F datasheet: 64 Mbit = 8 MB, 2048 uniform 4 KB sectors.
ExpectedDevice mx25r6435f(const char* board, const char* device, FlashKind kind, std::uint32_t writeBlock,
                          std::optional<XipWindow> xip) {
    return ExpectedDevice{
        board,
        device,
        kind,
        8 * MiB,
        2048,
        {{2048, 4 * KiB}},
        writeBlock,
        std::nullopt,
        xip,
        {0x0, 0x1000, 0x2000, 0x400000, 0x7FF000, 0x800000},
        {0x800, 0xFFF, 0x1001, 0x7FFFFF},
        {{0x0, {0, 0x0, 4 * KiB}},
         {0x1234, {1, 0x1000, 4 * KiB}},
         {0x400000, {1024, 0x400000, 4 * KiB}},
         {0x7FFFFF, {2047, 0x7FF000, 4 * KiB}}},
    };
}

/// nRF52/nRF91 NVMC: 4 kB pages at 0x0000 0000, 32-bit word writes (write block 4).
ExpectedDevice nrfFourKilobytePages(const char* board, std::uint64_t size) {
    const std::uint64_t pages = size / (4 * KiB);
    return ExpectedDevice{
        board,
        "flash0",
        FlashKind::Internal,
        size,
        pages,
        {{pages, 4 * KiB}},
        4,
        0x0,
        std::nullopt,
        {0x0, 0x1000, 0xC000, size / 2, size - 0x1000, size},
        {0x800, 0xFFF, 0xC800, size - 4},
        {{0x0, {0, 0x0, 4 * KiB}},
         {0x1000, {1, 0x1000, 4 * KiB}},
         {0xC7FF, {12, 0xC000, 4 * KiB}},
         {size - 1, {pages - 1, size - 0x1000, 4 * KiB}}},
    };
}

// ---------------------------------------------------------------------------------------------
// Flash devices. One row per board and device.
// ---------------------------------------------------------------------------------------------
const std::vector<ExpectedDevice>& expectedDevices() {
    static const std::vector<ExpectedDevice> devices = {
        // ATSAMD21J18A: SAM D21 datasheet, NVMCTRL: 256 KB = 4096 pages of 64 bytes; a row of 4 pages
        // (256 bytes) is the erase unit, so 1024 rows at 0x0. Zephyr atmel/samd2x.dtsi:
        // write-block-size 4 (corpus arduino_zero truth.json: flash@0, 262144 bytes, write 4).
        ExpectedDevice{
            "atsamd21_xpro",
            "flash0",
            FlashKind::Internal,
            256 * KiB,
            1024,
            {{1024, 256}},
            4,
            0x0,
            std::nullopt,
            {0x0, 0x100, 0x200, 0x2000, 0x3FF00, 0x40000},
            {0x40, 0x80, 0xC0, 0x2040, 0x3FFFF},
            {{0x0, {0, 0x0, 256}},
             {0xFF, {0, 0x0, 256}},
             {0x2000, {32, 0x2000, 256}},
             {0x3FFFF, {1023, 0x3FF00, 256}}},
        },

        // STM32L475VG: RM0351, 1 MB dual bank, 2 KB pages (256 per bank), bank 2 at 0x0808 0000;
        // 64-bit double-word programming. Zephyr st/l4: erase-block-size 2048, write-block-size 8.
        ExpectedDevice{
            "disco_l475_iot1",
            "flash0",
            FlashKind::Internal,
            1 * MiB,
            512,
            {{512, 2 * KiB}},
            8,
            0x08000000,
            std::nullopt,
            {0x0, 0x800, 0x1000, 0x7F800, 0x80000, 0x80800, 0xFF800, 0x100000},
            {0x400, 0x7FC, 0x80400, 0xFFFFF},
            {{0x0, {0, 0x0, 2 * KiB}},
             {0x7FFFF, {255, 0x7F800, 2 * KiB}},
             {0x80000, {256, 0x80000, 2 * KiB}},
             {0xFFFFF, {511, 0xFF800, 2 * KiB}}},
        },
        // UM2153: MX25R6435F on QUADSPI, memory-mapped at 0x9000 0000 (RM0351 memory map;
        // Zephyr disco_l475_iot1.dts reg <0x90000000 DT_SIZE_M(8)>). STM32 QSPI programs bytes.
        mx25r6435f("disco_l475_iot1", "mx25r6435f", FlashKind::Qspi, 1, XipWindow{0x90000000, 8 * MiB}),

        // ESP32-WROOM-32: 4 MB SPI flash, 4 KB sectors. Zephyr espressif/esp32 dtsi and corpus
        // xtensa__esp32 truth.json: flash@0 size 4194304, erase-block 4096, write-block 4. Reached
        // through the cache MMU in 64 KB pages, not a linear window: no CPU base.
        ExpectedDevice{
            "esp32_devkitc_wroom",
            "flash0",
            FlashKind::Spi,
            4 * MiB,
            1024,
            {{1024, 4 * KiB}},
            4,
            std::nullopt,
            std::nullopt,
            {0x0, 0x1000, 0x8000, 0x10000, 0x3FF000, 0x400000},
            {0x800, 0x8800, 0x3FFFFF},
            {{0x0, {0, 0x0, 4 * KiB}},
             {0x8000, {8, 0x8000, 4 * KiB}},
             {0x10FFF, {16, 0x10000, 4 * KiB}},
             {0x3FFFFF, {1023, 0x3FF000, 4 * KiB}}},
        },

        // MIMXRT1060-EVK: IS25WP064A, 64 Mbit = 8 MB (Zephyr mimxrt1060_evk.dts: size 67108864 bits,
        // erase-block-size 4096, write-block-size 1; flexspi AHB window reg <0x60000000 8M>).
        // i.MX RT1060 RM, system memory map: FlexSPI AHB space at 0x6000 0000.
        ExpectedDevice{
            "mimxrt1060_evk",
            "is25wp064",
            FlashKind::Qspi,
            8 * MiB,
            2048,
            {{2048, 4 * KiB}},
            1,
            0x60000000,
            XipWindow{0x60000000, 8 * MiB},
            {0x0, 0x1000, 0x10000, 0x310000, 0x610000, 0x7FF000, 0x800000},
            {0x800, 0x10800, 0x7FFFFF},
            {{0x0, {0, 0x0, 4 * KiB}},
             {0x10000, {16, 0x10000, 4 * KiB}},
             {0x7FFFFF, {2047, 0x7FF000, 4 * KiB}}},
        },

        // nRF52833 PS, "Memory": 512 kB, 128 pages of 4 kB (corpus raytac_mdbt50q_db_33_nrf52833:
        // flash@0 524288, erase 4096, write 4).
        nrfFourKilobytePages("nrf52833dk_nrf52833", 512 * KiB),

        // nRF52840 PS, "Memory": 1 MB, 256 pages of 4 kB (corpus adafruit_itsybitsy_nrf52840:
        // flash@0 1048576, erase 4096, write 4).
        nrfFourKilobytePages("nrf52840dk_nrf52840", 1 * MiB),
        // nRF52840 DK: MX25R6435F on QSPI (Zephyr nrf52840dk dts: size 67108864 bits). nRF52840 PS
        // "QSPI": XIP region at 0x1200 0000; the QSPI WRITE task moves word-aligned multiples of
        // 4 bytes (write block 4).
        mx25r6435f("nrf52840dk_nrf52840", "mx25r64", FlashKind::Qspi, 4, XipWindow{0x12000000, 8 * MiB}),

        // nRF52832 PS, "Memory": 512 kB, 128 pages of 4 kB (corpus ubx_evkninab1_nrf52832:
        // flash@0 524288, erase 4096, write 4).
        nrfFourKilobytePages("nrf52dk_nrf52832", 512 * KiB),

        // nRF5340 PS, application core: 1 MB, 256 pages of 4 kB at 0x0 (corpus nrf5340_audio_dk
        // cpuapp: flash@0 1048576, erase 4096, write 4).
        nrfFourKilobytePages("nrf5340dk_nrf5340", 1 * MiB),
        // nRF5340 PS, network core: 256 kB in 2 kB pages at 0x0100 0000 (Zephyr nrf5340_cpunet.dtsi:
        // flash1 erase-block-size 2048, write-block-size 4; nrf5340_cpunet_qkaa.dtsi:
        // reg <0x01000000 DT_SIZE_K(256)>).
        ExpectedDevice{
            "nrf5340dk_nrf5340",
            "flash1",
            FlashKind::Internal,
            256 * KiB,
            128,
            {{128, 2 * KiB}},
            4,
            0x01000000,
            std::nullopt,
            {0x0, 0x800, 0x1000, 0x20000, 0x3F800, 0x40000},
            {0x400, 0xC00, 0x20400, 0x3FFFF},
            {{0x0, {0, 0x0, 2 * KiB}},
             {0x800, {1, 0x800, 2 * KiB}},
             {0x20000, {64, 0x20000, 2 * KiB}},
             {0x3FFFF, {127, 0x3F800, 2 * KiB}}},
        },
        // nRF5340 DK: MX25R6435F on QSPI (Zephyr nrf5340_cpuapp_common.dtsi); nRF5340 PS: QSPI XIP
        // region at 0x1000 0000 (Zephyr qspi reg-names "qspi_mm" <0x10000000 ...>).
        mx25r6435f("nrf5340dk_nrf5340", "mx25r64", FlashKind::Qspi, 4, XipWindow{0x10000000, 8 * MiB}),

        // nRF9160 PS: 1 MB, 256 pages of 4 kB (corpus sparkfun_thing_plus_nrf9160: flash@0 1048576,
        // erase 4096, write 4).
        nrfFourKilobytePages("nrf9160dk_nrf9160", 1 * MiB),
        // nRF9160 DK v0.14.0+: MX25R6435F as jedec,spi-nor on SPI3 (byte program, write block 1),
        // not memory-mapped.
        mx25r6435f("nrf9160dk_nrf9160", "mx25r64", FlashKind::Spi, 1, std::nullopt),

        // STM32F429ZI: RM0090 Table 6, 2 MB dual bank: bank 1 at 0x0800 0000 and bank 2 at
        // 0x0810 0000, each 4 x 16 KB, 1 x 64 KB, 7 x 128 KB (sectors 0-11 and 12-23). Byte writes.
        ExpectedDevice{
            "nucleo_f429zi",
            "flash0",
            FlashKind::Internal,
            2 * MiB,
            24,
            {{4, 16 * KiB}, {1, 64 * KiB}, {7, 128 * KiB}, {4, 16 * KiB}, {1, 64 * KiB}, {7, 128 * KiB}},
            1,
            0x08000000,
            std::nullopt,
            {0x0, 0x4000, 0xC000, 0x10000, 0x20000, 0xE0000, 0x100000, 0x104000, 0x108000, 0x10C000, 0x110000,
             0x120000, 0x1E0000, 0x200000},
            {0x1000, 0x18000, 0x30000, 0x102000, 0x118000, 0x130000, 0x1FFFFF},
            {{0x0, {0, 0x0, 16 * KiB}},
             {0xFFFFF, {11, 0xE0000, 128 * KiB}},
             {0x100000, {12, 0x100000, 16 * KiB}},
             {0x10C000, {15, 0x10C000, 16 * KiB}},
             {0x110000, {16, 0x110000, 64 * KiB}},
             {0x120000, {17, 0x120000, 128 * KiB}},
             {0x1FFFFF, {23, 0x1E0000, 128 * KiB}}},
        },

        // STM32G071RB: RM0444, 128 KB in 64 pages of 2 KB at 0x0800 0000, double-word programming.
        // Corpus nucleo_g071rb truth.json: flash@8000000 131072, erase 2048, write 8.
        ExpectedDevice{
            "nucleo_g071rb",
            "flash0",
            FlashKind::Internal,
            128 * KiB,
            64,
            {{64, 2 * KiB}},
            8,
            0x08000000,
            std::nullopt,
            {0x0, 0x800, 0x10000, 0x1F800, 0x20000},
            {0x400, 0x10400, 0x1FFFF},
            {{0x0, {0, 0x0, 2 * KiB}}, {0x10000, {32, 0x10000, 2 * KiB}}, {0x1FFFF, {63, 0x1F800, 2 * KiB}}},
        },

        // STM32H743ZI: RM0433, two banks of 1 MB, each 8 sectors of 128 KB, bank 2 at 0x0810 0000;
        // 256-bit flash words (Zephyr st/h7/stm32h743.dtsi: write-block-size 32, erase 128K).
        ExpectedDevice{
            "nucleo_h743zi",
            "flash0",
            FlashKind::Internal,
            2 * MiB,
            16,
            {{16, 128 * KiB}},
            32,
            0x08000000,
            std::nullopt,
            {0x0, 0x20000, 0xE0000, 0x100000, 0x120000, 0x1E0000, 0x200000},
            {0x4000, 0x10000, 0x110000, 0x1FFFFF},
            {{0x0, {0, 0x0, 128 * KiB}},
             {0xFFFFF, {7, 0xE0000, 128 * KiB}},
             {0x100000, {8, 0x100000, 128 * KiB}},
             {0x1FFFFF, {15, 0x1E0000, 128 * KiB}}},
        },

        // Particle Photon, STM32F205RG: RM0033, same sector organization as the F407 (Zephyr
        // st/f2/stm32f2.dtsi write-block-size 1).
        stm32f4OneMegabyte("particle_photon"),

        // Raspberry Pi Pico datasheet: 2 MB W25Q16JV; W25Q16JV datasheet: 512 sectors of 4 KB, page
        // program of 1..256 bytes. RP2040 datasheet, address map: XIP at 0x1000 0000 (a 16 MB
        // window; the 2 MB device appears in its first 2 MB, which is what the database's xip holds). Corpus
        // rpi_pico truth.json: flash@10000000 2097152, erase 4096,
        // write 1.
        ExpectedDevice{
            "rpi_pico",
            "flash0",
            FlashKind::Qspi,
            2 * MiB,
            512,
            {{512, 4 * KiB}},
            1,
            0x10000000,
            XipWindow{0x10000000, 2 * MiB},
            {0x0, 0x1000, 0x100000, 0x1FF000, 0x200000},
            {0x100, 0x800, 0x1FFFFF},
            {{0x0, {0, 0x0, 4 * KiB}},
             {0x100, {0, 0x0, 4 * KiB}},
             {0x100000, {256, 0x100000, 4 * KiB}},
             {0x1FFFFF, {511, 0x1FF000, 4 * KiB}}},
        },

        // Spark Core, STM32F103CB: RM0008, medium density: 128 pages of 1 KB at 0x0800 0000,
        // half-word programming. Corpus nucleo_f103rb truth.json: 131072, erase 1024, write 2.
        ExpectedDevice{
            "spark_core",
            "flash0",
            FlashKind::Internal,
            128 * KiB,
            128,
            {{128, 1 * KiB}},
            2,
            0x08000000,
            std::nullopt,
            {0x0, 0x400, 0x5000, 0x1FC00, 0x20000},
            {0x200, 0x5200, 0x1FFFF},
            {{0x0, {0, 0x0, 1 * KiB}},
             {0x4FFF, {19, 0x4C00, 1 * KiB}},
             {0x5000, {20, 0x5000, 1 * KiB}},
             {0x1FFFF, {127, 0x1FC00, 1 * KiB}}},
        },
        // Spark Core: SST25VF016B, 16 Mbit = 2 MB on SPI; 512 uniform 4 KB sectors, byte program.
        // The Spark bootloader's own DfuSe string agrees: "@SPI Flash : SST25x/0x00000000/512*04Kg".
        ExpectedDevice{
            "spark_core",
            "sst25vf016b",
            FlashKind::Spi,
            2 * MiB,
            512,
            {{512, 4 * KiB}},
            1,
            std::nullopt,
            std::nullopt,
            {0x0, 0x1000, 0x80000, 0x1FF000, 0x200000},
            {0x800, 0x80800, 0x1FFFFF},
            {{0x0, {0, 0x0, 4 * KiB}},
             {0x80000, {128, 0x80000, 4 * KiB}},
             {0x1FFFFF, {511, 0x1FF000, 4 * KiB}}},
        },

        // STM32F4DISCOVERY, STM32F407VG: RM0090 Table 5 (see stm32f4OneMegabyte).
        stm32f4OneMegabyte("stm32f4_disco"),

        // 32F746GDISCOVERY, STM32F746NG: RM0385 Table 3, 4 x 32 KB, 1 x 128 KB, 3 x 256 KB at
        // 0x0800 0000 (AXIM); Zephyr st/f7 dtsi write-block-size 1, reg 1 MB.
        ExpectedDevice{
            "stm32f746g_disco",
            "flash0",
            FlashKind::Internal,
            1 * MiB,
            8,
            {{4, 32 * KiB}, {1, 128 * KiB}, {3, 256 * KiB}},
            1,
            0x08000000,
            std::nullopt,
            {0x0, 0x8000, 0x10000, 0x18000, 0x20000, 0x40000, 0x80000, 0xC0000, 0x100000},
            {0x4000, 0xC000, 0x30000, 0x60000, 0xA0000, 0xFFFFF},
            {{0x0, {0, 0x0, 32 * KiB}},
             {0x18000, {3, 0x18000, 32 * KiB}},
             {0x20000, {4, 0x20000, 128 * KiB}},
             {0x3FFFF, {4, 0x20000, 128 * KiB}},
             {0x40000, {5, 0x40000, 256 * KiB}},
             {0xFFFFF, {7, 0xC0000, 256 * KiB}}},
        },
        // UM1907: Micron N25Q128A13EF840E, 128 Mbit = 16 MB on QUADSPI (Zephyr stm32f746g_disco.dts
        // size (16*8) Mbit; corpus truth.json 134217728 bits); N25Q128A datasheet: 4 KB subsectors.
        // QUADSPI memory-mapped region at 0x9000 0000 (RM0385 memory map).
        ExpectedDevice{
            "stm32f746g_disco",
            "n25q128a",
            FlashKind::Qspi,
            16 * MiB,
            4096,
            {{4096, 4 * KiB}},
            1,
            std::nullopt,
            XipWindow{0x90000000, 16 * MiB},
            {0x0, 0x1000, 0xA0000, 0x800000, 0xFFF000, 0x1000000},
            {0x800, 0xA0800, 0xFFFFFF},
            {{0x0, {0, 0x0, 4 * KiB}},
             {0x1234, {1, 0x1000, 4 * KiB}},
             {0x800000, {2048, 0x800000, 4 * KiB}},
             {0xFFFFFF, {4095, 0xFFF000, 4 * KiB}}},
        },
    };
    return devices;
}

const DeviceDatabase& builtinDatabase() {
    static const DeviceDatabase db = [] {
        auto r = DeviceDatabase::builtin();
        if (!r)
            qFatal("DeviceDatabase::builtin() failed: %s", r.error().toString().c_str());
        return std::move(*r);
    }();
    return db;
}

QByteArray hex(std::uint64_t v) {
    return "0x" + QByteArray::number(static_cast<qulonglong>(v), 16);
}

QByteArray describe(const Runs& runs) {
    QByteArray s;
    for (const SectorRun& r : runs) {
        if (!s.isEmpty())
            s += ", ";
        s += QByteArray::number(static_cast<qulonglong>(r.count)) + "x" + hex(r.size);
    }
    return s;
}

QByteArray describe(const std::optional<Sector>& s) {
    if (!s)
        return "none";
    return "#" + QByteArray::number(static_cast<qulonglong>(s->index)) + " at " + hex(s->offset) + " size " +
           hex(s->size);
}

/// Appends a run, merging it into the previous one when the size is the same (as SectorMap does).
void appendMerged(Runs& runs, SectorRun run) {
    if (!runs.empty() && runs.back().size == run.size)
        runs.back().count += run.count;
    else
        runs.push_back(run);
}

/// Parses the sector list of a DfuSe alternate-setting string, the part after the last '/':
/// "04*016Kg,01*064Kg,07*128Kg" -> 4x16K, 1x64K, 7x128K. Each group is <count>*<size><unit><type>,
/// unit K (KiB), M (MiB) or blank (bytes), type one letter a..g. Adjacent runs of the same size are
/// merged, so the result compares with SectorMap::runs(). nullopt when the text is malformed.
std::optional<Runs> parseDfuSeSectors(std::string_view descriptor) {
    const std::size_t slash = descriptor.rfind('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    std::string_view rest = descriptor.substr(slash + 1);
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\0'))
        rest.remove_suffix(1);
    Runs runs;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        std::string_view group = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);

        const auto number = [&group]() -> std::optional<std::uint64_t> {
            std::size_t i = 0;
            std::uint64_t v = 0;
            while (i < group.size() && group[i] >= '0' && group[i] <= '9') {
                v = v * 10 + static_cast<std::uint64_t>(group[i] - '0');
                ++i;
            }
            if (i == 0)
                return std::nullopt;
            group.remove_prefix(i);
            return v;
        };
        const auto count = number();
        if (!count || group.empty() || group.front() != '*')
            return std::nullopt;
        group.remove_prefix(1);
        const auto size = number();
        if (!size || group.size() != 2)
            return std::nullopt;
        std::uint64_t unit = 0;
        switch (group[0]) {
        case 'K':
            unit = KiB;
            break;
        case 'M':
            unit = MiB;
            break;
        case ' ':
        case 'B':
            unit = 1;
            break;
        default:
            return std::nullopt;
        }
        if (group[1] < 'a' || group[1] > 'g')
            return std::nullopt;
        if (*count == 0 || *size == 0)
            return std::nullopt;
        appendMerged(runs, {*count, *size * unit});
    }
    if (runs.empty())
        return std::nullopt;
    return runs;
}

/// The start address of a DfuSe alternate-setting string: the part between the last two '/'.
std::optional<std::uint64_t> dfuSeStartAddress(std::string_view descriptor) {
    const std::size_t last = descriptor.rfind('/');
    if (last == std::string_view::npos || last == 0)
        return std::nullopt;
    const std::size_t prev = descriptor.rfind('/', last - 1);
    if (prev == std::string_view::npos)
        return std::nullopt;
    bool ok = false;
    const qulonglong v = QByteArray(descriptor.data() + prev + 1, static_cast<qsizetype>(last - prev - 1))
                             .trimmed()
                             .toULongLong(&ok, 0);
    if (!ok)
        return std::nullopt;
    return v;
}

/// A minimal valid document with one board `id`, for the error tests.
std::string boardXml(const std::string& id) {
    return "<flashplan-devices schema=\"1\">\n"
           "  <board id=\"" +
           id +
           "\">\n"
           "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\">\n"
           "      <sectors count=\"4\" size=\"1K\"/>\n"
           "    </flash>\n"
           "  </board>\n"
           "</flashplan-devices>\n";
}

} // namespace

Q_DECLARE_METATYPE(ExpectedDevice)
Q_DECLARE_METATYPE(ExpectedBoard)
Q_DECLARE_METATYPE(flashplan::Errc)

class TestDeviceDatabase : public QObject {
    Q_OBJECT

private slots:
    void builtinLoads() {
        const auto r = DeviceDatabase::builtin();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    }

    void boardIdsAreUniqueAndSorted() {
        const auto& boards = builtinDatabase().boards();
        for (std::size_t i = 1; i < boards.size(); ++i)
            QVERIFY2(boards[i - 1].id < boards[i].id,
                     qPrintable(QStringLiteral("boards out of order or repeated: '%1' then '%2'")
                                    .arg(QString::fromStdString(boards[i - 1].id),
                                         QString::fromStdString(boards[i].id))));
        for (const Board& b : boards) {
            QVERIFY(!b.id.empty());
            QCOMPARE(builtinDatabase().find(b.id), &b);
        }
        QCOMPARE(builtinDatabase().find("no_such_board"), nullptr);
    }

    void everyBoardHasADevice() {
        for (const Board& b : builtinDatabase().boards()) {
            QVERIFY2(!b.devices.empty(), b.id.c_str());
            std::set<std::string> ids;
            for (const FlashDevice& d : b.devices) {
                QVERIFY2(ids.insert(d.id).second, (b.id + ": device id repeated: " + d.id).c_str());
                QVERIFY2(!d.sectors.empty(), (b.id + "/" + d.id).c_str());
                QCOMPARE(d.size(), d.sectors.totalSize());
            }
        }
    }

    void holdsTheReferenceBoards() {
        const DeviceDatabase& db = builtinDatabase();
        QVERIFY2(db.boards().size() >= 15,
                 qPrintable(QStringLiteral("only %1 boards").arg(db.boards().size())));
        // The reference boards every release must carry, by the chip on them.
        const std::vector<std::pair<const char*, const char*>> required = {
            {"stm32f4_disco", "STM32F407"},   {"stm32f746g_disco", "STM32F746"},
            {"nucleo_h743zi", "STM32H743"},   {"disco_l475_iot1", "STM32L475"},
            {"spark_core", "STM32F103"},      {"particle_photon", "STM32F205"},
            {"nrf52dk_nrf52832", "nRF52832"}, {"nrf52840dk_nrf52840", "nRF52840"},
            {"nrf5340dk_nrf5340", "nRF5340"}, {"nrf9160dk_nrf9160", "nRF9160"},
            {"rpi_pico", "RP2040"},           {"esp32_devkitc_wroom", "ESP32"},
            {"atsamd21_xpro", "ATSAMD21"},    {"mimxrt1060_evk", "MIMXRT106"},
        };
        for (const auto& [id, soc] : required) {
            const Board* b = db.find(id);
            QVERIFY2(b, id);
            QVERIFY2(b->soc.starts_with(soc), (std::string(id) + ": soc " + b->soc).c_str());
        }
    }

    /// Every device the database holds has a row below, so a new board cannot slip in unpinned.
    void everyDeviceIsPinned() {
        std::set<std::pair<std::string, std::string>> pinned;
        for (const ExpectedDevice& e : expectedDevices())
            QVERIFY2(pinned.insert({e.board, e.device}).second,
                     ("row repeated: " + std::string(e.board) + "/" + e.device).c_str());
        std::set<std::string> pinnedBoards;
        for (const ExpectedBoard& e : expectedBoards())
            pinnedBoards.insert(e.id);
        for (const Board& b : builtinDatabase().boards()) {
            QVERIFY2(pinnedBoards.count(b.id), ("board not pinned by this test: " + b.id).c_str());
            for (const FlashDevice& d : b.devices)
                QVERIFY2(pinned.count({b.id, d.id}),
                         ("device not pinned by this test: " + b.id + "/" + d.id).c_str());
        }
    }

    void boardDevices_data() {
        QTest::addColumn<ExpectedBoard>("expected");
        for (const ExpectedBoard& e : expectedBoards())
            QTest::newRow(e.id) << e;
    }
    void boardDevices() {
        QFETCH(ExpectedBoard, expected);
        const Board* b = builtinDatabase().find(expected.id);
        QVERIFY2(b, "board missing from the database");
        QVERIFY2(b->soc.starts_with(expected.socPrefix), ("soc is " + b->soc).c_str());
        std::vector<std::string> ids;
        for (const FlashDevice& d : b->devices)
            ids.push_back(d.id);
        QVERIFY2(ids == expected.deviceIds, "device ids differ");
        for (const std::string& id : expected.deviceIds)
            QVERIFY2(b->device(id), id.c_str());
    }

    void deviceGeometry_data() {
        QTest::addColumn<ExpectedDevice>("expected");
        for (const ExpectedDevice& e : expectedDevices())
            QTest::addRow("%s/%s", e.board, e.device) << e;
    }
    void deviceGeometry() {
        QFETCH(ExpectedDevice, expected);
        const Board* b = builtinDatabase().find(expected.board);
        QVERIFY2(b, "board missing from the database");
        const FlashDevice* d = b->device(expected.device);
        QVERIFY2(d, "flash device missing from the board");

        QCOMPARE(d->kind, expected.kind);
        QVERIFY2(d->sectors.runs() == expected.runs,
                 ("runs are " + describe(d->sectors.runs()) + ", expected " + describe(expected.runs))
                     .constData());
        QCOMPARE(d->size(), expected.size);
        QCOMPARE(d->sectors.totalSize(), expected.size);
        QCOMPARE(d->sectors.sectorCount(), expected.sectorCount);
        // The expectation is self-consistent too.
        std::uint64_t sum = 0, count = 0;
        for (const SectorRun& r : expected.runs) {
            sum += r.count * r.size;
            count += r.count;
        }
        QCOMPARE(sum, expected.size);
        QCOMPARE(count, expected.sectorCount);

        QCOMPARE(d->writeBlockSize, expected.writeBlock);
        for (const SectorRun& r : d->sectors.runs())
            QCOMPARE(r.size % d->writeBlockSize, std::uint64_t(0));
        QCOMPARE(d->eraseValue, std::uint8_t(0xff)); // all of these are NOR flash
        QVERIFY(d->eraseRequired);

        QCOMPARE(d->cpuBase.has_value(), expected.cpuBase.has_value());
        if (expected.cpuBase) {
            QVERIFY2(
                *d->cpuBase == *expected.cpuBase,
                ("CPU base is " + hex(*d->cpuBase) + ", expected " + hex(*expected.cpuBase)).constData());
            QCOMPARE(d->cpuAddress(expected.size - 1),
                     std::optional<std::uint64_t>(*expected.cpuBase + expected.size - 1));
        } else {
            QCOMPARE(d->cpuAddress(0), std::optional<std::uint64_t>());
        }
        QCOMPARE(d->xip.has_value(), expected.xip.has_value());
        if (expected.xip) {
            QVERIFY2(d->xip->address == expected.xip->address,
                     ("XIP address is " + hex(d->xip->address) + ", expected " + hex(expected.xip->address))
                         .constData());
            QVERIFY2(
                d->xip->size == expected.xip->size,
                ("XIP size is " + hex(d->xip->size) + ", expected " + hex(expected.xip->size)).constData());
            QVERIFY2(d->xip->size == d->size(), "the XIP range is not the device's size");
        }

        QVERIFY(d->sectors.isBoundary(0));
        QVERIFY(d->sectors.isBoundary(expected.size));
        for (std::uint64_t off : expected.boundaries)
            QVERIFY2(d->sectors.isBoundary(off), (hex(off) + " should be a sector boundary").constData());
        for (std::uint64_t off : expected.notBoundaries) {
            QVERIFY2(!d->sectors.isBoundary(off),
                     (hex(off) + " should not be a sector boundary").constData());
            QVERIFY2(d->sectors.boundaryAtOrBelow(off) < off && d->sectors.boundaryAtOrAbove(off) > off,
                     (hex(off) + " should lie strictly inside a sector").constData());
        }

        for (const Probe& p : expected.probes) {
            const auto s = d->sectors.sectorAt(p.at);
            QVERIFY2(s && *s == p.sector,
                     ("sectorAt(" + hex(p.at) + ") is " + describe(s) + ", expected " + describe(p.sector))
                         .constData());
            const auto byIndex = d->sectors.sectorByIndex(p.sector.index);
            QVERIFY2(byIndex && *byIndex == p.sector,
                     ("sectorByIndex(" + QByteArray::number(static_cast<qulonglong>(p.sector.index)) +
                      ") is " + describe(byIndex))
                         .constData());
        }
        // The last byte belongs to the last sector, and nothing lies past the end.
        const auto last = d->sectors.sectorAt(expected.size - 1);
        QVERIFY(last.has_value());
        QCOMPARE(last->index, expected.sectorCount - 1);
        QCOMPARE(last->end(), expected.size);
        QCOMPARE(last->size, expected.runs.back().size);
        QCOMPARE(d->sectors.sectorAt(expected.size), std::optional<Sector>());
        QCOMPARE(d->sectors.sectorByIndex(expected.sectorCount), std::optional<Sector>());
    }

    void dfuSeParser_data() {
        QTest::addColumn<QString>("descriptor");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("runs"); // "count x size" list, sizes in bytes
        QTest::newRow("F407 ROM") << "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg" << true
                                  << "4x16384,1x65536,7x131072";
        QTest::newRow("merge equal") << "@Internal Flash  /0x08000000/20*001Ka,108*001Kg" << true
                                     << "128x1024";
        QTest::newRow("MiB and bytes") << "@X /0x0/2*001Mg,8*256 e" << true << "2x1048576,8x256";
        QTest::newRow("trailing blanks") << "@SPI Flash : SST25x/0x00000000/512*04Kg  " << true << "512x4096";
        QTest::newRow("no slash") << "@Internal Flash" << false << "";
        QTest::newRow("no star") << "@X /0x0/04x016Kg" << false << "";
        QTest::newRow("bad unit") << "@X /0x0/04*016Qg" << false << "";
        QTest::newRow("bad type") << "@X /0x0/04*016Kz" << false << "";
        QTest::newRow("zero count") << "@X /0x0/00*016Kg" << false << "";
        QTest::newRow("empty group") << "@X /0x0/04*016Kg,,01*064Kg" << false << "";
    }
    void dfuSeParser() {
        QFETCH(QString, descriptor);
        QFETCH(bool, valid);
        QFETCH(QString, runs);
        const std::string text = descriptor.toStdString();
        const auto parsed = parseDfuSeSectors(text);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            return;
        Runs expected;
        for (const QString& item : runs.split(',')) {
            const QStringList parts = item.split('x');
            expected.push_back({parts[0].toULongLong(), parts[1].toULongLong()});
        }
        QVERIFY2(*parsed == expected, describe(*parsed).constData());
    }

    /// DfuSe strings describe the same sectors as the flash they name, starting at its CPU address.
    void dfuSeDescriptorsMatchTheirDevice() {
        int checked = 0;
        for (const Board& b : builtinDatabase().boards()) {
            for (const DfuAlt& alt : b.programmer.dfuAlts) {
                const std::string where =
                    b.id + " alt " + std::to_string(alt.index) + " (" + alt.descriptor + ")";
                const FlashDevice* d = b.device(alt.device);
                QVERIFY2(d, (where + ": names no device of the board").c_str());
                if (alt.descriptor.empty())
                    continue;
                const auto runs = parseDfuSeSectors(alt.descriptor);
                QVERIFY2(runs, (where + ": not a DfuSe sector list").c_str());
                QVERIFY2(*runs == d->sectors.runs(),
                         (where + ": describes " + describe(*runs).toStdString() + " but " + alt.device +
                          " is " + describe(d->sectors.runs()).toStdString())
                             .c_str());
                const auto start = dfuSeStartAddress(alt.descriptor);
                QVERIFY2(start, (where + ": no start address").c_str());
                QVERIFY2(*start == d->cpuBase.value_or(0),
                         (where + ": start address is not the device's").c_str());
                ++checked;
            }
        }
        // STM32F407, STM32F429, STM32F746, STM32H743 ROM bootloaders and the Spark Core's two alts.
        QVERIFY2(checked >= 6, qPrintable(QStringLiteral("only %1 DfuSe descriptors checked").arg(checked)));
    }

    /// The DfuSe strings the boards' bootloaders really report, as independent witnesses of geometry.
    void dfuSeDescriptorsOfKnownBootloaders_data() {
        QTest::addColumn<QString>("board");
        QTest::addColumn<int>("alt");
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("sectors"); // what the bootloader reports after the last '/'
        // STM32 system memory bootloader (AN2606), as dfu-util -l lists it.
        QTest::newRow("stm32f4_disco") << "stm32f4_disco" << 0 << "flash0"
                                       << "04*016Kg,01*064Kg,07*128Kg";
        QTest::newRow("nucleo_f429zi") << "nucleo_f429zi" << 0 << "flash0"
                                       << "04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg";
        QTest::newRow("stm32f746g_disco") << "stm32f746g_disco" << 0 << "flash0"
                                          << "04*032Kg,01*128Kg,03*256Kg";
        QTest::newRow("nucleo_h743zi") << "nucleo_h743zi" << 0 << "flash0"
                                       << "16*128Kg";
        // Spark Core bootloader (dfu-util -l on a Core in DFU mode, Spark's documentation).
        QTest::newRow("spark_core internal") << "spark_core" << 0 << "flash0"
                                             << "20*001Ka,108*001Kg";
        QTest::newRow("spark_core spi") << "spark_core" << 1 << "sst25vf016b"
                                        << "512*04Kg";
    }
    void dfuSeDescriptorsOfKnownBootloaders() {
        QFETCH(QString, board);
        QFETCH(int, alt);
        QFETCH(QString, device);
        QFETCH(QString, sectors);
        const Board* b = builtinDatabase().find(board.toStdString());
        QVERIFY(b);
        const auto it = std::find_if(b->programmer.dfuAlts.begin(), b->programmer.dfuAlts.end(),
                                     [alt](const DfuAlt& a) { return a.index == alt; });
        QVERIFY2(it != b->programmer.dfuAlts.end(), "DFU alternate setting missing");
        QCOMPARE(QString::fromStdString(it->device), device);
        const auto reported = parseDfuSeSectors("/" + sectors.toStdString());
        QVERIFY(reported);
        QVERIFY2(*reported == b->device(it->device)->sectors.runs(),
                 ("the bootloader reports " + describe(*reported) + ", the database has " +
                  describe(b->device(it->device)->sectors.runs()))
                     .constData());
    }

    // -----------------------------------------------------------------------------------------
    // addXml errors
    // -----------------------------------------------------------------------------------------

    void addXmlAcceptsAMinimalBoard() {
        DeviceDatabase db;
        const auto r = db.addXml(boardXml("tiny"), "tiny.xml");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        QCOMPARE(db.boards().size(), std::size_t(1));
        const FlashDevice* d = db.boards().front().device("flash0");
        QVERIFY(d);
        QCOMPARE(d->size(), 4 * KiB);
        QCOMPARE(d->writeBlockSize, std::uint32_t(1));
        QCOMPARE(d->cpuBase, std::optional<std::uint64_t>());
    }

    void addXmlErrors_data() {
        QTest::addColumn<QString>("xml");
        QTest::addColumn<flashplan::Errc>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("messageHas");

        QTest::newRow("size differs from the runs")
            << "<flashplan-devices schema=\"1\">\n"
               "  <board id=\"b\">\n"
               "    <!-- 4 x 8K is 32K, not 64K -->\n"
               "    <flash id=\"flash0\" kind=\"internal\" size=\"64K\">\n"
               "      <sectors count=\"4\" size=\"8K\"/>\n"
               "    </flash>\n"
               "  </board>\n"
               "</flashplan-devices>\n"
            << Errc::Schema << "size" << 4 << "0x8000";

        QTest::newRow("unknown attribute of flash")
            << "<flashplan-devices schema=\"1\">\n"
               "  <board id=\"b\">\n"
               "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\" write_block=\"4\">\n"
               "      <sectors count=\"1\" size=\"4K\"/>\n"
               "    </flash>\n"
               "  </board>\n"
               "</flashplan-devices>\n"
            << Errc::Schema << "write_block" << 3 << "unknown attribute";

        QTest::newRow("unknown attribute of board")
            << "<flashplan-devices schema=\"1\">\n"
               "  <board id=\"b\" mcu=\"STM32F407\">\n"
               "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\">\n"
               "      <sectors count=\"1\" size=\"4K\"/>\n"
               "    </flash>\n"
               "  </board>\n"
               "</flashplan-devices>\n"
            << Errc::Schema << "mcu" << 2 << "unknown attribute";

        QTest::newRow("truncated inside a tag") << "<flashplan-devices schema=\"1\">\n"
                                                   "  <board id=\"b\">\n"
                                                   "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\">\n"
                                                   "      <sectors count=\"1\" si"
                                                << Errc::Parse << "" << 4 << "not well-formed";

        QTest::newRow("truncated after an element")
            << "<flashplan-devices schema=\"1\">\n"
               "  <board id=\"b\">\n"
               "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\">\n"
               "      <sectors count=\"1\" size=\"4K\"/>\n"
               "    </flash>"
            << Errc::Parse << "" << 5 << "not well-formed";

        QTest::newRow("sector size not a multiple of the write block")
            << "<flashplan-devices schema=\"1\">\n"
               "  <board id=\"b\">\n"
               "    <flash id=\"flash0\" kind=\"internal\" size=\"48\" write-block=\"8\">\n"
               "      <sectors count=\"2\" size=\"16\"/>\n"
               "      <sectors count=\"1\" size=\"12\"/>\n"
               "      <sectors count=\"1\" size=\"4\"/>\n"
               "    </flash>\n"
               "  </board>\n"
               "</flashplan-devices>\n"
            << Errc::Schema << "size" << 5 << "write block";

        QTest::newRow("dfu alt names a device the board lacks")
            << "<flashplan-devices schema=\"1\">\n"
               "  <board id=\"b\">\n"
               "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\">\n"
               "      <sectors count=\"1\" size=\"4K\"/>\n"
               "    </flash>\n"
               "    <dfu vid=\"0x0483\" pid=\"0xdf11\">\n"
               "      <alt index=\"0\" device=\"flash0\"/>\n"
               "      <alt index=\"1\" device=\"spiflash\" descriptor=\"@SPI /0x0/1*04Kg\"/>\n"
               "    </dfu>\n"
               "  </board>\n"
               "</flashplan-devices>\n"
            << Errc::Schema << "device" << 8 << "spiflash";
    }
    void addXmlErrors() {
        QFETCH(QString, xml);
        QFETCH(flashplan::Errc, code);
        QFETCH(QString, field);
        QFETCH(int, line);
        QFETCH(QString, messageHas);

        DeviceDatabase db;
        QVERIFY(db.addXml(boardXml("existing"), "existing.xml").ok());
        const auto r = db.addXml(xml.toStdString(), "broken.xml");
        QVERIFY(!r.ok());
        const Error& e = r.error();
        QCOMPARE(e.code, code);
        QCOMPARE(QString::fromStdString(e.field), field);
        QCOMPARE(QString::fromStdString(e.where.file), QStringLiteral("broken.xml"));
        QCOMPARE(e.where.line, line);
        QVERIFY2(QString::fromStdString(e.message).contains(messageHas), e.message.c_str());
        // toString() names the file, the line and the field.
        const QString text = QString::fromStdString(e.toString());
        QVERIFY2(text.contains(QStringLiteral("broken.xml:%1").arg(line)), qPrintable(text));
        if (!field.isEmpty())
            QVERIFY2(text.contains(field), qPrintable(text));
        // On error nothing is added.
        QCOMPARE(db.boards().size(), std::size_t(1));
        QCOMPARE(db.boards().front().id, std::string("existing"));
    }

    void duplicateBoardIdNamesTheFirstFile() {
        DeviceDatabase db;
        QVERIFY(db.addXml(boardXml("dup"), "devices/first.xml").ok());
        const std::string second = "<flashplan-devices schema=\"1\">\n"
                                   "  <board id=\"fresh\">\n"
                                   "    <flash id=\"flash0\" kind=\"spi\" size=\"8K\">\n"
                                   "      <sectors count=\"2\" size=\"4K\"/>\n"
                                   "    </flash>\n"
                                   "  </board>\n"
                                   "  <board id=\"dup\">\n"
                                   "    <flash id=\"flash0\" kind=\"internal\" size=\"4K\">\n"
                                   "      <sectors count=\"4\" size=\"1K\"/>\n"
                                   "    </flash>\n"
                                   "  </board>\n"
                                   "</flashplan-devices>\n";
        const auto r = db.addXml(second, "devices/second.xml");
        QVERIFY(!r.ok());
        const Error& e = r.error();
        QCOMPARE(e.code, Errc::Schema);
        QCOMPARE(e.field, std::string("id"));
        QCOMPARE(e.where.file, std::string("devices/second.xml"));
        QCOMPARE(e.where.line, 7);
        QVERIFY2(e.message.find("devices/first.xml") != std::string::npos, e.message.c_str());
        QVERIFY2(e.message.find("dup") != std::string::npos, e.message.c_str());
        // Nothing of the second file was added, not even the board before the duplicate.
        QCOMPARE(db.boards().size(), std::size_t(1));
        QVERIFY(db.find("fresh") == nullptr);
        QVERIFY(db.find("dup") != nullptr);
    }

    void duplicateBoardIdWithinOneFile() {
        DeviceDatabase db;
        const std::string flash = "    <flash id=\"flash0\" kind=\"internal\" size=\"1K\">"
                                  "<sectors count=\"1\" size=\"1K\"/></flash>\n";
        const std::string text = "<flashplan-devices schema=\"1\">\n"
                                 "  <board id=\"twice\">\n" +
                                 flash +
                                 "  </board>\n"
                                 "  <board id=\"twice\">\n" +
                                 flash +
                                 "  </board>\n"
                                 "</flashplan-devices>\n";
        const auto r = db.addXml(text, "twice.xml");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().field, std::string("id"));
        QCOMPARE(r.error().where.line, 5);
        QVERIFY(db.boards().empty());
    }

    void builtinIdsCannotBeRedefined() {
        DeviceDatabase db = builtinDatabase();
        const std::size_t before = db.boards().size();
        const auto r = db.addXml(boardXml("stm32f4_disco"), "mine.xml");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().field, std::string("id"));
        QCOMPARE(r.error().where.line, 2);
        QVERIFY2(r.error().message.find("st.xml") != std::string::npos, r.error().message.c_str());
        QCOMPARE(db.boards().size(), before);
    }
};

QTEST_APPLESS_MAIN(TestDeviceDatabase)
#include "tst_devicedatabase.moc"
