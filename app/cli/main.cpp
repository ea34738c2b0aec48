// SPDX-License-Identifier: Apache-2.0
// flashplan-cli: parses the command line and dispatches; each command lives in its own file.
#include "cli/CliContext.h"
#include "db/ExampleLayouts.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <array>
#include <iostream>

using namespace flashplan;
using namespace flashplan::cli;

namespace {

constexpr std::array kCommands{
    Command{"devices", "", "List the boards of the device database and their flash devices", runDevices},
    Command{"info", "[<board|layout>]", "Show a board's sector maps, or a layout's board and partitions",
            runInfo},
    Command{"validate", "<layout>", "Check a layout against every rule pack that applies (exit 1 on errors)",
            runValidate},
};

QString helpText() {
    QString text = QStringLiteral("Usage: flashplan-cli [options] <command> [arguments]\n\nCommands:\n");
    for (const Command& c : kCommands)
        text += QStringLiteral("  %1 %2\n      %3\n").arg(c.name, c.synopsis, c.summary);
    text += QStringLiteral("\nA <layout> is a .flashplan file or the name of an example layout (");
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
                                          QStringLiteral("validate: warnings fail too."));
    parser.addOptions({helpOption, versionOption, jsonOption, devicesOption, strictOption});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("devices, info or validate"));

    CliContext ctx{false, false, {}, {}, std::cout, std::cerr};
    if (!parser.parse(QCoreApplication::arguments()))
        return ctx.usage(parser.errorText().toStdString());
    ctx.json = parser.isSet(jsonOption);
    ctx.strict = parser.isSet(strictOption);
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

    const std::string name = positional.front().toStdString();
    for (int i = 1; i < positional.size(); ++i)
        ctx.args.push_back(positional[i].toStdString());
    for (const Command& c : kCommands)
        if (name == c.name)
            return c.run(ctx);
    return ctx.usage("unknown command '" + name + "'");
}
