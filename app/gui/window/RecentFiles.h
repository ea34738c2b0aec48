// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace flashplan::gui {

/// The files opened or saved lately, newest first, kept in the application's QSettings.
class RecentFiles {
public:
    static constexpr int kMaximum = 8;

    QStringList list() const;
    /// Puts `path` (made absolute) first, dropping an older entry of the same file and the oldest beyond
    /// kMaximum.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

private:
    void store(const QStringList& files);
};

} // namespace flashplan::gui
