// SPDX-License-Identifier: Apache-2.0
#include "io/nordic/PmContainers.h"

#include "util/Numbers.h"

#include <algorithm>
#include <map>
#include <set>

namespace flashplan::pm {

namespace {

using Set = std::set<std::size_t>;

class Nester {
public:
    explicit Nester(const std::vector<PmEntry>& entries) : e_(entries), direct_(entries.size()) {
        std::map<std::string, std::size_t, std::less<>> byName;
        for (std::size_t i = 0; i < e_.size(); ++i)
            byName.emplace(e_[i].name, i);
        for (std::size_t i = 0; i < e_.size(); ++i) {
            for (const std::string& n : e_[i].span)
                if (auto it = byName.find(n); it != byName.end() && it->second != i)
                    direct_[i].insert(it->second);
            // `inside: [c]` is the Partition Manager's way of adding a partition to c's span.
            for (const std::string& n : e_[i].inside)
                if (auto it = byName.find(n);
                    it != byName.end() && it->second != i && e_[it->second].container)
                    direct_[it->second].insert(i);
        }
        named_.resize(e_.size());
        leaves_.resize(e_.size());
        for (std::size_t i = 0; i < e_.size(); ++i) {
            Set seen;
            collect(i, seen, named_[i]);
            for (std::size_t j : named_[i])
                if (!e_[j].container)
                    leaves_[i].insert(j);
        }
    }

    /// c encloses p: the order in which parents are chosen. Strict: never both ways.
    bool encloses(std::size_t c, std::size_t p) const { return holds(c, p) && !(holds(p, c) && p < c); }

    bool within(std::size_t c, std::size_t p) const {
        const PmEntry &a = e_[c], &b = e_[p];
        return a.region == b.region && a.address <= b.address && b.end() <= a.end();
    }

    const Set& direct(std::size_t c) const { return direct_[c]; }
    const Set& leaves(std::size_t c) const { return leaves_[c]; }

private:
    /// Everything c spans, through spanned containers; `seen` stops span cycles.
    void collect(std::size_t c, Set& seen, Set& out) const {
        if (!seen.insert(c).second)
            return;
        for (std::size_t j : direct_[c]) {
            out.insert(j);
            if (e_[j].container)
                collect(j, seen, out);
        }
    }

    bool holds(std::size_t c, std::size_t p) const {
        if (c == p || !e_[c].container || !within(c, p))
            return false;
        if (named_[c].count(p))
            return true;
        return e_[p].container && !leaves_[p].empty() &&
               std::includes(leaves_[c].begin(), leaves_[c].end(), leaves_[p].begin(), leaves_[p].end());
    }

    const std::vector<PmEntry>& e_;
    std::vector<Set> direct_, named_, leaves_;
};

std::string range(const PmEntry& e) {
    return formatHex(e.address) + ".." + formatHex(e.end());
}

Diagnostic warning(const char* rule, std::string message) {
    return Diagnostic{Severity::Warning, rule, std::move(message), {}, std::nullopt};
}

} // namespace

Nesting nestContainers(const std::vector<PmEntry>& entries, const std::string& fileName) {
    const Nester nester(entries);
    const std::size_t n = entries.size();
    std::vector<std::ptrdiff_t> parent(n, -1);
    for (std::size_t p = 0; p < n; ++p) {
        for (std::size_t c = 0; c < n; ++c) {
            if (!nester.encloses(c, p))
                continue;
            if (parent[p] < 0) {
                parent[p] = static_cast<std::ptrdiff_t>(c);
                continue;
            }
            // The innermost: smallest, then spanning least, then (alike containers) the last in the file.
            const auto best = static_cast<std::size_t>(parent[p]);
            const auto key = [&](std::size_t i) {
                return std::make_tuple(entries[i].size, nester.leaves(i).size(), n - i);
            };
            if (key(c) < key(best))
                parent[p] = static_cast<std::ptrdiff_t>(c);
        }
    }
    // encloses() is a strict order, so parents cannot form a cycle; cut one anyway rather than loop.
    for (std::size_t p = 0; p < n; ++p) {
        std::ptrdiff_t cur = parent[p];
        for (std::size_t steps = 0; cur >= 0 && steps <= n; ++steps) {
            if (static_cast<std::size_t>(cur) == p) {
                parent[p] = -1;
                break;
            }
            cur = parent[static_cast<std::size_t>(cur)];
        }
    }

    Nesting out;
    for (std::size_t p = 0; p < n; ++p)
        out.parents.push_back(parent[p] >= 0 ? entries[static_cast<std::size_t>(parent[p])].name : "");

    const auto isAncestor = [&](std::size_t a, std::size_t p) {
        for (std::ptrdiff_t cur = parent[p]; cur >= 0; cur = parent[static_cast<std::size_t>(cur)])
            if (static_cast<std::size_t>(cur) == a)
                return true;
        return false;
    };
    for (std::size_t a = 0; a < n; ++a) {
        if (!entries[a].container)
            continue;
        for (std::size_t j : nester.direct(a))
            if (entries[j].region == entries[a].region && !nester.within(a, j))
                out.notes.push_back(
                    warning("import.pm-span-outside", fileName + ": " + entries[a].name + " (" +
                                                          range(entries[a]) + ") spans " + entries[j].name +
                                                          ", which lies outside it (" + range(entries[j]) +
                                                          "); " + entries[j].name + " is not nested in it"));
        for (std::size_t b = a + 1; b < n; ++b) {
            const PmEntry &ea = entries[a], &eb = entries[b];
            if (!eb.container || ea.region != eb.region || ea.address >= eb.end() || eb.address >= ea.end() ||
                isAncestor(a, b) || isAncestor(b, a))
                continue;
            const Set &la = nester.leaves(a), &lb = nester.leaves(b);
            const auto shared =
                std::find_if(la.begin(), la.end(), [&](std::size_t x) { return lb.count(x); });
            if (shared == la.end())
                continue;
            out.notes.push_back(warning(
                "import.pm-crossing-containers",
                fileName + ": containers " + ea.name + " (" + range(ea) + ") and " + eb.name + " (" +
                    range(eb) + ") both span " + entries[*shared].name +
                    " but neither holds the other; a partition has one parent in Flashplan, so validation "
                    "reports them as overlapping"));
        }
    }
    return out;
}

} // namespace flashplan::pm
