// SPDX-License-Identifier: Apache-2.0
#include "io/RoleNames.h"

#include <array>
#include <cctype>
#include <optional>
#include <string>

namespace flashplan {

namespace {

struct NamedRole {
    std::string_view name;
    PartitionRole role;
};

// Other names that mean a role (compared case-insensitively, '-' and '_' alike), beside the platforms'
// own names of kPlatformNames: label properties of older boards, file systems' usual names.
constexpr std::array kNames{
    NamedRole{"mcuboot_partition", PartitionRole::Boot},
    NamedRole{"bootloader", PartitionRole::Boot},
    NamedRole{"wolfboot", PartitionRole::Boot},
    NamedRole{"image_0", PartitionRole::Slot0},
    NamedRole{"image_1", PartitionRole::Slot1},
    NamedRole{"image_scratch", PartitionRole::Scratch},
    NamedRole{"storage", PartitionRole::Storage},
    NamedRole{"nvs_storage", PartitionRole::Storage},
    NamedRole{"littlefs_storage", PartitionRole::Storage},
    NamedRole{"lfs_partition", PartitionRole::Storage},
    NamedRole{"nvs", PartitionRole::Storage},
    NamedRole{"settings_partition", PartitionRole::Storage},
};

/// A role's name on each platform. In a name, "{2i}" and "{2i+1}" are the slot numbers of image i
/// (Zephyr numbers slots in pairs: slot2/slot3 are image 1), "{_i}" is "_<i>" for images after the first
/// and nothing for image 0 (the Partition Manager's mcuboot_primary, mcuboot_primary_1). Sources: Zephyr's
/// MCUboot port (boot/zephyr/include/sysflash/sysflash.h), NCS include/flash_map_pm.h, whose
/// storage_partition is settings_storage when the settings use it.
struct PlatformNames {
    PartitionRole role;
    std::string_view zephyr;
    std::string_view partitionManager;

    std::string_view in(NameScheme scheme) const {
        return scheme == NameScheme::Zephyr ? zephyr : partitionManager;
    }
};
constexpr std::array kPlatformNames{
    PlatformNames{PartitionRole::Boot, "boot_partition", "mcuboot"},
    PlatformNames{PartitionRole::Slot0, "slot{2i}_partition", "mcuboot_primary{_i}"},
    PlatformNames{PartitionRole::Slot1, "slot{2i+1}_partition", "mcuboot_secondary{_i}"},
    PlatformNames{PartitionRole::Scratch, "scratch_partition", "mcuboot_scratch"},
    PlatformNames{PartitionRole::Storage, "storage_partition", "settings_storage"},
};
constexpr std::array kSchemes{NameScheme::Zephyr, NameScheme::PartitionManager};

/// A name's image-number placeholder: its text and what it stands for.
struct Placeholder {
    std::string_view text;
    int (*number)(int image); ///< the number written for an image; -1: nothing is written
    int (*image)(int number); ///< the image of a number written; -1: no image has it
};
constexpr std::array kPlaceholders{
    Placeholder{"{2i}", [](int i) { return 2 * i; }, [](int n) { return n % 2 == 0 ? n / 2 : -1; }},
    Placeholder{"{2i+1}", [](int i) { return 2 * i + 1; }, [](int n) { return n % 2 == 1 ? n / 2 : -1; }},
    Placeholder{"{_i}", [](int i) { return i == 0 ? -1 : i; }, [](int n) { return n; }},
};

std::string normalise(std::string_view name) {
    std::string out;
    for (char c : name)
        out += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Splits a platform name at its placeholder: prefix, placeholder (nullptr when none), suffix.
struct Pattern {
    std::string_view prefix;
    const Placeholder* placeholder = nullptr;
    std::string_view suffix;
};
Pattern patternOf(std::string_view name) {
    for (const Placeholder& p : kPlaceholders)
        if (const auto at = name.find(p.text); at != std::string_view::npos)
            return {name.substr(0, at), &p, name.substr(at + p.text.size())};
    return {name, nullptr, {}};
}

std::string expand(std::string_view name, int image) {
    const Pattern p = patternOf(name);
    if (!p.placeholder)
        return image == 0 ? std::string(name) : std::string();
    const int n = p.placeholder->number(image);
    const bool underscore = p.placeholder->text == "{_i}";
    return std::string(p.prefix) + (n < 0 ? "" : (underscore ? "_" : "") + std::to_string(n)) +
           std::string(p.suffix);
}

/// The image a (normalised) name is of, when it is `name` with its placeholder filled in.
std::optional<int> match(std::string_view candidate, std::string_view name) {
    const Pattern p = patternOf(name);
    if (!p.placeholder)
        return candidate == name ? std::optional<int>(0) : std::nullopt;
    if (!candidate.starts_with(p.prefix) || !candidate.ends_with(p.suffix) ||
        candidate.size() < p.prefix.size() + p.suffix.size())
        return std::nullopt;
    std::string_view digits =
        candidate.substr(p.prefix.size(), candidate.size() - p.prefix.size() - p.suffix.size());
    if (p.placeholder->text == "{_i}") {
        if (digits.empty())
            return 0;
        if (!digits.starts_with('_'))
            return std::nullopt;
        digits.remove_prefix(1);
    }
    if (digits.empty() || digits.size() > 3)
        return std::nullopt;
    int n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    const int image = p.placeholder->image(n);
    return image < 0 ? std::nullopt : std::optional<int>(image);
}

} // namespace

RoleGuess roleFromName(std::string_view rawName) {
    const std::string name = normalise(rawName);
    for (const NamedRole& n : kNames)
        if (n.name == name)
            return {n.role, 0};
    for (const PlatformNames& row : kPlatformNames)
        for (const NameScheme scheme : kSchemes)
            if (const auto image = match(name, row.in(scheme)))
                return {row.role, *image};
    return {};
}

std::string platformName(PartitionRole role, int imageIndex, NameScheme scheme) {
    if (imageIndex < 0)
        return {};
    for (const PlatformNames& row : kPlatformNames)
        if (row.role == role)
            return expand(row.in(scheme), imageIndex);
    return {};
}

Layout withPlatformNames(const Layout& layout, NameScheme scheme) {
    Layout out = layout;
    for (Partition& p : out.partitions) {
        const std::string wanted = platformName(p.role, p.imageIndex, scheme);
        if (wanted.empty() || wanted == p.label || out.indexOf(wanted) >= 0)
            continue;
        bool otherPlatforms = false;
        for (const NameScheme other : kSchemes)
            otherPlatforms =
                otherPlatforms || (other != scheme && platformName(p.role, p.imageIndex, other) == p.label);
        if (!otherPlatforms)
            continue;
        const std::string old = p.label;
        p.label = wanted;
        for (Partition& q : out.partitions)
            if (q.parent == old)
                q.parent = wanted;
        for (auto& [key, value] : out.properties)
            if (value == old)
                value = wanted;
    }
    return out;
}

} // namespace flashplan
