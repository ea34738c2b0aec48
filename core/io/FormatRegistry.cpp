// SPDX-License-Identifier: Apache-2.0
// The one table of file formats, sorted by name. A new format adds its importer/exporter objects and a row.
#include "io/Format.h"
#include "io/NativeFormat.h"
#include "io/cflashmap/CFlashMapExporter.h"
#include "io/dts/DtsExporter.h"
#include "io/dts/DtsImporter.h"
#include "io/espidf/EspCsvExporter.h"
#include "io/espidf/EspCsvImporter.h"
#include "io/json/JsonFormat.h"
#include "io/mcuboot/KconfigExporter.h"
#include "io/nordic/PmStaticExporter.h"
#include "io/nordic/PmStaticImporter.h"
#include "io/wolfboot/TargetHeaderExporter.h"
#include "io/wolfboot/TargetHeaderImporter.h"
#include "io/wolfboot/WolfBootConfigExporter.h"
#include "io/wolfboot/WolfBootConfigImporter.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace flashplan {

namespace {
const CFlashMapExporter kCFlashMapExporter;
const DtsImporter kDtsImporter;
const DtsExporter kDtsExporter;
const EspCsvImporter kEspCsvImporter;
const EspCsvExporter kEspCsvExporter;
const JsonImporter kJsonImporter;
const JsonExporter kJsonExporter;
const KconfigExporter kKconfigExporter;
const NativeImporter kNativeImporter;
const NativeExporter kNativeExporter;
const PmStaticImporter kPmStaticImporter;
const PmStaticExporter kPmStaticExporter;
const WolfBootConfigImporter kWolfBootConfigImporter;
const WolfBootConfigExporter kWolfBootConfigExporter;
const TargetHeaderImporter kTargetHeaderImporter;
const TargetHeaderExporter kTargetHeaderExporter;

const std::array kFormats{
    Format{"c-flash-map", "C flash map (.c and .h)", ".c", nullptr, &kCFlashMapExporter},
    Format{"dts", "Zephyr devicetree", ".dts .dtsi .overlay", &kDtsImporter, &kDtsExporter},
    Format{"esp-idf-csv", "ESP-IDF partitions.csv", ".csv", &kEspCsvImporter, &kEspCsvExporter},
    Format{"flashplan", "Flashplan layout", ".flashplan", &kNativeImporter, &kNativeExporter},
    Format{"json", "JSON layout for scripts", ".json", &kJsonImporter, &kJsonExporter},
    Format{"mcuboot-kconfig", "MCUboot Kconfig fragment", ".conf", nullptr, &kKconfigExporter},
    Format{"pm-static-yml", "nRF Partition Manager pm_static.yml", ".yml .yaml", &kPmStaticImporter,
           &kPmStaticExporter},
    Format{"wolfboot-config", "wolfBoot .config", ".config", &kWolfBootConfigImporter,
           &kWolfBootConfigExporter},
    Format{"wolfboot-target-h", "wolfBoot target.h", ".h", &kTargetHeaderImporter, &kTargetHeaderExporter},
};
} // namespace

std::span<const Format> allFormats() {
    return kFormats;
}

const Format* findFormat(std::string_view name) {
    for (const Format& f : kFormats)
        if (f.name == name)
            return &f;
    return nullptr;
}

bool hasExtension(const Format& format, std::string_view fileName) {
    std::string lower(fileName);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string_view exts = format.extensions;
    while (!exts.empty()) {
        const auto space = exts.find(' ');
        const std::string_view ext = exts.substr(0, space);
        if (!ext.empty() && std::string_view(lower).ends_with(ext))
            return true;
        if (space == std::string_view::npos)
            break;
        exts.remove_prefix(space + 1);
    }
    return false;
}

Result<const Format*> detectFormat(std::string_view text, const std::string& fileName) {
    const Format* best = nullptr;
    int bestScore = 0;
    // Every format announces itself near the top of a file; sniffing a bounded head keeps detection cheap
    // for a 300 KB preprocessed devicetree whatever each sniffer does with it.
    constexpr std::size_t kHead = 64 * 1024;
    std::string_view head = text.substr(0, std::min(text.size(), kHead));
    if (head.size() < text.size()) {
        const auto lastLine = head.rfind('\n');
        if (lastLine != std::string_view::npos)
            head = head.substr(0, lastLine + 1); // no sniffer sees a line cut in half
    }
    for (const Format& f : kFormats) {
        if (!f.importer)
            continue;
        const int score = f.importer->sniff(head, fileName);
        if (score > bestScore) {
            best = &f;
            bestScore = score;
        }
    }
    if (!best) {
        std::string names;
        for (const Format& f : kFormats)
            if (f.importer)
                names += (names.empty() ? "" : ", ") + std::string(f.name);
        Error e = makeError(Errc::NotFound,
                            "not a layout format Flashplan reads (" + names + "); --from names one");
        e.where.file = fileName;
        return e;
    }
    return best;
}

} // namespace flashplan
