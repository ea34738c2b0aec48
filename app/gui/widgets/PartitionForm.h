// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commands/LayoutEdits.h"

#include <QWidget>

#include <cstddef>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace flashplan::gui {

class LayoutDocument;

/// The properties of one partition, each field committed on Enter or when it loses the focus, as one
/// undo command; refused input is reported by editRefused(why) and the field shows the value again.
class PartitionForm : public QWidget {
    Q_OBJECT
public:
    explicit PartitionForm(LayoutDocument* document, QWidget* parent = nullptr);

    /// Shows partition `index` (and remembers it for the edits).
    void showPartition(std::size_t index);
    std::size_t partitionIndex() const { return index_; }

    QLineEdit* labelEdit() const { return label_; }
    QLineEdit* offsetEdit() const { return offset_; }
    QLineEdit* sizeEdit() const { return size_; }

signals:
    void editRefused(const QString& why);

private:
    void commit(edits::PartitionField field, const QString& text);
    void refresh();

    LayoutDocument* document_;
    std::size_t index_ = 0;
    QLineEdit* label_;
    QComboBox* device_;
    QLineEdit* offset_;
    QLineEdit* size_;
    QLineEdit* end_;
    QComboBox* role_;
    QCheckBox* readOnly_;
    QLineEdit* imageIndex_;
    QLineEdit* image_;
    QLabel* parent_;
    QLabel* placement_;
};

} // namespace flashplan::gui
