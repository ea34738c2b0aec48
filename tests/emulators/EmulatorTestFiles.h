// SPDX-License-Identifier: Apache-2.0
// What the emulator suites and the OpenOCD rig share around a run: test images, the files they go
// through, and OpenOCD's output for a failure message.
#pragma once

#include "EmulatorProcess.h"

#include <QByteArray>
#include <QFile>
#include <QRandomGenerator>
#include <QString>

namespace flashplan::testing {

/// `size` bytes from a seeded generator: an image that differs everywhere from erased flash and from
/// another seed's, and the same on every run.
inline QByteArray randomBytes(int size, quint32 seed) {
    QRandomGenerator rng(seed);
    QByteArray b(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        b[i] = char(rng.bounded(256));
    return b;
}

inline bool writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

/// The file's bytes, or empty when it cannot be read.
inline QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// What OpenOCD printed, with how it ended, for failure messages.
inline QByteArray openOcdLog(const OpenOcdResult& r) {
    return (QStringLiteral("exit %1 after %2 ms%3\n")
                .arg(r.exitCode)
                .arg(r.elapsedMs)
                .arg(r.timedOut ? " (timed out)" : "") +
            r.output())
        .toUtf8();
}

} // namespace flashplan::testing
