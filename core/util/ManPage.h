// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace flashplan {

/// A manual page as the programs' own help texts describe it, so that `man flashplan-cli` says what
/// `flashplan-cli --help` says: each program fills one from the strings its help is made of.
struct ManPage {
    struct Item {
        std::string term; ///< "\-\-json" is written for "--json": plain text here, escaped by toRoff()
        std::string text;
    };
    struct Section {
        std::string title; ///< "COMMANDS"
        std::string text;  ///< a paragraph before the items (may be empty)
        std::vector<Item> items;
    };

    std::string name; ///< "flashplan-cli"
    int section = 1;
    std::string version; ///< for the footer: "flashplan 0.9.0"
    std::string summary; ///< the NAME line after the dash
    std::vector<std::string> synopsis;
    std::string description;
    std::vector<Section> sections;
};

/// The page in man(7) roff: .TH, NAME, SYNOPSIS, DESCRIPTION, then the sections in order, items as .TP
/// paragraphs. Text is escaped (backslashes, hyphens, a leading dot or quote), so any help string is safe.
std::string toRoff(const ManPage& page);

} // namespace flashplan
