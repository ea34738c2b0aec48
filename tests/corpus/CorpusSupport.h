// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the corpus suites: where ../shared/corpus is, and its index. A suite whose corpus is absent
// skips with a clear message (FLASHPLAN_REQUIRE_CORPUS) instead of failing.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QVector>
#include <QtTest>

namespace corpus {

/// ../shared/corpus/visible beside the project (FLASHPLAN_CORPUS_DIR overrides), or empty when absent.
/// FLASHPLAN_SOURCE_DIR is the project's root, defined for every test by tests/CMakeLists.txt.
inline QString visibleDir() {
    QString dir = qEnvironmentVariable("FLASHPLAN_CORPUS_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(FLASHPLAN_SOURCE_DIR "/../shared/corpus/visible");
    return QFile::exists(dir + QStringLiteral("/index.json")) ? QDir(dir).absolutePath() : QString();
}

/// One entry of index.json, with its paths made absolute.
struct Entry {
    QString source;
    QString input; ///< absolute path of the file to import
    QString truth; ///< absolute path of its ground truth
    QJsonObject raw;
};

/// The entries of one source ("zephyr", "zephyr-overlay", "wolfboot", "nordic-pm", "esp-idf").
inline QVector<Entry> entries(const QString& source) {
    QVector<Entry> out;
    const QString dir = visibleDir();
    QFile f(dir + QStringLiteral("/index.json"));
    if (dir.isEmpty() || !f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray all =
        QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("entries")).toArray();
    for (const auto& v : all) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("source")).toString() != source)
            continue;
        out.push_back({source, dir + '/' + o.value(QStringLiteral("input_path")).toString(),
                       dir + '/' + o.value(QStringLiteral("truth_path")).toString(), o});
    }
    return out;
}

inline QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace corpus

#define FLASHPLAN_REQUIRE_CORPUS()                                                                           \
    do {                                                                                                     \
        if (corpus::visibleDir().isEmpty())                                                                  \
            QSKIP("../shared/corpus/visible is absent (set FLASHPLAN_CORPUS_DIR to point at it): corpus "    \
                  "skipped");                                                                                \
    } while (false)
