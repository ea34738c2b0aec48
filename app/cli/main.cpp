// SPDX-License-Identifier: Apache-2.0
// flashplan-cli: parses the command line and dispatches; each command lives in its own file.
#include "BackendRegistry.h"
#include "UdevRules.h"
#include "cli/CliContext.h"
#include "cli/CliManual.h"
#include "cli/CliOptions.h"
#include "cli/TerminalOutput.h"
#include "db/DeviceDatabase.h"
#include "db/ExampleLayouts.h"
#include "db/UserDeviceFolder.h"
#include "model/BootloaderProfile.h"
#include "rules/BootloaderSettings.h"
#include "util/Numbers.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iostream>

using namespace flashplan;
using namespace flashplan::cli;

namespace {

// Options per command: names and groups (CliOptions.h); any other option is refused with the command's
// usage. The example is the last line of the command's --help.
constexpr std::array kCommands{
    Command{"devices", "[import <pack.pdsc|pack folder>]",
            "List the boards of the device database and their flash devices: the compiled-in ones, the "
            "user's device folder ($XDG_DATA_HOME/flashplan/devices, else ~/.local/share/flashplan/devices) "
            "and --devices folders. import reads a CMSIS-Pack's description (.pdsc, or an unpacked .pack's "
            "folder: unzip a .pack first) and its flash algorithms (.FLM), and writes one board per part "
            "into the user's device folder",
            "@common", "flashplan-cli devices import ~/packs/Keil.STM32F7xx_DFP.2.16.0", runDevices},
    Command{"info", "[<board|layout>]", "Show a board's sector maps, or a layout's board and partitions",
            "@common @in", "flashplan-cli info stm32f4_disco", runInfo},
    Command{"validate", "<layout> [<overlay>...]",
            "Check a layout against every rule pack that applies (exit 1 on errors; --strict: on warnings "
            "too). A devicetree board file may be followed by overlays, applied in order as Zephyr's build "
            "applies them",
            "@common @in strict fix output @out",
            "flashplan-cli validate boards/nrf52840dk.dts --set BOOT_MAX_IMG_SECTORS=256", runValidate},
    Command{"import", "<in> [<overlay>...]",
            "Read a layout in any format and show it (--json: the layout as JSON), the findings on stderr; "
            "exit 0 once the input is read (--strict: 1 on an error or a warning). A devicetree board file "
            "may be followed by overlays, applied in order as Zephyr's build applies them",
            "@common @in strict", "flashplan-cli import board.dts app.overlay", runImport},
    Command{"convert", "<in> [<overlay>...] <out>",
            "Write a layout in another format (the format from --to or the output's extension), with "
            "partition names in the output format's words (slot0_partition is mcuboot_primary in a "
            "pm_static.yml); the findings on stderr; exit 0 once the input is read and the output written "
            "(--strict: 1 on an error or a warning). A devicetree board file may be followed by overlays",
            "@common @in @out strict", "flashplan-cli convert zephyr-flash-map overlay.dts", runConvert},
    Command{"export", "<layout> [<overlay>...] <out>", "The same as convert", "@common @in @out strict",
            "flashplan-cli export my.flashplan target.h --to wolfboot-target-h", runConvert},
    Command{"new", "<board>",
            "Design the layout that gives the application the most space on a board (every rule passing)",
            "@common profile set output @out bootloader-size storage-size external",
            "flashplan-cli new nrf52840dk_nrf52840 --profile mcuboot-swap-move -o my.flashplan", runNew},
    Command{"image", "<file>",
            "Show a firmware image's format, segments and MCUboot/wolfBoot header; with --layout and "
            "--partition, where it lands, whether it fits once the bootloader's trailer is counted, and "
            "whether flash would take it there (exit 1 when not)",
            "@common @in @image layout partition trailer-reserve strict",
            "flashplan-cli image zephyr.signed.hex --layout zephyr-flash-map --partition slot1_partition",
            runImage},
    Command{"flash", "<layout> <partition> <image>",
            "Program an image into a partition: only the sectors that differ are erased and written, then "
            "the image is verified (the layout must validate and the image fit the partition)",
            "@common @in @image @backend full no-verify reset keep-trailer mcuboot write-read-only",
            "flashplan-cli flash zephyr-flash-map slot1_partition zephyr.signed.bin --backend openocd",
            runFlash},
    Command{"verify", "<layout> <partition> <image>",
            "Compare a partition with an image without writing (exit 1 when a sector differs)",
            "@common @in @image @backend",
            "flashplan-cli verify wolfboot-stm32f407 boot app_v1_signed.bin --backend dfu", runVerify},
    Command{"read", "<layout> <partition> <out>", "Read a partition into a raw binary file",
            "@common @in @backend", "flashplan-cli read zephyr-flash-map storage_partition storage.bin",
            runRead},
    Command{"erase", "<layout> <partition>", "Erase a partition, sector by sector",
            "@common @in @backend write-read-only",
            "flashplan-cli erase zephyr-flash-map storage_partition --backend openocd", runErase},
    Command{"inspect", "<layout>",
            "Read what each partition of the target holds (MCUboot or wolfBoot image, erased, other data; "
            "hashes checked, signatures with --key) and what MCUboot will do at the next boot; writes "
            "nothing (exit 1 when an image fails its checks or a requested upgrade would fail)",
            "@common @in @backend key no-hash",
            "flashplan-cli inspect zephyr-flash-map --backend openocd --key root-ec-p256.pub.pem",
            runInspect},
    Command{
        "dfu", "list | layout -o <file>",
        "List the USB DFU devices, their alt settings and the sector maps they describe; layout writes an "
        "empty layout on the board a DfuSe device describes",
        "@common device output", "flashplan-cli dfu layout --device 0483:df11 -o f407.flashplan", runDfu},
};

const Command* findCommand(std::string_view name) {
    for (const Command& c : kCommands)
        if (name == c.name)
            return &c;
    return nullptr;
}

/// flashplan-cli <command> --help: its usage, what it does, its options and an example.
std::string commandHelp(const Command& c) {
    return usageLine(c) + "\n\n" + wrapText(std::string(c.summary) + ".", 0, 100) + "\n\nOptions:\n" +
           optionHelp(expandOptionList(c.options)) + "\nExample:\n  " + c.example + "\n";
}

QString helpText() {
    QString text = QStringLiteral("Usage: flashplan-cli <command> [arguments] [options]\n\n"
                                  "Flashplan: flash partition layouts over real sector maps.\n\nCommands:\n");
    for (const Command& c : kCommands)
        text += QStringLiteral("  %1 %2\n      %3\n").arg(c.name, c.synopsis, c.summary);
    text += QStringLiteral("\nflashplan-cli <command> --help shows a command's options and an example; "
                           "flashplan-cli --version the version.\n");
    text += QStringLiteral("\nFormats (for --from and --to):\n");
    for (const auto& [name, title] : formatRows())
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromStdString(name).leftJustified(18), QString::fromStdString(title));
    text += QStringLiteral("\nBootloader profiles (for --profile):\n");
    for (const auto& [id, title] : profileRows())
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromStdString(id).leftJustified(24), QString::fromStdString(title));
    text += QLatin1Char('\n') + QString::fromStdString(argumentsAndExitCodes());
    return text;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flashplan-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLASHPLAN_VERSION));

    QCommandLineParser parser;
    for (const CliOption& o : allCliOptions())
        parser.addOption(toQt(o));
    const QCommandLineOption versionOption(QStringLiteral("version"), QStringLiteral("Show the version."));
    parser.addOption(versionOption);
    // For the package: the manual page and the bash completion, from the same strings as --help.
    QCommandLineOption manOption(QStringLiteral("man"), QStringLiteral("Print the manual page (roff)."));
    manOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(manOption);
    QCommandLineOption completionOption(QStringLiteral("bash-completion"),
                                        QStringLiteral("Print the bash completion script."));
    completionOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(completionOption);
    QCommandLineOption udevOption(QStringLiteral("udev-rules"),
                                  QStringLiteral("Print the udev rules for DFU devices and debug probes."));
    udevOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(udevOption);

    const QStringList arguments = QCoreApplication::arguments();
    // Text goes to the terminal escaped, since names and messages quote input files (control characters
    // and bytes that are not UTF-8 become \xNN). JSON is written as it is: dumpJson() makes it valid UTF-8
    // and JSON escapes control characters itself.
    EscapingStream escapedOut(std::cout);
    EscapingStream escapedErr(std::cerr);
    CliContext ctx(arguments.contains(QStringLiteral("--json")) ? static_cast<std::ostream&>(std::cout)
                                                                : escapedOut,
                   escapedErr, std::cerr);
    // The command, for its usage in errors: the first argument that names one.
    for (const QString& a : arguments.mid(1))
        if (const Command* c = findCommand(a.toStdString())) {
            ctx.command = c;
            break;
        }
    ctx.json = arguments.contains(QStringLiteral("--json"));
    if (!parser.parse(arguments))
        return ctx.usage(parser.errorText().toStdString());
    ctx.json = parser.isSet(QStringLiteral("json"));
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(manOption) && positional.isEmpty()) {
        std::cout << toRoff(cliManPage(kCommands, FLASHPLAN_VERSION));
        return kExitOk;
    }
    if (parser.isSet(completionOption) && positional.isEmpty()) {
        std::cout << bashCompletion(kCommands);
        return kExitOk;
    }
    if (parser.isSet(udevOption) && positional.isEmpty()) {
        // The built-in database only: a package's rules must not depend on who built it.
        auto db = DeviceDatabase::builtin();
        if (!db)
            return ctx.fail(db.error());
        std::cout << programmer::udevRules(db->boards());
        return kExitOk;
    }
    if (parser.isSet(versionOption) && positional.isEmpty()) {
        std::cout << "flashplan-cli " << FLASHPLAN_VERSION << '\n';
        return kExitOk;
    }
    if (positional.isEmpty()) {
        std::cout << helpText().toStdString();
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitFailure;
    }
    const Command* command = findCommand(positional.front().toStdString());
    if (!command) {
        ctx.command = nullptr;
        return ctx.usage("unknown command '" + positional.front().toStdString() + "'");
    }
    ctx.command = command;
    if (parser.isSet(QStringLiteral("help"))) {
        std::cout << commandHelp(*command);
        return kExitOk;
    }
    // Every option is one the command takes, and every value is checked, before any work.
    const std::vector<std::string> takes = expandOptionList(command->options);
    for (const QString& used : parser.optionNames()) {
        const CliOption* o = findCliOption(used.toStdString());
        const std::string name = o ? o->name : used.toStdString();
        if (std::find(takes.begin(), takes.end(), name) == takes.end())
            return ctx.usage(std::string(command->name) + " does not take --" + name);
    }
    const auto value = [&](const char* name) {
        return parser.value(QString::fromLatin1(name)).toStdString();
    };
    ctx.interactive = ::isatty(STDERR_FILENO) == 1;
    ctx.strict = parser.isSet(QStringLiteral("strict"));
    ctx.from = value("from");
    ctx.to = value("to");
    ctx.importOptions.boardId = value("board");
    for (const QString& dir : parser.values(QStringLiteral("include")))
        ctx.importOptions.includeDirs.emplace_back(dir.toStdString());
    ctx.exportOptions.dtsStyle = parser.isSet(QStringLiteral("dts-style")) ? value("dts-style") : "classic";
    if (ctx.exportOptions.dtsStyle != "classic" && ctx.exportOptions.dtsStyle != "mapped")
        return ctx.usage("--dts-style is classic or mapped");
    ctx.profile = value("profile");
    if (!ctx.profile.empty() && !findProfile(ctx.profile)) {
        std::string names;
        for (const ProfileInfo& p : allProfiles())
            names += (names.empty() ? "" : ", ") + std::string(p.id);
        return ctx.usage("--profile " + ctx.profile + ": not a profile (" + names + ")");
    }
    ctx.fix = parser.isSet(QStringLiteral("fix"));
    ctx.wishes.secondaryOnExternal = parser.isSet(QStringLiteral("external"));
    for (const auto& [option, target] : {std::pair{"bootloader-size", &ctx.wishes.bootloaderSize},
                                         std::pair{"storage-size", &ctx.wishes.storageSize}}) {
        if (!parser.isSet(QString::fromLatin1(option)))
            continue;
        auto n = parseNumber(value(option));
        if (!n)
            return ctx.usage(std::string("--") + option + ": " + n.error().message);
        *target = *n;
    }
    ctx.output = value("output");
    for (const QString& setting : parser.values(QStringLiteral("set"))) {
        const qsizetype eq = setting.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return ctx.usage("--set takes NAME=VALUE, not '" + setting.toStdString() + "'");
        const std::string name = setting.left(eq).toStdString(), text = setting.mid(eq + 1).toStdString();
        // A name no bootloader knows, or a value of the wrong type, is refused now; whether the layout's
        // bootloader reads it is checked once the layout is loaded.
        std::string known;
        const SettingInfo* info = nullptr;
        for (const SettingInfo& s : allSettings()) {
            known += (known.empty() ? "" : ", ") + std::string(s.name);
            if (s.name == name)
                info = &s;
        }
        if (!info)
            return ctx.usage("--set " + name + ": not a bootloader setting Flashplan reads (" + known + ")");
        if (auto r = checkSetting(info->kind, name, text); !r)
            return ctx.usage("--set " + r.error().message);
        ctx.settings.emplace_back(name, text);
    }
    ctx.image = {value("layout"), value("partition"), value("base"), value("format"),
                 value("trailer-reserve")};
    if (auto load = imageLoadOptions(ctx.image); !load)
        return ctx.usage(load.error().message);
    ctx.program.backend = value("backend");
    if (!ctx.program.backend.empty() && !programmer::findBackend(ctx.program.backend)) {
        std::string names;
        for (const programmer::BackendKind& k : programmer::allBackends())
            names += (names.empty() ? "" : ", ") + std::string(k.name);
        return ctx.usage("--backend " + ctx.program.backend + ": not a backend (" + names + ")");
    }
    ctx.program.full = parser.isSet(QStringLiteral("full"));
    ctx.program.noVerify = parser.isSet(QStringLiteral("no-verify"));
    ctx.program.reset = parser.isSet(QStringLiteral("reset"));
    ctx.program.keepTrailer = parser.isSet(QStringLiteral("keep-trailer"));
    ctx.program.writeReadOnly = parser.isSet(QStringLiteral("write-read-only"));
    ctx.keyFile = value("key");
    ctx.noHash = parser.isSet(QStringLiteral("no-hash"));
    if (parser.isSet(QStringLiteral("mcuboot"))) {
        const std::string text = value("mcuboot");
        const auto request = mcuboot::upgradeRequestFromString(text);
        if (!request || *request == mcuboot::UpgradeRequest::None)
            return ctx.usage("--mcuboot " + text + ": not a request (test, permanent or confirm)");
        ctx.program.request = *request;
    }
    for (const programmer::BackendOption& o : programmer::allBackendOptions()) {
        const QString name = QString::fromUtf8(o.option->cliName.data(), qsizetype(o.option->cliName.size()));
        if (parser.isSet(name))
            ctx.program.options[std::string(o.backend->name)].set(o.option->key,
                                                                  parser.value(name).toStdString());
    }

    auto db = DeviceDatabase::builtin();
    if (!db)
        return ctx.fail(db.error());
    ctx.db = std::move(*db);
    // The user's folder (what devices import wrote): a bad file there is skipped with a warning rather
    // than stopping every command, among them the import that would replace it.
    for (const Error& e :
         addUserDevices(ctx.db, userDeviceFolder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"))))
        std::cerr << "flashplan-cli: warning: " << e.toString() << " (skipped)\n";
    for (const QString& dir : parser.values(QStringLiteral("devices")))
        if (auto r = ctx.db.addDirectory(dir.toStdString()); !r)
            return ctx.fail(r.error());
    ctx.importOptions.db = &ctx.db;

    for (int i = 1; i < positional.size(); ++i)
        ctx.args.push_back(positional[i].toStdString());
    return command->run(ctx);
}
