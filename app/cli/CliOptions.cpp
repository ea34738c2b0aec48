// SPDX-License-Identifier: Apache-2.0
// The one table of flashplan-cli's options. Commands name the options they take (CliContext.h, Command);
// main.cpp refuses any other and builds each command's help from this table.
#include "cli/CliOptions.h"

#include "BackendRegistry.h"

#include <algorithm>
#include <sstream>

namespace flashplan::cli {

namespace {

std::string str(std::string_view s) {
    return std::string(s);
}

std::vector<CliOption> makeOptions() {
    std::vector<CliOption> o = {
        {"help", "h", "", "Show this help."},
        {"json", "", "",
         "Print JSON (shapes in docs/cli-json.md; streaming commands print one object a line)."},
        {"devices", "", "dir", "Add the board files (*.xml) of <dir> to the device database."},
        {"strict", "", "",
         "Exit 1 on any error or warning found (validate and image fail on errors anyway; import and "
         "convert otherwise exit 0 once they read the input)."},
        {"from", "", "format", "The input's format, instead of recognising it from its content and name."},
        {"to", "", "format", "The output's format, instead of the one its extension names."},
        {"board", "", "id", "Place an imported layout on this board of the device database."},
        {"include", "I", "dir", "A folder to search for #include <...> (DTS)."},
        {"dts-style", "", "style", "dts output: classic (fixed-partitions, the default) or mapped."},
        {"profile", "", "id", "Use this bootloader profile (e.g. mcuboot-swap-scratch, wolfboot)."},
        {"set", "", "NAME=VALUE",
         "A bootloader setting, e.g. BOOT_MAX_IMG_SECTORS=256 (repeatable; an unknown name is an error)."},
        {"fix", "", "", "Apply every obvious repair and write the result."},
        {"output", "o", "file", "Where to write."},
        {"bootloader-size", "", "size", "The bootloader's size (default 64K)."},
        {"storage-size", "", "size", "A storage partition of at least this size."},
        {"external", "", "", "Put the secondary slot on external flash."},
        {"layout", "", "layout", "The layout of the partition to fit the image to."},
        {"partition", "", "label", "The partition (label) to fit the image to."},
        {"base", "", "address", "The CPU address of a raw binary (default: the start of the partition)."},
        {"format", "", "format", "bin, hex, srec or elf, instead of recognising the image file's format."},
        {"trailer-reserve", "", "bytes",
         "Bytes at the partition's end the bootloader keeps, instead of the bootloader's own (MCUboot's "
         "trailer)."},
        {"backend", "", "name", ""},
        {"full", "", "", "Erase and write every sector the image touches, whatever it holds."},
        {"no-verify", "", "", "Do not read the image back."},
        {"reset", "", "", "Reset the target so it runs the image."},
        {"keep-trailer", "", "",
         "Leave the bootloader's trailer area at the slot's end as it is (by default a flash into an MCUboot "
         "slot leaves it erased, so no stale trailer makes MCUboot test or revert the new image)."},
        {"mcuboot", "", "request",
         "Leave an upgrade request in the MCUboot slot's trailer, as imgtool sign --pad writes it: test "
         "(the secondary slot is swapped in once, then reverted unless the image confirms itself) or "
         "permanent (swapped in for good) for a secondary slot, confirm for a primary slot."},
        {"key", "", "file",
         "A public key (PEM, as imgtool getpub -e pem prints it): each MCUboot image's signature is checked "
         "with it."},
        {"no-hash", "", "",
         "Read headers, TLV info and trailers only: no image is read whole, so no hash or signature is "
         "checked."},
        {"write-read-only", "", "",
         "Write to a read-only partition anyway (a bootloader into its own partition): the confirmation "
         "the job needs, never assumed."},
    };
    std::string backends;
    for (const programmer::BackendKind& k : programmer::allBackends())
        backends += (backends.empty() ? "" : ", ") + str(k.name);
    std::find_if(o.begin(), o.end(), [](const CliOption& c) { return c.name == "backend"; })->help =
        "The programmer: " + backends + " (default sim, the simulated board).";
    // Each backend's options, from its declaration (programmer/backends/<name>/<Name>Kind.cpp).
    for (const programmer::BackendOption& b : programmer::allBackendOptions())
        o.push_back({str(b.option->cliName), "", str(b.option->valueName),
                     str(b.backend->name) + " backend: " + str(b.option->help) +
                         " (default: " + str(b.option->placeholder) + ")."});
    return o;
}

} // namespace

const std::vector<CliOption>& allCliOptions() {
    static const std::vector<CliOption> options = makeOptions();
    return options;
}

const CliOption* findCliOption(std::string_view name) {
    for (const CliOption& o : allCliOptions())
        if (o.name == name || (!o.shortName.empty() && o.shortName == name))
            return &o;
    return nullptr;
}

std::vector<std::string> expandOptionList(std::string_view list) {
    std::vector<std::string> out;
    std::istringstream words{std::string(list)};
    for (std::string w; words >> w;) {
        if (w == "@common")
            out.insert(out.end(), {"json", "devices", "help"});
        else if (w == "@in")
            out.insert(out.end(), {"from", "board", "include", "profile", "set"});
        else if (w == "@out")
            out.insert(out.end(), {"to", "dts-style"});
        else if (w == "@image")
            out.insert(out.end(), {"base", "format"});
        else if (w == "@backend") {
            out.push_back("backend");
            for (const programmer::BackendOption& b : programmer::allBackendOptions())
                out.push_back(str(b.option->cliName));
        } else
            out.push_back(w);
    }
    return out;
}

QCommandLineOption toQt(const CliOption& option) {
    QStringList names;
    if (!option.shortName.empty())
        names << QString::fromStdString(option.shortName);
    names << QString::fromStdString(option.name);
    return option.valueName.empty() ? QCommandLineOption(names, QString::fromStdString(option.help))
                                    : QCommandLineOption(names, QString::fromStdString(option.help),
                                                         QString::fromStdString(option.valueName));
}

std::string wrapText(const std::string& text, std::size_t indent, std::size_t width) {
    std::string out, line;
    std::istringstream words(text);
    for (std::string w; words >> w;) {
        if (!line.empty() && indent + line.size() + 1 + w.size() > width) {
            out += line + '\n' + std::string(indent, ' ');
            line.clear();
        }
        line += (line.empty() ? "" : " ") + w;
    }
    return out + line;
}

std::string optionSignature(const CliOption& o) {
    std::string out = (o.shortName.empty() ? "" : "-" + o.shortName + ", ") + "--" + o.name;
    if (!o.valueName.empty())
        out += " <" + o.valueName + ">";
    return out;
}

std::string optionHelp(const std::vector<std::string>& names) {
    std::vector<std::pair<std::string, std::string>> rows;
    std::size_t width = 0;
    for (const std::string& n : names) {
        const CliOption* o = findCliOption(n);
        if (!o)
            continue;
        // Long names line up whether or not a short one comes first.
        std::string left = (o->shortName.empty() ? "      " : "  ") + optionSignature(*o);
        width = std::max(width, left.size());
        rows.emplace_back(std::move(left), o->help);
    }
    std::string out;
    for (const auto& [left, help] : rows)
        out += left + std::string(width + 2 - left.size(), ' ') + wrapText(help, width + 2, 100) + '\n';
    return out;
}

} // namespace flashplan::cli
