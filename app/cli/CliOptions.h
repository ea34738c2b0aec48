// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCommandLineOption>
#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace flashplan::cli {

struct CliContext;

/// One option of flashplan-cli: its names, what it takes, and its help line.
struct CliOption {
    std::string name;      ///< the long name, also the option's key: "backend"
    std::string shortName; ///< "o", "I", or empty
    std::string valueName; ///< what it takes ("name"), empty for a switch
    std::string help;      ///< one line, without naming the commands that take it
};

/// Every option flashplan-cli knows; the programmer backends' options come from their declarations.
const std::vector<CliOption>& allCliOptions();
const CliOption* findCliOption(std::string_view name);

/// The names of the options a command takes, from its option list: option names and groups, blank
/// separated. Groups: @common (--json, --devices, --help), @in (how a layout argument is read: --from,
/// --board, -I, --profile, --set), @out (how a layout is written: --to, --dts-style), @image (how an image
/// file is read: --base, --format), @backend (--backend and every backend's options).
std::vector<std::string> expandOptionList(std::string_view list);

/// The options as QCommandLineParser takes them.
QCommandLineOption toQt(const CliOption& option);

/// `text` folded at `width` columns, lines after the first indented by `indent` blanks.
std::string wrapText(const std::string& text, std::size_t indent, std::size_t width);

/// "  --backend <name>   The programmer: ..." lines for a command's help, aligned and folded.
std::string optionHelp(const std::vector<std::string>& names);
/// "-o, --output <file>", "--json": an option as the help and the manual page name it.
std::string optionSignature(const CliOption& option);

} // namespace flashplan::cli
