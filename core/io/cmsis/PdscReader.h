// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::cmsis {

/// A <memory> of a device, old style (id="IROM1") or new style (name="Flash" access="rx").
struct PdscMemory {
    std::string name;   ///< @name, or @id for the old style
    std::string access; ///< @access; for the old style what the id means: "rx" for ROM ids, "rwx" for RAM
    std::uint64_t start = 0, size = 0;
    bool isDefault = false, startup = false;
    std::string alias;     ///< @alias: the region this one is another view of
    std::string processor; ///< @Pname, on multi-core devices
    SourceLocation where;
    /// Read-only and executable: flash (or ROM) as the memory map describes it.
    bool isFlash() const;
};

/// An <algorithm>: a flash programming algorithm (.FLM) and the range the device uses it for.
struct PdscAlgorithm {
    std::string file; ///< @name, with '/' separators
    std::uint64_t start = 0, size = 0;
    bool isDefault = false;
    std::string processor; ///< @Pname
    SourceLocation where;
};

/// One orderable part: a <device>, or each <variant> of one, with what it inherits from its <family>
/// and <subFamily> already applied.
struct PdscDevice {
    std::string name;       ///< @Dvariant, else @Dname
    std::string deviceName; ///< @Dname (the device a variant belongs to)
    std::string vendor;     ///< @Dvendor without its ":<number>" code
    std::string family, subFamily;
    std::vector<PdscMemory> memories;
    std::vector<PdscAlgorithm> algorithms;
    SourceLocation where;
};

/// A pack description file: the pack's identity and its devices.
struct PdscPack {
    std::string fileName;
    std::string vendor, name, version; ///< <vendor>, <name>, the first (newest) <release>
    std::vector<PdscDevice> devices;
};

/// Reads a .pdsc. The <devices> tree inherits downwards: a family's memories and algorithms pass to its
/// sub-families, devices and variants, each level adding its own; an element with the same key as one
/// inherited replaces it (memories by @name or @id, algorithms by @name). A device with variants gives
/// one PdscDevice per variant. Elements Flashplan does not read (<debug>, <compile>, <feature>...) are
/// left alone. Errors name the file, the line and the attribute: XML syntax, a root that is not
/// <package>, a missing or malformed number, a memory or algorithm of size 0.
Result<PdscPack> readPdsc(std::string_view text, const std::string& fileName);

} // namespace flashplan::cmsis
