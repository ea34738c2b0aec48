// SPDX-License-Identifier: Apache-2.0
#include "io/RoleNames.h"

#include <array>
#include <cctype>
#include <string>

namespace flashplan {

namespace {

struct NamedRole {
    std::string_view name;
    PartitionRole role;
};

// Exact names (compared case-insensitively, '-' and '_' alike).
constexpr std::array kNames{
    NamedRole{"boot_partition", PartitionRole::Boot},
    NamedRole{"mcuboot", PartitionRole::Boot},
    NamedRole{"mcuboot_partition", PartitionRole::Boot},
    NamedRole{"bootloader", PartitionRole::Boot},
    NamedRole{"wolfboot", PartitionRole::Boot},
    NamedRole{"image_0", PartitionRole::Slot0},
    NamedRole{"image_1", PartitionRole::Slot1},
    NamedRole{"image_scratch", PartitionRole::Scratch},
    NamedRole{"scratch_partition", PartitionRole::Scratch},
    NamedRole{"mcuboot_scratch", PartitionRole::Scratch},
    NamedRole{"storage_partition", PartitionRole::Storage},
    NamedRole{"storage", PartitionRole::Storage},
    NamedRole{"settings_storage", PartitionRole::Storage},
    NamedRole{"nvs_storage", PartitionRole::Storage},
    NamedRole{"littlefs_storage", PartitionRole::Storage},
    NamedRole{"lfs_partition", PartitionRole::Storage},
    NamedRole{"nvs", PartitionRole::Storage},
    NamedRole{"settings_partition", PartitionRole::Storage},
};

std::string normalise(std::string_view name) {
    std::string out;
    for (char c : name)
        out += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// "<prefix><digits><suffix>" -> the number, or -1.
int numberBetween(std::string_view s, std::string_view prefix, std::string_view suffix) {
    if (!s.starts_with(prefix) || !s.ends_with(suffix) || s.size() <= prefix.size() + suffix.size())
        return -1;
    const std::string_view digits = s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
    if (digits.size() > 3)
        return -1;
    int n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

} // namespace

RoleGuess roleFromName(std::string_view rawName) {
    const std::string name = normalise(rawName);
    for (const NamedRole& n : kNames)
        if (n.name == name)
            return {n.role, 0};
    // Zephyr numbers slots in pairs: slot0/slot1 are image 0, slot2/slot3 image 1, ...
    if (const int n = numberBetween(name, "slot", "_partition"); n >= 0)
        return {n % 2 == 0 ? PartitionRole::Slot0 : PartitionRole::Slot1, n / 2};
    // The Partition Manager: mcuboot_primary, mcuboot_primary_1, mcuboot_secondary_2, ...
    if (name == "mcuboot_primary")
        return {PartitionRole::Slot0, 0};
    if (name == "mcuboot_secondary")
        return {PartitionRole::Slot1, 0};
    if (const int n = numberBetween(name, "mcuboot_primary_", ""); n >= 0)
        return {PartitionRole::Slot0, n};
    if (const int n = numberBetween(name, "mcuboot_secondary_", ""); n >= 0)
        return {PartitionRole::Slot1, n};
    return {};
}

} // namespace flashplan
