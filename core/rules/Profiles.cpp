// SPDX-License-Identifier: Apache-2.0
#include "rules/Profiles.h"

#include "util/Numbers.h"

#include <array>

namespace flashplan {

namespace {
constexpr std::array kProfiles{
    ProfileInfo{"none", "none", "", "No bootloader"},
    ProfileInfo{"mcuboot-swap-scratch", "mcuboot", "swap-using-scratch", "MCUboot, swap using scratch"},
    ProfileInfo{"mcuboot-swap-move", "mcuboot", "swap-using-move", "MCUboot, swap using move"},
    ProfileInfo{"mcuboot-swap-offset", "mcuboot", "swap-using-offset", "MCUboot, swap using offset"},
    ProfileInfo{"mcuboot-overwrite-only", "mcuboot", "overwrite-only", "MCUboot, overwrite only"},
    ProfileInfo{"mcuboot-direct-xip", "mcuboot", "direct-xip", "MCUboot, direct XIP"},
    ProfileInfo{"mcuboot-ram-load", "mcuboot", "ram-load", "MCUboot, RAM load"},
    ProfileInfo{"wolfboot", "wolfboot", "", "wolfBoot"},
};
} // namespace

std::span<const ProfileInfo> allProfiles() {
    return kProfiles;
}

const ProfileInfo* findProfile(std::string_view id) {
    for (const ProfileInfo& p : kProfiles) {
        if (p.id == id)
            return &p;
        if (!p.mode.empty() && id.size() == p.kind.size() + 1 + p.mode.size() && id.starts_with(p.kind) &&
            id[p.kind.size()] == '-' && id.ends_with(p.mode))
            return &p;
    }
    return nullptr;
}

const ProfileInfo* profileOf(const BootloaderProfile& bootloader) {
    for (const ProfileInfo& p : kProfiles)
        if (p.kind == bootloader.kind && p.mode == bootloader.mode)
            return &p;
    return nullptr;
}

void applyProfile(BootloaderProfile& bootloader, const ProfileInfo& profile) {
    bootloader.kind = profile.kind;
    bootloader.mode = profile.mode;
}

std::optional<std::uint64_t> numericSetting(const BootloaderProfile& bootloader, std::string_view name) {
    const std::string* v = bootloader.setting(name);
    if (!v)
        return std::nullopt;
    auto n = parseNumber(*v);
    return n ? std::optional<std::uint64_t>(*n) : std::nullopt;
}

} // namespace flashplan
