// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "db/DeviceDatabase.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace flashplan::gui {

/// File → New from board: a board of the device database, a bootloader profile and optional sizes; the
/// core's designLayout() makes the layout that leaves the application the most space. A choice that
/// leaves no valid layout keeps the dialog open and says why.
class NewLayoutDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewLayoutDialog(const DeviceDatabase& db, QWidget* parent = nullptr);

    QComboBox* boardBox() const { return board_; }
    QComboBox* profileBox() const { return profile_; }
    QLineEdit* bootloaderSizeEdit() const { return bootloaderSize_; }
    QLineEdit* storageSizeEdit() const { return storageSize_; }
    QCheckBox* externalBox() const { return external_; }
    QLabel* errorLabel() const { return error_; }

    /// The layout the current choices make, or why there is none.
    Result<Layout> design() const;
    /// The designed layout once the dialog was accepted.
    const std::optional<Layout>& layout() const { return layout_; }

    void accept() override;

private:
    void boardChanged();

    const DeviceDatabase& db_;
    QComboBox* board_;
    QLabel* boardInfo_;
    QComboBox* profile_;
    QLineEdit* bootloaderSize_;
    QLineEdit* storageSize_;
    QCheckBox* external_;
    QLabel* error_;
    std::optional<Layout> layout_;
};

} // namespace flashplan::gui
