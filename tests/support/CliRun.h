// SPDX-License-Identifier: Apache-2.0
#pragma once
// flashplan-cli as a user runs it, for the suites that judge it from outside: a real process (the binary
// FLASHPLAN_CLI names), its exit code, its stdout and its stderr.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace clirun {

struct Run {
    int exitCode = -1; ///< -1 when the process crashed
    QString out, err;
    /// stdout as the JSON document --json prints.
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

/// Runs flashplan-cli with `args` and waits for it; one that does not finish in `timeoutMs` stops the suite.
inline Run cli(const QStringList& args, int timeoutMs = 30000) {
    QProcess p;
    p.start(QStringLiteral(FLASHPLAN_CLI), args);
    if (!p.waitForFinished(timeoutMs))
        qFatal("flashplan-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace clirun
