// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"

#include <span>
#include <string_view>
#include <vector>

namespace flashplan {

/// A set of pure checks over a Layout. Packs are plain data: an id, a title, when they apply and the
/// function that returns every finding. They are listed in one table (allRulePacks), never registered
/// by static initialisers.
struct RulePack {
    std::string_view id;    ///< the prefix of its rule ids, e.g. "generic"
    std::string_view title; ///< for menus and help
    bool (*appliesTo)(const Layout&);
    std::vector<Diagnostic> (*check)(const Layout&);
};

/// Every rule pack, sorted by id.
std::span<const RulePack> allRulePacks();

/// Runs every pack that applies to the layout. Errors come first, then warnings, then infos; within a
/// severity, findings are in the order of the first partition they name.
std::vector<Diagnostic> validate(const Layout& layout);

/// What a reader of the layout is shown: the importer's notes (what it had to assume) and every rule's
/// findings, in validate()'s order. `flashplan-cli validate`, the Diagnostics panel and the status bar all
/// show and count this one list.
std::vector<Diagnostic> findings(const Layout& layout, const std::vector<Diagnostic>& importNotes);

/// Orders diagnostics as validate() does (errors, warnings, infos; then by first partition), stably.
void sortDiagnostics(std::vector<Diagnostic>& diagnostics);

} // namespace flashplan
