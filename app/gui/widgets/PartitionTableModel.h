// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commands/LayoutEdits.h"

#include <QAbstractTableModel>

namespace flashplan::gui {

class LayoutDocument;

/// The partitions as a table: label, device, offset, size, end, role, read-only; one row per partition
/// in flash_area id order. Edits go through commands/LayoutEdits (one undo command each); bad input is
/// refused with editRefused(why).
class PartitionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Label, Device, Offset, Size, End, Role, ReadOnly, ColumnCount };

    explicit PartitionTableModel(LayoutDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// The field a column edits.
    static edits::PartitionField fieldOf(Column column);

signals:
    void editRefused(const QString& why);

private:
    void partitionsChanged();

    LayoutDocument* document_;
    int rows_ = 0;
};

} // namespace flashplan::gui
