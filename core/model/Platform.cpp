// SPDX-License-Identifier: Apache-2.0
#include "model/Platform.h"

#include "model/Layout.h"

#include <array>
#include <utility>

namespace flashplan {

namespace {
constexpr std::array<std::pair<Platform, std::string_view>, 5> kPlatformNames{{
    {Platform::Generic, "generic"},
    {Platform::Zephyr, "zephyr"},
    {Platform::PartitionManager, "partition-manager"},
    {Platform::Wolfboot, "wolfboot"},
    {Platform::EspIdf, "esp-idf"},
}};
} // namespace

std::string_view to_string(Platform platform) {
    for (const auto& [p, name] : kPlatformNames)
        if (p == platform)
            return name;
    return "generic";
}

std::optional<Platform> platformFromString(std::string_view text) {
    for (const auto& [p, name] : kPlatformNames)
        if (name == text)
            return p;
    return std::nullopt;
}

Platform platformOf(const Layout& layout) {
    if (layout.platform != Platform::Generic)
        return layout.platform;
    if (layout.bootloader.is(BootloaderKind::Wolfboot))
        return Platform::Wolfboot;
    return Platform::Generic;
}

} // namespace flashplan
