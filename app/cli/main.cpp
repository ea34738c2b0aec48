// SPDX-License-Identifier: Apache-2.0
// flashplan-cli: parses the command line and dispatches; each command lives in its own file.
#include "cli/CliContext.h"
#include "db/ExampleLayouts.h"
#include "rules/Profiles.h"
#include "util/Numbers.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <unistd.h>

#include <array>
#include <iostream>

using namespace flashplan;
using namespace flashplan::cli;

namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

constexpr std::array kCommands{
    Command{"devices", "", "List the boards of the device database and their flash devices", runDevices},
    Command{"info", "[<board|layout>]", "Show a board's sector maps, or a layout's board and partitions",
            runInfo},
    Command{"validate", "<layout>", "Check a layout against every rule pack that applies (exit 1 on errors)",
            runValidate},
    Command{"import", "<in>", "Read a layout in any format and show it (--json: the layout as JSON)",
            runImport},
    Command{"convert", "<in> <out> [--to <format>]",
            "Write a layout in another format (the format from --to or the output's extension)", runConvert},
    Command{"export", "<layout> <out> [--to <format>]", "The same as convert", runConvert},
    Command{"new", "<board> [--profile <id>] [-o <file>]",
            "Design the layout that gives the application the most space on a board (every rule passing)",
            runNew},
    Command{"image",
            "<file> [--layout <layout> --partition <label> [--trailer-reserve <bytes>]] [--base <address>] "
            "[--format bin|hex|srec|elf]",
            "Show a firmware image's format, segments and MCUboot/wolfBoot header, and whether it fits a "
            "partition (exit 1 when it does not)",
            runImage},
    Command{"flash", "<layout> <partition> <image> [--backend <name>] [--full] [--no-verify] [--reset]",
            "Program an image into a partition: only the sectors that differ are erased and written, then "
            "the image is verified (the layout must validate and the image fit the partition)",
            runFlash},
    Command{"verify", "<layout> <partition> <image> [--backend <name>]",
            "Compare a partition with an image without writing (exit 1 when a sector differs)", runVerify},
    Command{"read", "<layout> <partition> <out> [--backend <name>]",
            "Read a partition into a raw binary file", runRead},
    Command{"erase", "<layout> <partition> [--backend <name>]", "Erase a partition, sector by sector",
            runErase},
    Command{
        "dfu", "list | layout [--device <id>] -o <file>",
        "List the USB DFU devices, their alt settings and the sector maps they describe; layout writes an "
        "empty layout on the board a DfuSe device describes",
        runDfu},
};

QString helpText() {
    QString text = QStringLiteral("Usage: flashplan-cli [options] <command> [arguments]\n\nCommands:\n");
    for (const Command& c : kCommands)
        text += QStringLiteral("  %1 %2\n      %3\n").arg(c.name, c.synopsis, c.summary);
    text += QStringLiteral("\nFormats (for --from and --to):\n");
    for (const Format& f : allFormats())
        text +=
            QStringLiteral("  %1  %2 (%3%4)\n")
                .arg(QString::fromUtf8(f.name.data(), qsizetype(f.name.size())).leftJustified(18),
                     QString::fromUtf8(f.title.data(), qsizetype(f.title.size())),
                     f.importer ? QStringLiteral("read") : QString(),
                     f.exporter ? QString(f.importer ? QStringLiteral(", write") : QStringLiteral("write"))
                                : QString());
    text += QStringLiteral("\nBootloader profiles (for --profile):\n");
    for (const ProfileInfo& p : allProfiles())
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromUtf8(p.id.data(), qsizetype(p.id.size())).leftJustified(24),
                         QString::fromUtf8(p.title.data(), qsizetype(p.title.size())));
    text += QStringLiteral("\nA <layout> or <in> is a file in any of the formats read (recognised from its "
                           "content and name, or --from), or the name of an example layout (");
    const auto names = ExampleLayouts::names();
    for (std::size_t i = 0; i < names.size(); ++i)
        text += QString::fromStdString((i ? ", " : "") + names[i]);
    text += QStringLiteral(").\nWith no argument, info shows the default example, %1.\n"
                           "Exit codes: 0 success, 1 errors found, 2 usage or I/O error.\n")
                .arg(QString::fromUtf8(ExampleLayouts::kDefault.data(), ExampleLayouts::kDefault.size()));
    return text;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flashplan-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLASHPLAN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Flashplan: flash partition layouts over real sector maps."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help."));
    const QCommandLineOption versionOption(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("Print JSON (shapes documented in docs/cli-json.md)."));
    const QCommandLineOption devicesOption(
        QStringLiteral("devices"),
        QStringLiteral("Add the board files (*.xml) of <dir> to the device database."),
        QStringLiteral("dir"));
    const QCommandLineOption strictOption(QStringLiteral("strict"),
                                          QStringLiteral("validate, convert, image: warnings fail too."));
    const QCommandLineOption fromOption(QStringLiteral("from"),
                                        QStringLiteral("The input's format, instead of recognising it."),
                                        QStringLiteral("format"));
    const QCommandLineOption toOption(QStringLiteral("to"), QStringLiteral("convert: the output's format."),
                                      QStringLiteral("format"));
    const QCommandLineOption boardOption(
        QStringLiteral("board"), QStringLiteral("Place an imported layout on this board of the database."),
        QStringLiteral("id"));
    const QCommandLineOption includeOption({QStringLiteral("I"), QStringLiteral("include")},
                                           QStringLiteral("A folder to search for #include <...> (DTS)."),
                                           QStringLiteral("dir"));
    const QCommandLineOption dtsStyleOption(
        QStringLiteral("dts-style"),
        QStringLiteral("dts output: classic (fixed-partitions, default) or mapped."), QStringLiteral("style"),
        QStringLiteral("classic"));
    const QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QStringLiteral("Check the layout for this bootloader profile (e.g. mcuboot-swap-scratch, wolfboot)."),
        QStringLiteral("id"));
    const QCommandLineOption setOption(QStringLiteral("set"),
                                       QStringLiteral("A bootloader setting, e.g. BOOT_MAX_IMG_SECTORS=256."),
                                       QStringLiteral("NAME=VALUE"));
    const QCommandLineOption fixOption(
        QStringLiteral("fix"), QStringLiteral("validate: apply every obvious repair and write the result."));
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          QStringLiteral("validate --fix, new, dfu layout: where to write."),
                                          QStringLiteral("file"));
    const QCommandLineOption bootloaderSizeOption(QStringLiteral("bootloader-size"),
                                                  QStringLiteral("new: the bootloader's size (default 64K)."),
                                                  QStringLiteral("size"));
    const QCommandLineOption storageSizeOption(
        QStringLiteral("storage-size"), QStringLiteral("new: a storage partition of at least this size."),
        QStringLiteral("size"));
    const QCommandLineOption externalOption(QStringLiteral("external"),
                                            QStringLiteral("new: put the secondary slot on external flash."));
    const QCommandLineOption layoutOption(
        QStringLiteral("layout"), QStringLiteral("image: the layout of the partition to fit the image to."),
        QStringLiteral("layout"));
    const QCommandLineOption partitionOption(
        QStringLiteral("partition"), QStringLiteral("image: the partition (label) to fit the image to."),
        QStringLiteral("label"));
    const QCommandLineOption baseOption(
        QStringLiteral("base"),
        QStringLiteral("image, flash, verify: the CPU address of a raw binary (default: "
                       "the start of the partition)."),
        QStringLiteral("address"));
    const QCommandLineOption formatOption(
        QStringLiteral("format"),
        QStringLiteral(
            "image, flash, verify: bin, hex, srec or elf, instead of recognising the file's format."),
        QStringLiteral("format"));
    const QCommandLineOption trailerOption(
        QStringLiteral("trailer-reserve"),
        QStringLiteral("image: bytes at the end of the partition the bootloader keeps (default 0)."),
        QStringLiteral("bytes"));
    const QCommandLineOption backendOption(
        QStringLiteral("backend"),
        QStringLiteral("flash, verify, read, erase: sim (the simulated board, default), openocd or dfu."),
        QStringLiteral("name"));
    const QCommandLineOption fullOption(
        QStringLiteral("full"), QStringLiteral("flash: erase and write every sector, whatever it holds."));
    const QCommandLineOption noVerifyOption(QStringLiteral("no-verify"),
                                            QStringLiteral("flash: do not read the image back."));
    const QCommandLineOption resetOption(QStringLiteral("reset"),
                                         QStringLiteral("flash: reset the target so it runs the image."));
    // Each backend's options, from its declaration (programmer/BackendRegistry.h): --sim-dir, --openocd,
    // --interface, --target, --openocd-config, --device, --alt today.
    const std::vector<programmer::BackendOption> declared = programmer::allBackendOptions();
    QList<QCommandLineOption> backendOptions;
    for (const programmer::BackendOption& o : declared)
        backendOptions.append(QCommandLineOption(
            text(o.option->cliName),
            QStringLiteral("%1 backend: %2 (default: %3).")
                .arg(text(o.backend->name), text(o.option->help), text(o.option->placeholder)),
            text(o.option->valueName)));
    parser.addOptions({backendOption, fullOption, noVerifyOption, resetOption});
    parser.addOptions(backendOptions);
    parser.addOptions({helpOption,        versionOption,  jsonOption,   devicesOption,   strictOption,
                       fromOption,        toOption,       boardOption,  includeOption,   dtsStyleOption,
                       profileOption,     setOption,      fixOption,    outputOption,    bootloaderSizeOption,
                       storageSizeOption, externalOption, layoutOption, partitionOption, baseOption,
                       formatOption,      trailerOption});
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral("devices, info, validate, import, convert, export, new, image, flash, verify, read, "
                       "erase or dfu"));

    CliContext ctx(std::cout, std::cerr);
    if (!parser.parse(QCoreApplication::arguments()))
        return ctx.usage(parser.errorText().toStdString());
    ctx.json = parser.isSet(jsonOption);
    ctx.interactive = ::isatty(STDERR_FILENO) == 1;
    ctx.strict = parser.isSet(strictOption);
    ctx.from = parser.value(fromOption).toStdString();
    ctx.to = parser.value(toOption).toStdString();
    ctx.importOptions.boardId = parser.value(boardOption).toStdString();
    for (const QString& dir : parser.values(includeOption))
        ctx.importOptions.includeDirs.emplace_back(dir.toStdString());
    ctx.exportOptions.dtsStyle = parser.value(dtsStyleOption).toStdString();
    ctx.profile = parser.value(profileOption).toStdString();
    ctx.fix = parser.isSet(fixOption);
    ctx.wishes.secondaryOnExternal = parser.isSet(externalOption);
    for (const auto& [option, target] : {std::pair{&bootloaderSizeOption, &ctx.wishes.bootloaderSize},
                                         std::pair{&storageSizeOption, &ctx.wishes.storageSize}}) {
        if (!parser.isSet(*option))
            continue;
        auto n = parseNumber(parser.value(*option).toStdString());
        if (!n)
            return ctx.usage("--" + option->names().front().toStdString() + ": " + n.error().message);
        *target = *n;
    }
    ctx.output = parser.value(outputOption).toStdString();
    for (const QString& setting : parser.values(setOption)) {
        const qsizetype eq = setting.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return ctx.usage("--set takes NAME=VALUE, not '" + setting.toStdString() + "'");
        ctx.settings.emplace_back(setting.left(eq).toStdString(), setting.mid(eq + 1).toStdString());
    }
    ctx.image = {parser.value(layoutOption).toStdString(), parser.value(partitionOption).toStdString(),
                 parser.value(baseOption).toStdString(), parser.value(formatOption).toStdString(),
                 parser.value(trailerOption).toStdString()};
    ctx.program.backend = parser.value(backendOption).toStdString();
    ctx.program.full = parser.isSet(fullOption);
    ctx.program.noVerify = parser.isSet(noVerifyOption);
    ctx.program.reset = parser.isSet(resetOption);
    for (std::size_t i = 0; i < declared.size(); ++i)
        if (parser.isSet(backendOptions[qsizetype(i)]))
            ctx.program.options[std::string(declared[i].backend->name)].set(
                declared[i].option->key, parser.value(backendOptions[qsizetype(i)]).toStdString());
    if (ctx.exportOptions.dtsStyle != "classic" && ctx.exportOptions.dtsStyle != "mapped")
        return ctx.usage("--dts-style is classic or mapped");
    if (parser.isSet(versionOption)) {
        std::cout << "flashplan-cli " << FLASHPLAN_VERSION << '\n';
        return kExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(helpOption) || positional.isEmpty()) {
        std::cout << parser.helpText().toStdString() << '\n' << helpText().toStdString();
        return positional.isEmpty() && !parser.isSet(helpOption) ? kExitFailure : kExitOk;
    }

    auto db = DeviceDatabase::builtin();
    if (!db)
        return ctx.fail(db.error());
    ctx.db = std::move(*db);
    for (const QString& dir : parser.values(devicesOption))
        if (auto r = ctx.db.addDirectory(dir.toStdString()); !r)
            return ctx.fail(r.error());
    ctx.importOptions.db = &ctx.db;

    const std::string name = positional.front().toStdString();
    for (int i = 1; i < positional.size(); ++i)
        ctx.args.push_back(positional[i].toStdString());
    for (const Command& c : kCommands)
        if (name == c.name)
            return c.run(ctx);
    return ctx.usage("unknown command '" + name + "'");
}
