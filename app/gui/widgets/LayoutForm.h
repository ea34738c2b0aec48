// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

namespace flashplan::gui {

class LayoutDocument;

/// The layout as a whole, shown when no partition is selected: name, description, board, bootloader
/// profile and its settings (BOOT_MAX_IMG_SECTORS, WOLFBOOT_SECTOR_SIZE...), and the application space the
/// layout leaves. Every change is one undo command.
class LayoutForm : public QWidget {
    Q_OBJECT
public:
    explicit LayoutForm(LayoutDocument* document, QWidget* parent = nullptr);

    QComboBox* profileBox() const { return profile_; }
    QLineEdit* newSettingEdit() const { return newSetting_; }
    QTableWidget* settingsTable() const { return settings_; }

signals:
    void editRefused(const QString& why);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void refresh();
    void addSetting();

    LayoutDocument* document_;
    QLineEdit* name_;
    QPlainTextEdit* description_;
    QLabel* board_;
    QComboBox* profile_;
    QTableWidget* settings_;
    QLineEdit* newSetting_;
    QLabel* space_;
    bool refreshing_ = false;
};

} // namespace flashplan::gui
