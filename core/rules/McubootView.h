// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "rules/McubootRules.h"
#include "rules/McubootTrailer.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A layout as MCUboot sees it: its settings, its flash areas (boot, slots per image, scratch) with the
// sectors bootutil would read, and the helpers the MCUboot rules share to build fixes. Internal to the
// rule pack; McubootRules.h is the public face.
namespace flashplan::mcuboot {

/// The bootloader settings the MCUboot pack reads (Layout::bootloader.settings), by MCUboot's names.
inline constexpr std::string_view kMaxImgSectorsSetting = "BOOT_MAX_IMG_SECTORS";
inline constexpr std::string_view kMaxAlignSetting = "MCUBOOT_BOOT_MAX_ALIGN";
inline constexpr std::string_view kLogicalSectorSetting = "MCUBOOT_LOGICAL_SECTOR_SIZE";
inline constexpr std::string_view kEncImagesSetting = "MCUBOOT_ENC_IMAGES";
inline constexpr std::string_view kAes256Setting = "MCUBOOT_AES_256";
inline constexpr std::string_view kSaveEncTlvSetting = "MCUBOOT_SWAP_SAVE_ENCTLV";
inline constexpr std::string_view kHmacSha512Setting = "MCUBOOT_HMAC_SHA512";
inline constexpr std::string_view kEncryptRsaSetting = "MCUBOOT_ENCRYPT_RSA";
inline constexpr std::string_view kEncryptEc256Setting = "MCUBOOT_ENCRYPT_EC256";
inline constexpr std::string_view kEncryptX25519Setting = "MCUBOOT_ENCRYPT_X25519";
inline constexpr std::string_view kEncryptKwSetting = "MCUBOOT_ENCRYPT_KW";

/// The settings, parsed. A setting that does not parse keeps its default and leaves a sentence in
/// `problems` (reported as mcuboot.setting).
struct Settings {
    std::uint64_t maxImgSectors = kDefaultMaxImgSectors;
    std::optional<std::uint64_t> maxAlign; ///< MCUBOOT_BOOT_MAX_ALIGN when set
    std::uint64_t logicalSectorSize = 0;   ///< 0: physical sectors
    Encryption encryption;
    std::vector<std::string> problems;
};

Settings readSettings(const BootloaderProfile& bootloader);

/// One flash area MCUboot opens (a slot or the scratch) that lies whole on a known device.
struct Area {
    std::size_t index = 0; ///< in Layout::partitions
    const Partition* partition = nullptr;
    const FlashDevice* device = nullptr;
    SectorMap physical; ///< the device's sectors over the area, relative to its start
    SectorMap sectors;  ///< what bootutil works on: `physical`, or MCUBOOT_LOGICAL_SECTOR_SIZE sectors
    std::uint64_t size() const { return partition->size; }
};

/// The partitions of one image: normally one primary (role slot0) and one secondary (role slot1).
struct ImageSlots {
    std::vector<std::size_t> primaries, secondaries;
};

struct View {
    const Layout* layout = nullptr;
    std::optional<UpgradeMode> mode; ///< nullopt when Layout::bootloader.mode is not an MCUboot mode
    Settings settings;
    std::vector<std::size_t> boots, scratches;
    std::map<int, ImageSlots> images; ///< by Partition::imageIndex
    /// BOOT_MAX_ALIGN: the setting, else defaultMaxAlign() of the largest write block of every slot and
    /// scratch device.
    std::uint64_t maxAlign = 8;
    std::uint64_t largestWriteBlock = 1;
};

View viewOf(const Layout& layout);

/// The area of a partition; nullopt when its device is unknown, it is empty or reaches past its device,
/// or (with logical sectors) it is not a whole number of them.
std::optional<Area> areaOf(const View& view, std::size_t partition);
/// The one primary and one secondary of an image, when both are there once and are areas.
std::optional<std::pair<Area, Area>> slotsOf(const View& view, int image);
/// The scratch area, when there is exactly one and it is an area.
std::optional<Area> scratchOf(const View& view);

/// The trailer configuration of an image whose primary slot is `primary`: BOOT_WRITE_SZ as
/// boot_write_sz() (bootutil_misc.c) takes it, from the primary slot and, in swap-using-scratch, the
/// scratch area.
TrailerConfig trailerConfig(const View& view, const Area& primary);

/// The sector count of every area bootutil reads sectors of (both slots of every image, and the scratch
/// in swap-using-scratch): the smallest BOOT_MAX_IMG_SECTORS that takes them all.
std::uint64_t neededMaxImgSectors(const View& view);

/// A partition's label, with its image number when the layout has more than one image.
std::string nameOf(const View& view, std::size_t partition);
/// "image 1: " in a multi-image layout, else "".
std::string imagePrefix(const View& view, int image);

/// True when nothing but `except` (and its ancestors and descendants) occupies [from, to) on `device`.
bool isFree(const Layout& layout, const std::string& device, std::uint64_t from, std::uint64_t to,
            std::size_t except);

/// A fix that gives the area a new size at its offset, when the new end is a sector boundary inside the
/// device and, when it grows, the space it grows into is free.
std::optional<Fix> resizeFix(const Layout& layout, const Area& area, std::uint64_t newSize, std::string why);

/// A fix that places the area so it holds at least `size` bytes on whole sectors: grown in place when the
/// space after it is free, else moved to the first free sector boundary after it (then from the start of
/// the device).
std::optional<Fix> placeFix(const Layout& layout, const Area& area, std::uint64_t size, std::string why);

/// A fix that sets one bootloader setting.
Fix settingFix(std::string_view name, std::string value, std::string description);

/// Whether MCUBOOT_LOGICAL_SECTOR_SIZE `logical` suits the area: a power of two the area's size is a
/// multiple of, whose steps fall on sector boundaries of the device (boot_verify_logical_sectors() in
/// bootutil_misc.c); on a device without erase, a multiple of its write block. Returns the first
/// reason it does not, or nullopt.
std::optional<std::string> logicalSectorProblem(const Area& area, std::uint64_t logical);
/// The smallest logical sector size that suits every area: the largest erase unit among them, rounded
/// up to a power of two and doubled until it fits. nullopt when none does.
std::optional<std::uint64_t> proposeLogicalSectorSize(const std::vector<Area>& areas);
/// Every area (slots of every image, and scratch) with physical sectors, whatever the logical setting.
std::vector<Area> physicalAreas(const View& view);

bool isPowerOfTwo(std::uint64_t value);

// What the rules share to word their findings.

Diagnostic diagnostic(Severity s, const char* rule, std::string message, std::vector<std::size_t> partitions,
                      std::optional<Fix> fix = std::nullopt);
/// "(0x5000, 20 KiB)", to follow a partition's name.
std::string sizeNote(std::uint64_t bytes);
/// "235 sectors of 4 KiB", or the runs when they differ.
std::string describeSectors(const SectorMap& sectors);
/// True when all sectors have one size.
bool uniform(const SectorMap& sectors);
/// "a, b and c", by nameOf().
std::string listNames(const View& view, const std::vector<std::size_t>& partitions);
/// A fix that resizes `first` to `firstSize`, or else `second` to `secondSize` (resizeFix()).
std::optional<Fix> resizeEither(const Layout& layout, const Area& first, std::uint64_t firstSize,
                                const Area& second, std::uint64_t secondSize, const std::string& why);
/// The image space of an image's primary slot (mcubootImageSpace() on a view).
std::optional<McubootImageSpace> imageSpaceOf(const View& view, int image);
/// "trailer 0x630 (1584 B): status 0x600 (BOOT_MAX_IMG_SECTORS=128 x 3 x BOOT_WRITE_SZ 4) + ...".
std::string describeTrailer(const TrailerConfig& config);

} // namespace flashplan::mcuboot
