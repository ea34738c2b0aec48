// SPDX-License-Identifier: Apache-2.0
#include "window/RecentFiles.h"

#include "desktop/AppSettings.h"

#include <QFileInfo>
#include <QSettings>

namespace flashplan::gui {

namespace {
const QString kKey = QStringLiteral("recentFiles");
}

QStringList RecentFiles::list() const {
    return QSettings(kSettingsOrganization, kSettingsApplication).value(kKey).toStringList();
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = list();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaximum)
        files.removeLast();
    store(files);
}

void RecentFiles::remove(const QString& path) {
    QStringList files = list();
    files.removeAll(path);
    store(files);
}

void RecentFiles::clear() {
    store({});
}

void RecentFiles::store(const QStringList& files) {
    QSettings(kSettingsOrganization, kSettingsApplication).setValue(kKey, files);
}

} // namespace flashplan::gui
