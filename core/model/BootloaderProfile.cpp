// SPDX-License-Identifier: Apache-2.0
// The one table of bootloader kinds, modes and profiles. Everything else asks it.
#include "model/BootloaderProfile.h"

#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {

struct KindName {
    BootloaderKind kind;
    std::string_view name;
};
constexpr std::array kKindNames{
    KindName{BootloaderKind::None, "none"},
    KindName{BootloaderKind::Mcuboot, "mcuboot"},
    KindName{BootloaderKind::Wolfboot, "wolfboot"},
};

struct ModeName {
    UpgradeMode mode;
    std::string_view name;
};
constexpr std::array kModeNames{
    ModeName{UpgradeMode::SwapUsingScratch, "swap-using-scratch"},
    ModeName{UpgradeMode::SwapUsingMove, "swap-using-move"},
    ModeName{UpgradeMode::SwapUsingOffset, "swap-using-offset"},
    ModeName{UpgradeMode::OverwriteOnly, "overwrite-only"},
    ModeName{UpgradeMode::DirectXip, "direct-xip"},
    ModeName{UpgradeMode::RamLoad, "ram-load"},
};

// MCUboot's Zephyr port looks its partitions up by these labels (boot/zephyr/include/sysflash/sysflash.h).
constexpr ProfileLabels kMcubootLabels{"boot_partition", "slot0_partition", "slot1_partition",
                                       "scratch_partition", "storage_partition"};
// wolfBoot's own area and its BOOT, UPDATE and SWAP partitions (include/target.h.in).
constexpr ProfileLabels kWolfBootLabels{"wolfboot", "boot", "update", "swap", "storage_partition"};
constexpr std::uint64_t kMcubootHeaderSize = 0x200;
constexpr std::uint64_t kWolfBootHeaderSize = 0x100;

constexpr ProfileInfo mcuboot(std::string_view id, std::string_view title, UpgradeMode mode,
                              SlotRelation relation = SlotRelation::Equal,
                              std::optional<PartitionRole> extra = std::nullopt) {
    return ProfileInfo{id,
                       title,
                       BootloaderKind::Mcuboot,
                       mode,
                       SlotShape{true, true, relation, extra},
                       kMcubootLabels,
                       kMcubootHeaderSize};
}

constexpr std::array kProfiles{
    ProfileInfo{"none", "No bootloader", BootloaderKind::None, std::nullopt,
                SlotShape{false, false, SlotRelation::Equal, std::nullopt},
                ProfileLabels{"", "code_partition", "", "", "storage_partition"}, 0},
    mcuboot("mcuboot-swap-scratch", "MCUboot, swap using scratch", UpgradeMode::SwapUsingScratch,
            SlotRelation::Equal, PartitionRole::Scratch),
    mcuboot("mcuboot-swap-move", "MCUboot, swap using move", UpgradeMode::SwapUsingMove,
            SlotRelation::PrimaryOneMore),
    mcuboot("mcuboot-swap-offset", "MCUboot, swap using offset", UpgradeMode::SwapUsingOffset,
            SlotRelation::SecondaryOneMore),
    mcuboot("mcuboot-overwrite-only", "MCUboot, overwrite only", UpgradeMode::OverwriteOnly),
    mcuboot("mcuboot-direct-xip", "MCUboot, direct XIP", UpgradeMode::DirectXip),
    mcuboot("mcuboot-ram-load", "MCUboot, RAM load", UpgradeMode::RamLoad),
    ProfileInfo{"wolfboot", "wolfBoot", BootloaderKind::Wolfboot, std::nullopt,
                SlotShape{true, true, SlotRelation::Equal, PartitionRole::Swap}, kWolfBootLabels,
                kWolfBootHeaderSize},
};

} // namespace

std::string_view to_string(BootloaderKind kind) {
    for (const KindName& k : kKindNames)
        if (k.kind == kind)
            return k.name;
    return "none";
}

std::optional<BootloaderKind> bootloaderKindFromString(std::string_view text) {
    for (const KindName& k : kKindNames)
        if (k.name == text)
            return k.kind;
    return std::nullopt;
}

std::string_view to_string(UpgradeMode mode) {
    for (const ModeName& m : kModeNames)
        if (m.mode == mode)
            return m.name;
    return "swap-using-scratch";
}

std::optional<UpgradeMode> upgradeModeFromString(std::string_view text) {
    for (const ModeName& m : kModeNames)
        if (m.name == text)
            return m.mode;
    return std::nullopt;
}

void BootloaderProfile::set(BootloaderKind k, std::optional<UpgradeMode> m) {
    kind = to_string(k);
    mode = m ? std::string(to_string(*m)) : std::string();
}

std::optional<std::uint64_t> numericSetting(const BootloaderProfile& bootloader, std::string_view name) {
    const std::string* v = bootloader.setting(name);
    if (!v)
        return std::nullopt;
    auto n = parseNumber(*v);
    return n ? std::optional<std::uint64_t>(*n) : std::nullopt;
}

std::span<const ProfileInfo> allProfiles() {
    return kProfiles;
}

const ProfileInfo* findProfile(std::string_view id) {
    for (const ProfileInfo& p : kProfiles) {
        if (p.id == id)
            return &p;
        if (!p.mode)
            continue;
        const std::string_view kind = to_string(p.kind), mode = to_string(*p.mode);
        if (id.size() == kind.size() + 1 + mode.size() && id.starts_with(kind) && id[kind.size()] == '-' &&
            id.ends_with(mode))
            return &p;
    }
    return nullptr;
}

const ProfileInfo* profileOf(const BootloaderProfile& bootloader) {
    const auto kind = bootloader.knownKind();
    if (!kind)
        return nullptr;
    const auto mode = bootloader.upgradeMode();
    if (!mode && !bootloader.mode.empty())
        return nullptr; // a mode word that is no mode
    for (const ProfileInfo& p : kProfiles)
        if (p.kind == *kind && p.mode == mode)
            return &p;
    return nullptr;
}

const ProfileInfo& firstProfileOf(BootloaderKind kind) {
    for (const ProfileInfo& p : kProfiles)
        if (p.kind == kind)
            return p;
    return kProfiles.front();
}

void applyProfile(BootloaderProfile& bootloader, const ProfileInfo& profile) {
    bootloader.set(profile.kind, profile.mode);
}

} // namespace flashplan
