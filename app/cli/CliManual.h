// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/CliContext.h"
#include "util/ManPage.h"

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace flashplan::cli {

/// What `flashplan-cli --help` lists after the commands, as (term, text) rows: the formats for --from and
/// --to, the bootloader profiles for --profile. The help and the manual page both print these.
std::vector<std::pair<std::string, std::string>> formatRows();
std::vector<std::pair<std::string, std::string>> profileRows();
/// The closing paragraph of the help: what a <layout> argument may be, the exit codes.
std::string argumentsAndExitCodes();

/// flashplan-cli(1): the commands with their options and examples, every option, the formats, the
/// profiles and the exit codes, from the same strings as --help (`flashplan-cli --man` prints it).
ManPage cliManPage(std::span<const Command> commands, const std::string& version);

/// A bash completion script for flashplan-cli (`flashplan-cli --bash-completion` prints it): command
/// names, then the options each command takes, the formats after --from/--to, the profiles after
/// --profile, the backends after --backend, and file names for the rest.
std::string bashCompletion(std::span<const Command> commands);

} // namespace flashplan::cli
