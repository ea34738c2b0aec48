// SPDX-License-Identifier: Apache-2.0
#include "model/Partition.h"

#include "util/NameTable.h"

namespace flashplan {

namespace {
constexpr NameTable<PartitionRole, 8> kRoleNames{{
    {PartitionRole::Boot, "boot"},
    {PartitionRole::Slot0, "slot0"},
    {PartitionRole::Slot1, "slot1"},
    {PartitionRole::Scratch, "scratch"},
    {PartitionRole::Swap, "swap"},
    {PartitionRole::Storage, "storage"},
    {PartitionRole::Reserved, "reserved"},
    {PartitionRole::Custom, "custom"},
}};

bool isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
} // namespace

std::string_view to_string(PartitionRole role) {
    return nameIn(kRoleNames, role, "custom");
}

std::optional<PartitionRole> partitionRoleFromString(std::string_view text) {
    return valueIn(kRoleNames, text);
}

const std::string* findProperty(const Properties& properties, std::string_view key) {
    for (const auto& [k, v] : properties)
        if (k == key)
            return &v;
    return nullptr;
}

void setProperty(Properties& properties, std::string_view key, std::string value) {
    for (auto& [k, v] : properties)
        if (k == key) {
            v = std::move(value);
            return;
        }
    properties.emplace_back(std::string(key), std::move(value));
}

bool isValidLabel(std::string_view label) {
    if (label.empty() || !isAlpha(label.front()))
        return false;
    for (char c : label)
        if (!isAlpha(c) && !(c >= '0' && c <= '9'))
            return false;
    return true;
}

} // namespace flashplan
