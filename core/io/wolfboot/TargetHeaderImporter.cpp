// SPDX-License-Identifier: Apache-2.0
#include "io/wolfboot/TargetHeaderImporter.h"

#include "io/cpp/Expander.h"
#include "io/cpp/Preprocessor.h"
#include "io/wolfboot/WolfBootExportPlan.h"
#include "io/wolfboot/WolfBootNames.h"
#include "io/wolfboot/WolfBootPlacement.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>

namespace flashplan {

using namespace wolfboot;

namespace {

/// The older spelling (MCUboot-era wolfBoot, offsets from the start of the flash, one size each).
struct OffsetArea {
    AreaKind kind;
    std::string_view offsetName;
    std::string_view sizeName;
};
constexpr std::array kOffsetAreas{
    OffsetArea{AreaKind::Boot, "FLASH_AREA_IMAGE_0_OFFSET", "FLASH_AREA_IMAGE_0_SIZE"},
    OffsetArea{AreaKind::Update, "FLASH_AREA_IMAGE_1_OFFSET", "FLASH_AREA_IMAGE_1_SIZE"},
    OffsetArea{AreaKind::Swap, "FLASH_AREA_IMAGE_SCRATCH_OFFSET", "FLASH_AREA_IMAGE_SCRATCH_SIZE"},
};
constexpr OffsetArea kBootloaderArea{AreaKind::Bootloader, "FLASH_AREA_BOOTLOADER_OFFSET",
                                     "FLASH_AREA_BOOTLOADER_SIZE"};

/// True when the text has "#define NAME" (blanks allowed after '#' and between the words).
bool definesMacro(std::string_view text, std::string_view name) {
    for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        std::size_t i = at;
        while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
            --i;
        if (i >= 6 && text.substr(i - 6, 6) == "define")
            return true;
    }
    return false;
}

Error missing(const cpp::MacroTable& h, std::string_view present, std::string_view absent,
              const std::string& fileName) {
    Error e = makeError(Errc::Schema,
                        std::string(absent) + " is not defined, and " + std::string(present) + " needs it");
    e.where.file = fileName;
    e.where.line = h.find(present) ? h.find(present)->where.line : 0;
    e.field = std::string(present);
    return e;
}

} // namespace

int TargetHeaderImporter::sniff(std::string_view text, std::string_view) const {
    if (definesMacro(text, "WOLFBOOT_PARTITION_BOOT_ADDRESS") ||
        definesMacro(text, "WOLFBOOT_PARTITION_UPDATE_ADDRESS"))
        return 95;
    if (definesMacro(text, "WOLFBOOT_SECTOR_SIZE") || definesMacro(text, "WOLFBOOT_PARTITION_SIZE"))
        return 70;
    // MCUboot and Zephyr headers use the FLASH_AREA_IMAGE_* spelling too: claim it only for wolfBoot.
    if (definesMacro(text, "FLASH_AREA_IMAGE_0_OFFSET"))
        return text.find("wolfBoot") != std::string_view::npos ||
                       text.find("WOLFBOOT") != std::string_view::npos
                   ? 60
                   : 15;
    return 0;
}

Result<ImportResult> TargetHeaderImporter::read(std::string_view text, const std::string& fileName,
                                                const ImportOptions& options) const {
    // The macros a plain build would see: no -D options, includes not followed (a target.h stands alone;
    // its only #include, <stdint.h>, is in the simulator's branch).
    cpp::Options cppOptions;
    cppOptions.mode = cpp::Mode::MacrosOnly;
    cppOptions.include = [](const cpp::IncludeRequest&) -> Result<std::optional<cpp::IncludedFile>> {
        return std::optional<cpp::IncludedFile>();
    };
    auto header = cpp::preprocess(text, fileName, cppOptions);
    if (!header)
        return header.error();
    const cpp::MacroTable* h = &header->macros;
    const auto value = [&](std::string_view name) { return cpp::macroValue(*h, name); };

    PartitionSpec spec;
    std::vector<Diagnostic> notes;
    std::optional<std::string> swapMarker;
    // An #error that fires (target.h.in checks that partitions do not overlap) stops a build, not a
    // reading: the layout is imported and the rule packs say what is wrong with it.
    for (const cpp::Note& n : header->notes)
        notes.push_back({Severity::Warning,
                         "import.wolfboot-header-directive",
                         n.where.file + ":" + std::to_string(n.where.line) + ": " + n.message,
                         {},
                         std::nullopt});
    if (h->defined(kSectorSize)) {
        auto v = value(kSectorSize);
        if (!v)
            return v.error();
        spec.sectorSize = *v;
    }
    // EXT_FLASH alone stands for what the build adds with it: PART_UPDATE_EXT and PART_SWAP_EXT.
    const bool anyPartExt =
        h->defined("PART_BOOT_EXT") || h->defined("PART_UPDATE_EXT") || h->defined("PART_SWAP_EXT");
    const auto external = [&](const NamedArea& n) {
        return anyPartExt ? h->defined(n.extName) : h->defined(kExtFlash) && n.kind != AreaKind::Boot;
    };
    if (h->defined("OCTOSPI_FLASH"))
        spec.externalKind = FlashKind::Ospi;
    else if (h->defined("QSPI_FLASH"))
        spec.externalKind = FlashKind::Qspi;

    const bool modern = std::any_of(kNamedAreas.begin(), kNamedAreas.end(),
                                    [&](const NamedArea& n) { return h->defined(n.addressName); });
    for (std::size_t i = 0; i < kNamedAreas.size(); ++i) {
        const NamedArea& n = kNamedAreas[i];
        const OffsetArea& old = kOffsetAreas[i];
        const std::string_view addressName = modern ? n.addressName : old.offsetName;
        if (!h->defined(addressName))
            continue;
        const std::string_view sizeName = !modern                    ? old.sizeName
                                          : n.kind == AreaKind::Swap ? kSectorSize
                                                                     : kPartitionSize;
        auto address = value(addressName);
        if (!address)
            return address.error();
        if (modern && n.kind == AreaKind::Swap && *address == kNoPartitionAddress) {
            swapMarker = formatHex(*address);
            notes.push_back({Severity::Info,
                             "import.wolfboot-no-swap",
                             fileName + ":" + std::to_string(h->find(addressName)->where.line) +
                                 ": WOLFBOOT_PARTITION_SWAP_ADDRESS is 0xFFFFFFFF: no swap partition (as "
                                 "dual-bank targets have it)",
                             {},
                             std::nullopt});
            continue;
        }
        if (!h->defined(sizeName))
            return missing(*h, addressName, sizeName, fileName);
        auto size = value(sizeName);
        if (!size)
            return size.error();
        AreaSpec a;
        a.kind = n.kind;
        a.address = *address;
        a.size = *size;
        a.external = external(n);
        a.deviceRelative = !modern && !a.external;
        a.line = h->find(addressName)->where.line;
        a.field = std::string(addressName);
        spec.areas.push_back(a);
    }
    if (spec.areas.empty() && !swapMarker) {
        Error e =
            makeError(Errc::Schema, "defines none of WOLFBOOT_PARTITION_BOOT_ADDRESS, "
                                    "WOLFBOOT_PARTITION_UPDATE_ADDRESS, WOLFBOOT_PARTITION_SWAP_ADDRESS "
                                    "or FLASH_AREA_IMAGE_0_OFFSET: not a wolfBoot target.h");
        e.where.file = fileName;
        return e;
    }

    const bool hasOffset = h->defined(kBootloaderArea.offsetName);
    if (hasOffset || h->defined(kBootloaderArea.sizeName)) {
        if (!hasOffset || !h->defined(kBootloaderArea.sizeName))
            return missing(*h, hasOffset ? kBootloaderArea.offsetName : kBootloaderArea.sizeName,
                           hasOffset ? kBootloaderArea.sizeName : kBootloaderArea.offsetName, fileName);
        auto offset = value(kBootloaderArea.offsetName);
        if (!offset)
            return offset.error();
        auto size = value(kBootloaderArea.sizeName);
        if (!size)
            return size.error();
        AreaSpec a;
        a.kind = AreaKind::Bootloader;
        a.address = *offset;
        a.size = *size;
        a.deviceRelative = true;
        a.line = h->find(kBootloaderArea.offsetName)->where.line;
        a.field = std::string(kBootloaderArea.offsetName);
        spec.areas.push_back(a);
    }

    auto placed = placePartitions(spec, options, fileName);
    if (!placed)
        return placed.error();
    ImportResult out = std::move(*placed);
    out.notes.insert(out.notes.begin(), notes.begin(), notes.end());
    out.layout.name = "wolfBoot target.h";
    out.layout.platform = Platform::Wolfboot;
    if (swapMarker)
        out.layout.properties.emplace_back(kSwapAddressProperty, *swapMarker);
    return out;
}

} // namespace flashplan
