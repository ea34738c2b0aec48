// SPDX-License-Identifier: Apache-2.0
#include "io/cmsis/PackImporter.h"

#include "io/cmsis/FlmReader.h"
#include "util/Numbers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>

namespace flashplan::cmsis {

namespace {

// Words that name what an algorithm or a region programs when it is not flash for partitions: option
// bytes (ST's OPT/OB), one-time-programmable areas, Nordic's UICR/FICR, configuration words and fuses.
// Matched as whole words of the name, so "OPT" in "STM32F74x_75x_OPT.FLM" but not in "OPTIGA".
constexpr std::array kConfigurationWords{"OPT",           "OB",   "OPTION", "OPTIONS", "OPTIONBYTES",
                                         "OTP",           "UICR", "FICR",   "CFG",     "CONFIG",
                                         "CONFIGURATION", "FUSE", "FUSES",  "EFUSE",   "USERROW"};

bool namesConfiguration(std::string_view name) {
    std::string word;
    const auto matches = [&] {
        return std::any_of(kConfigurationWords.begin(), kConfigurationWords.end(),
                           [&](const char* w) { return word == w; });
    };
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            continue;
        }
        if (matches())
            return true;
        word.clear();
    }
    return matches();
}

bool sameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

Error errorAt(const SourceLocation& where, std::string field, std::string message) {
    Error e = makeError(Errc::Schema, std::move(message));
    e.where = where;
    e.field = std::move(field);
    return e;
}

/// One stretch of flash built from the algorithms of one memory region.
struct Piece {
    const PdscMemory* region = nullptr;
    std::uint64_t start = 0;
    SectorMap sectors;
    std::uint8_t erased = 0xff;
    FlashKind kind = FlashKind::Internal;
    std::vector<const PdscAlgorithm*> algorithms;
    std::vector<std::pair<const PdscAlgorithm*, std::uint64_t>> aliases; ///< algorithm, its address
    std::vector<std::string> regions;                                    ///< names, for the device name
    std::uint64_t end() const { return start + sectors.totalSize(); }
};

/// Builds the boards of one pack; the FLMs are read once each however many parts use them.
class Importer {
public:
    Importer(const PdscPack& pack, const PackFileReader& read, std::span<const Board> known)
        : pack_(pack), read_(read), known_(known) {}

    Result<PackImport> run() {
        std::map<std::string, SourceLocation> ids;
        for (const PdscDevice& d : pack_.devices) {
            if (const auto it = ids.find(d.name); it != ids.end())
                return errorAt(d.where, "Dname",
                               "part " + d.name + " is described twice (first at line " +
                                   std::to_string(it->second.line) + ")");
            ids.emplace(d.name, d.where);
            auto board = boardOf(d);
            if (!board)
                return board.error();
            if (!board->devices.empty())
                out_.boards.push_back(std::move(*board));
        }
        return std::move(out_);
    }

private:
    void note(Severity severity, const char* rule, const PdscDevice& d, const SourceLocation& at,
              const std::string& message) {
        out_.notes.push_back({severity,
                              rule,
                              at.file + ":" + std::to_string(at.line) + ": " + d.name + ": " + message,
                              {},
                              {}});
        // The board file keeps what was decided about its flash; what was left out (option bytes, a
        // family's external-flash algorithms, the same for every part) only the import reports.
        if (std::string_view(rule) != "cmsis.not-flash")
            notes_.push_back(message);
    }

    Result<const FlmDevice*> flm(const PdscAlgorithm& a) {
        if (const auto it = flms_.find(a.file); it != flms_.end())
            return &it->second;
        auto bytes = read_(a.file);
        if (!bytes)
            return errorAt(a.where, "name", "algorithm " + a.file + ": " + bytes.error().toString());
        auto device =
            readFlm(std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()), a.file);
        if (!device)
            return device.error();
        return &flms_.emplace(a.file, std::move(*device)).first->second;
    }

    /// The flash region an algorithm programs, or nullptr when it programs no flash for partitions.
    const PdscMemory* regionOf(const PdscDevice& d, const PdscAlgorithm& a) {
        if (namesConfiguration(a.file)) {
            note(Severity::Info, "cmsis.not-flash", d, a.where,
                 "algorithm " + a.file +
                     " programs option bytes, OTP or configuration, not flash for partitions");
            return nullptr;
        }
        for (const PdscMemory& m : d.memories) {
            if (!m.isFlash() || a.start < m.start || a.start - m.start >= m.size)
                continue;
            if (namesConfiguration(m.name)) {
                note(Severity::Info, "cmsis.not-flash", d, a.where,
                     "algorithm " + a.file + " programs memory " + m.name +
                         ", which holds option bytes, OTP or configuration, not flash for partitions");
                return nullptr;
            }
            return &m;
        }
        note(Severity::Info, "cmsis.not-flash", d, a.where,
             "algorithm " + a.file + " at " + formatHex(a.start) +
                 " programs no flash region of the memory map (option bytes, OTP, configuration or a "
                 "board's external memory): not imported");
        return nullptr;
    }

    Result<std::optional<Piece>> pieceOf(const PdscDevice& d, const PdscMemory& region,
                                         std::vector<const PdscAlgorithm*> algorithms) {
        // Several algorithms for one region are alternatives (another bank mode, another clock): the
        // defaults are the ones the pack means; with none marked, the first.
        std::vector<const PdscAlgorithm*> chosen;
        std::copy_if(algorithms.begin(), algorithms.end(), std::back_inserter(chosen),
                     [](const PdscAlgorithm* a) { return a->isDefault; });
        if (chosen.empty())
            chosen.push_back(algorithms.front());
        std::stable_sort(chosen.begin(), chosen.end(),
                         [](const PdscAlgorithm* a, const PdscAlgorithm* b) { return a->start < b->start; });
        // Two defaults for the same range are one flash in two configurations (the STM32F76x's single-
        // and dual-bank modes, chosen by an option bit): the first listed is the one used.
        for (std::size_t i = 1; i < chosen.size();) {
            if (chosen[i]->start != chosen[i - 1]->start) {
                ++i;
                continue;
            }
            note(Severity::Info, "cmsis.alternative", d, chosen[i]->where,
                 "algorithm " + chosen[i]->file + " programs the same range as " + chosen[i - 1]->file +
                     " in another configuration (such as a dual-bank mode): the first listed is used");
            chosen.erase(chosen.begin() + static_cast<std::ptrdiff_t>(i));
        }
        Piece p;
        p.region = &region;
        p.start = chosen.front()->start;
        p.regions.push_back(region.name);
        std::vector<SectorRun> runs;
        std::uint64_t end = p.start;
        for (const PdscAlgorithm* a : chosen) {
            if (a->start != end)
                return errorAt(a->where, "start",
                               "algorithm " + a->file + " starts at " + formatHex(a->start) +
                                   ", but region " + region.name + "'s algorithms reach " + formatHex(end) +
                                   " (overlapping or leaving a gap)");
            auto f = flm(*a);
            if (!f)
                return f.error();
            const FlmDevice& algo = **f;
            if (algo.type >= 2 && algo.type <= 4) {
                note(Severity::Info, "cmsis.not-flash", d, a->where,
                     "algorithm " + a->file + " programs parallel NOR (DevType " + std::to_string(algo.type) +
                         "), which Flashplan does not model: not imported");
                return std::optional<Piece>();
            }
            if (algo.absoluteSectors)
                note(Severity::Info, "cmsis.absolute-sectors", d, a->where,
                     "algorithm " + a->file + " stores its sector addresses as CPU addresses (from " +
                         formatHex(algo.address) + ") rather than offsets from DevAdr: rebased");
            const std::uint64_t regionLeft = region.start + region.size - a->start;
            const std::uint64_t length = std::min<std::uint64_t>({a->size, algo.size, regionLeft});
            if (length < algo.size)
                note(Severity::Info, "cmsis.clipped", d, a->where,
                     "algorithm " + a->file + " describes " + formatSize(algo.size) + "; the part has " +
                         formatSize(length) + " at " + formatHex(a->start) +
                         " (the algorithm's range and memory " + region.name + "): using the first " +
                         formatSize(length));
            auto head = algo.sectors.head(length);
            if (!head)
                return errorAt(a->where, "size",
                               "algorithm " + a->file + " cut to the part's " + formatSize(length) + ": " +
                                   head.error().message);
            runs.insert(runs.end(), head->runs().begin(), head->runs().end());
            end += length;
            p.erased = algo.erasedValue;
            p.kind = algo.type == 5 ? FlashKind::Qspi : FlashKind::Internal;
            p.algorithms.push_back(a);
        }
        auto map = SectorMap::fromRuns(runs);
        if (!map)
            return errorAt(chosen.front()->where, "name", map.error().message);
        p.sectors = std::move(*map);
        return std::optional<Piece>(std::move(p));
    }

    /// Folds a region that shows the same flash as a startup or default one into it.
    void foldAliases(const PdscDevice& d, std::vector<Piece>& pieces) {
        const auto primary = [](const PdscMemory& m) { return m.startup || m.isDefault; };
        for (std::size_t j = 0; j < pieces.size(); ++j) {
            for (std::size_t i = 0; i < pieces.size(); ++i) {
                Piece& a = pieces[i];
                const Piece& b = pieces[j];
                if (i == j || a.sectors != b.sectors || a.erased != b.erased || a.kind != b.kind)
                    continue;
                const bool apart = b.end() < a.start || a.end() < b.start;
                const bool named = !b.region->alias.empty() && b.region->alias == a.region->name;
                if (!apart || !(named || (primary(*a.region) && !primary(*b.region))))
                    continue;
                note(Severity::Info, "cmsis.alias", d, b.algorithms.front()->where,
                     "memory " + b.region->name + " at " + formatHex(b.start) + " is the flash of " +
                         a.region->name + " at " + formatHex(a.start) + " seen at a second address (" +
                         (named ? "its alias attribute"
                                : "the same sectors, not the startup or default region") +
                         "): one device, the alias kept in its provenance");
                for (const PdscAlgorithm* x : b.algorithms)
                    a.aliases.emplace_back(x, b.start + (x->start - b.algorithms.front()->start));
                pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(j));
                --j;
                break;
            }
        }
    }

    /// Joins regions that follow each other without a gap (the banks of a dual-bank part).
    void joinBanks(const PdscDevice& d, std::vector<Piece>& pieces) {
        std::sort(pieces.begin(), pieces.end(),
                  [](const Piece& a, const Piece& b) { return a.start < b.start; });
        for (std::size_t i = 1; i < pieces.size();) {
            Piece& a = pieces[i - 1];
            Piece& b = pieces[i];
            if (a.end() != b.start || a.erased != b.erased || a.kind != b.kind) {
                ++i;
                continue;
            }
            note(Severity::Info, "cmsis.banks", d, b.algorithms.front()->where,
                 "flash at " + formatHex(b.start) + " (" + b.regions.front() + ") follows " +
                     formatHex(a.start) + " (" + a.regions.front() +
                     ") without a gap: one device over both banks, as Zephyr's flash drivers present it");
            std::vector<SectorRun> runs = a.sectors.runs();
            runs.insert(runs.end(), b.sectors.runs().begin(), b.sectors.runs().end());
            a.sectors = *SectorMap::fromRuns(runs); // both halves were valid maps; only the total grows
            a.algorithms.insert(a.algorithms.end(), b.algorithms.begin(), b.algorithms.end());
            a.aliases.insert(a.aliases.end(), b.aliases.begin(), b.aliases.end());
            a.regions.insert(a.regions.end(), b.regions.begin(), b.regions.end());
            pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }

    /// Takes the device database's sector map and write block where it knows the part: datasheet
    /// figures, where a pack's algorithm may erase in coarser units than the chip.
    void preferDatasheet(const PdscDevice& d, Board& board) {
        const Board* match = nullptr;
        for (const Board& b : known_)
            if (!b.soc.empty() && (sameName(b.soc, d.deviceName) || sameName(b.soc, d.name)) && !b.source)
                match = &b;
        if (!match)
            return;
        for (FlashDevice& f : board.devices) {
            for (const FlashDevice& k : match->devices) {
                if (k.kind != f.kind || k.cpuBase != f.cpuBase || k.size() != f.size())
                    continue;
                f.writeBlockSize = k.writeBlockSize;
                f.writeBlockKnown = k.writeBlockKnown;
                if (k.sectors != f.sectors) {
                    const bool coarser = f.sectors.smallestSector() > k.sectors.smallestSector();
                    note(Severity::Warning, "cmsis.coarser-erase", d, d.where,
                         "the pack's algorithm erases " + f.id + " as " + f.sectors.toString() +
                             (coarser ? ", coarser than the chip" : "") + "; the device database (board " +
                             match->id + ", from the datasheet) says " + k.sectors.toString() +
                             ": using the datasheet's");
                    f.sectors = k.sectors;
                }
                break;
            }
        }
    }

    Result<Board> boardOf(const PdscDevice& d) {
        notes_.clear();
        std::vector<std::vector<const PdscAlgorithm*>> byRegion(d.memories.size());
        for (const PdscAlgorithm& a : d.algorithms)
            if (const PdscMemory* m = regionOf(d, a))
                byRegion[static_cast<std::size_t>(m - d.memories.data())].push_back(&a);
        std::vector<Piece> pieces;
        for (std::size_t r = 0; r < d.memories.size(); ++r) {
            if (byRegion[r].empty())
                continue;
            auto piece = pieceOf(d, d.memories[r], byRegion[r]);
            if (!piece)
                return piece.error();
            if (*piece)
                pieces.push_back(std::move(**piece));
        }
        foldAliases(d, pieces);
        joinBanks(d, pieces);

        Board board;
        board.id = d.name;
        board.name = d.name;
        board.vendor = d.vendor;
        board.soc = d.deviceName;
        BoardSource source;
        source.kind = "cmsis-pack";
        source.vendor = pack_.vendor;
        source.pack = pack_.name;
        source.version = pack_.version;
        source.file = std::filesystem::path(pack_.fileName).filename().string();
        for (const Piece& p : pieces) {
            FlashDevice f;
            f.id = "flash" + std::to_string(board.devices.size());
            std::string regions;
            for (const std::string& r : p.regions)
                regions += (regions.empty() ? "" : " + ") + r;
            f.name = d.name + " " + regions;
            f.kind = p.kind;
            if (p.kind == FlashKind::Internal)
                f.cpuBase = p.start;
            else
                f.xip = XipWindow{p.start, p.sectors.totalSize()};
            f.sectors = p.sectors;
            f.eraseValue = p.erased;
            f.writeBlockKnown = false; // a pack never says it; the database may (preferDatasheet)
            for (const PdscAlgorithm* a : p.algorithms)
                source.algorithms.push_back({f.id, a->file, std::nullopt});
            for (const auto& [a, address] : p.aliases)
                source.algorithms.push_back({f.id, a->file, address});
            board.devices.push_back(std::move(f));
        }
        if (board.devices.empty()) {
            note(Severity::Info, "cmsis.no-flash", d, d.where,
                 "no algorithm programs flash of its memory map: no board written");
            return board;
        }
        preferDatasheet(d, board);
        source.notes = notes_;
        board.source = std::move(source);
        return board;
    }

    const PdscPack& pack_;
    const PackFileReader& read_;
    std::span<const Board> known_;
    std::map<std::string, FlmDevice> flms_;
    std::vector<std::string> notes_; ///< the current board's, for its provenance
    PackImport out_;
};

} // namespace

Result<PackImport> importPack(const PdscPack& pack, const PackFileReader& read,
                              std::span<const Board> known) {
    return Importer(pack, read, known).run();
}

} // namespace flashplan::cmsis
