// SPDX-License-Identifier: Apache-2.0
#include "cli/CliManual.h"

#include "BackendRegistry.h"
#include "cli/CliOptions.h"
#include "db/ExampleLayouts.h"
#include "io/Format.h"
#include "model/BootloaderProfile.h"

namespace flashplan::cli {

namespace {

std::string joined(const std::vector<std::string>& words, const std::string& prefix) {
    std::string out;
    for (const std::string& w : words)
        out += (out.empty() ? "" : " ") + prefix + w;
    return out;
}

} // namespace

std::vector<std::pair<std::string, std::string>> formatRows() {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const Format& f : allFormats()) {
        const std::string how =
            std::string(f.importer ? "read" : "") + (f.exporter ? (f.importer ? ", write" : "write") : "");
        rows.emplace_back(std::string(f.name), std::string(f.title) + " (" + how + ")");
    }
    return rows;
}

std::vector<std::pair<std::string, std::string>> profileRows() {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const ProfileInfo& p : allProfiles())
        rows.emplace_back(std::string(p.id), std::string(p.title));
    return rows;
}

std::string argumentsAndExitCodes() {
    std::string text = "A <layout> or <in> is a file in any of the formats read (recognised from its content "
                       "and name, or --from), or the name of an example layout (";
    const auto names = ExampleLayouts::names();
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i ? ", " : "") + names[i];
    text +=
        ").\nWith no argument, info shows the default example, " + std::string(ExampleLayouts::kDefault) +
        ".\nA folder, a device, a FIFO, an empty file or one larger than its format could mean (16 MiB of "
        "layout text; an image past the board's largest flash) is refused before it is read (exit 2). Bytes "
        "of "
        "an input that are not UTF-8 or are control characters are printed as \\xNN, in JSON too "
        "(docs/cli-json.md).\nExit codes: 0 success, 1 errors found (import and convert: only with --strict, "
        "where warnings "
        "fail too), 2 usage or I/O error.\n";
    return text;
}

ManPage cliManPage(std::span<const Command> commands, const std::string& version) {
    ManPage page;
    page.name = "flashplan-cli";
    page.version = "flashplan " + version;
    page.summary = "flash partition layouts over real sector maps";
    page.synopsis = {"flashplan-cli <command> [arguments] [options]", "flashplan-cli --help",
                     "flashplan-cli <command> --help", "flashplan-cli --version"};
    page.description =
        "Flashplan: flash partition layouts over real sector maps. flashplan-cli reads, checks, "
        "converts and designs layouts, and programs images into their partitions; flashplan(1) "
        "is the editor over the same core.";
    ManPage::Section commandSection{"Commands", {}, {}};
    for (const Command& c : commands) {
        std::string text = std::string(c.summary) + ".";
        const std::vector<std::string> options = expandOptionList(c.options);
        if (!options.empty())
            text += "\nOptions: " + joined(options, "--") + ".";
        text += "\nExample: " + std::string(c.example);
        commandSection.items.push_back({std::string(c.name) + " " + c.synopsis, text});
    }
    page.sections.push_back(std::move(commandSection));
    ManPage::Section optionSection{"Options", {}, {}};
    for (const CliOption& o : allCliOptions())
        optionSection.items.push_back({optionSignature(o), o.help});
    page.sections.push_back(std::move(optionSection));
    ManPage::Section formats{"Formats", "For --from and --to:", {}};
    for (auto& [name, text] : formatRows())
        formats.items.push_back({name, text});
    page.sections.push_back(std::move(formats));
    ManPage::Section profiles{"Bootloader profiles", "For --profile:", {}};
    for (auto& [name, text] : profileRows())
        profiles.items.push_back({name, text});
    page.sections.push_back(std::move(profiles));
    page.sections.push_back({"Arguments and exit status", argumentsAndExitCodes(), {}});
    page.sections.push_back({"See also", "flashplan(1), openocd(1), dfu-util(1)", {}});
    return page;
}

std::string bashCompletion(std::span<const Command> commands) {
    std::vector<std::string> names, formats, profiles, backends;
    for (const Command& c : commands)
        names.emplace_back(c.name);
    for (const auto& row : formatRows())
        formats.push_back(row.first);
    for (const auto& row : profileRows())
        profiles.push_back(row.first);
    for (const programmer::BackendKind& k : programmer::allBackends())
        backends.emplace_back(k.name);
    std::string out = "# bash completion for flashplan-cli, written by `flashplan-cli --bash-completion`\n"
                      "_flashplan_cli() {\n"
                      "    local cur prev cmd i\n"
                      "    cur=${COMP_WORDS[COMP_CWORD]}\n"
                      "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                      "    cmd=\n"
                      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
                      "        case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
                      "    done\n"
                      "    case $prev in\n"
                      "    --from|--to) COMPREPLY=($(compgen -W \"" +
                      joined(formats, "") +
                      "\" -- \"$cur\")); return ;;\n"
                      "    --profile) COMPREPLY=($(compgen -W \"" +
                      joined(profiles, "") +
                      "\" -- \"$cur\")); return ;;\n"
                      "    --backend) COMPREPLY=($(compgen -W \"" +
                      joined(backends, "") +
                      "\" -- \"$cur\")); return ;;\n"
                      "    esac\n"
                      "    if [[ -z $cmd ]]; then\n"
                      "        COMPREPLY=($(compgen -W \"" +
                      joined(names, "") +
                      " --help --version\" -- \"$cur\"))\n"
                      "        return\n"
                      "    fi\n"
                      "    local options=\n"
                      "    case $cmd in\n";
    for (const Command& c : commands)
        out += "    " + std::string(c.name) + ") options=\"" + joined(expandOptionList(c.options), "--") +
               "\" ;;\n";
    out += "    esac\n"
           "    if [[ $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
           "    else\n"
           "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "    fi\n"
           "}\n"
           "complete -o filenames -F _flashplan_cli flashplan-cli\n";
    return out;
}

} // namespace flashplan::cli
