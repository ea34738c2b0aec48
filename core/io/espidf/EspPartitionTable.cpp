// SPDX-License-Identifier: Apache-2.0
#include "io/espidf/EspPartitionTable.h"

#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace flashplan::esp {

namespace {

struct TypeKeyword {
    std::string_view name;
    unsigned value;
};
struct Keyword {
    unsigned type;
    std::string_view name;
    unsigned value;
};

// esp_partition_type_t / esp_partition_subtype_t, as gen_esp32part.py spells them. The OTA and TEE app
// slots are numbered ranges, handled in subtypeValue().
constexpr std::array kTypes{
    TypeKeyword{"app", kApp},
    TypeKeyword{"data", kData},
    TypeKeyword{"bootloader", kBootloader},
    TypeKeyword{"partition_table", kPartitionTable},
};
constexpr std::array kSubtypes{
    Keyword{kApp, "factory", 0x00},
    Keyword{kApp, "test", 0x20},
    Keyword{kData, "ota", 0x00},
    Keyword{kData, "phy", 0x01},
    Keyword{kData, "nvs", 0x02},
    Keyword{kData, "coredump", 0x03},
    Keyword{kData, "nvs_keys", 0x04},
    Keyword{kData, "efuse", 0x05},
    Keyword{kData, "undefined", 0x06},
    Keyword{kData, "esphttpd", 0x80},
    Keyword{kData, "fat", 0x81},
    Keyword{kData, "spiffs", 0x82},
    Keyword{kData, "littlefs", 0x83},
    Keyword{kData, "tee_ota", 0x90},
    Keyword{kBootloader, "primary", 0x00},
    Keyword{kBootloader, "ota", 0x01},
    Keyword{kBootloader, "recovery", 0x02},
    Keyword{kPartitionTable, "primary", 0x00},
    Keyword{kPartitionTable, "ota", 0x01},
};
constexpr unsigned kOtaFirst = 0x10, kOtaCount = 16; // ota_0 .. ota_15
constexpr unsigned kTeeFirst = 0x30, kTeeCount = 2;  // tee_0, tee_1

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Python's int(text, 0): nullopt when Python would raise ValueError (or past 62 bits, far beyond any
/// flash).
std::optional<std::int64_t> pythonInt(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    unsigned base = 10;
    bool prefixed = false;
    if (s.size() >= 2 && s[0] == '0') {
        const char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
        if (p == 'x' || p == 'o' || p == 'b') {
            base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
            prefixed = true;
            s.remove_prefix(2);
            if (!s.empty() && s.front() == '_') // "0x_1f" is allowed
                s.remove_prefix(1);
        }
    }
    if (s.empty() || s.front() == '_' || s.back() == '_' || s.find("__") != std::string_view::npos)
        return std::nullopt;
    std::int64_t value = 0;
    bool nonZero = false;
    for (char c : s) {
        if (c == '_')
            continue;
        const int d = hexDigitValue(c);
        if (d < 0 || d >= static_cast<int>(base))
            return std::nullopt;
        if (value > ((std::int64_t{1} << 62) - d) / base)
            return std::nullopt;
        value = value * base + d;
        nonZero = nonZero || d != 0;
    }
    // Decimal literals other than zero may not start with 0 ("010" is a ValueError in Python 3).
    if (!prefixed && s.front() == '0' && nonZero)
        return std::nullopt;
    return negative ? -value : value;
}

} // namespace

Result<std::int64_t> parseInt(std::string_view text) {
    std::string_view s = text;
    std::int64_t multiplier = 1;
    while (!s.empty()) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
        if (c != 'k' && c != 'm')
            break;
        multiplier *= c == 'k' ? 1024 : 1024 * 1024;
        if (multiplier > (std::int64_t{1} << 40))
            return makeError(Errc::Parse, "'" + std::string(text) + "' is not a number");
        s.remove_suffix(1);
    }
    const auto value = pythonInt(s);
    if (!value)
        return makeError(Errc::Parse,
                         "'" + std::string(text) +
                             "' is not a number (decimal, 0x hex, with an optional K or M suffix)");
    const std::int64_t limit = (std::int64_t{1} << 62) / multiplier;
    if (*value > limit || *value < -limit)
        return makeError(Errc::Parse, "'" + std::string(text) + "' is too large");
    return *value * multiplier;
}

std::optional<unsigned> typeValue(std::string_view text) {
    if (text.empty())
        return std::nullopt;
    if (const auto n = parseInt(text); n.ok())
        return *n >= 0 && *n <= 0xff ? std::optional<unsigned>(static_cast<unsigned>(*n)) : std::nullopt;
    const std::string l = lower(text);
    for (const TypeKeyword& k : kTypes)
        if (k.name == l)
            return k.value;
    return std::nullopt;
}

std::optional<unsigned> subtypeValue(unsigned type, std::string_view text) {
    if (text.empty())
        return type == kApp ? std::nullopt : std::optional<unsigned>(kSubtypeUndefined);
    if (const auto n = parseInt(text); n.ok())
        return *n >= 0 && *n <= 0xff ? std::optional<unsigned>(static_cast<unsigned>(*n)) : std::nullopt;
    const std::string l = lower(text);
    for (const Keyword& k : kSubtypes)
        if (k.type == type && k.name == l)
            return k.value;
    if (type == kApp) {
        for (unsigned i = 0; i < kOtaCount; ++i)
            if (l == "ota_" + std::to_string(i))
                return kOtaFirst + i;
        for (unsigned i = 0; i < kTeeCount; ++i)
            if (l == "tee_" + std::to_string(i))
                return kTeeFirst + i;
    }
    return std::nullopt;
}

std::uint64_t offsetAlignment(unsigned type) {
    return type == kApp ? 0x10000 : 0x1000;
}

bool isProjectSubtype(unsigned type, std::string_view text) {
    return (type == kApp || type == kData) && !subtypeValue(type, text) && !text.empty() &&
           !std::isdigit(static_cast<unsigned char>(text.front())) &&
           std::all_of(text.begin(), text.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool isPrimaryTableOrBootloader(unsigned type, unsigned subtype) {
    return (type == kBootloader || type == kPartitionTable) && subtype == kSubtypePrimary;
}

PartitionRole roleOf(unsigned type, std::optional<unsigned> subtype) {
    switch (type) {
    case kApp:
        if (subtype == kOtaFirst)
            return PartitionRole::Slot0;
        if (subtype == kOtaFirst + 1)
            return PartitionRole::Slot1;
        return PartitionRole::Custom;
    case kData:
        if (!subtype)
            return PartitionRole::Custom;
        switch (*subtype) {
        case 0x02: // nvs
        case 0x80: // esphttpd
        case 0x81: // fat
        case 0x82: // spiffs
        case 0x83: // littlefs
            return PartitionRole::Storage;
        case 0x04: // nvs_keys: the keys of encrypted NVS, written once
            return PartitionRole::Reserved;
        default:
            return PartitionRole::Custom;
        }
    case kBootloader:
        return PartitionRole::Boot;
    case kPartitionTable:
        return PartitionRole::Reserved;
    default:
        return PartitionRole::Custom;
    }
}

Result<Flags> parseFlags(std::string_view text) {
    Flags flags;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t colon = std::min(text.find(':', pos), text.size());
        std::string_view flag = text.substr(pos, colon - pos);
        while (!flag.empty() && std::isspace(static_cast<unsigned char>(flag.front())))
            flag.remove_prefix(1);
        while (!flag.empty() && std::isspace(static_cast<unsigned char>(flag.back())))
            flag.remove_suffix(1);
        if (flag == "encrypted")
            flags.encrypted = true;
        else if (flag == "readonly")
            flags.readOnly = true;
        else if (!flag.empty())
            return makeError(Errc::Parse,
                             "unknown flag '" + std::string(flag) + "' (flags are encrypted and readonly)");
        pos = colon + 1;
    }
    return flags;
}

std::string sizeText(std::uint64_t size) {
    return size != 0 && size % 1024 == 0 ? formatSizeWithSuffix(size) : formatHex(size);
}

} // namespace flashplan::esp
