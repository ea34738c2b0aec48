// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace flashplan::gui {

/// Where window state and recent files live: QSettings(kSettingsOrganization, kSettingsApplication), i.e.
/// ~/.config/Flashplan/flashplan.conf. Tests point QSettings::setPath at a throwaway folder first.
inline const QString kSettingsOrganization = QStringLiteral("Flashplan");
inline const QString kSettingsApplication = QStringLiteral("flashplan");

} // namespace flashplan::gui
