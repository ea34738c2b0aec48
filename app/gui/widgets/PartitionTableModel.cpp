// SPDX-License-Identifier: Apache-2.0
#include "widgets/PartitionTableModel.h"

#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "util/Numbers.h"

#include <QApplication>
#include <QFontDatabase>
#include <QStyle>

namespace flashplan::gui {

PartitionTableModel::PartitionTableModel(LayoutDocument* document, QObject* parent)
    : QAbstractTableModel(parent), document_(document),
      rows_(static_cast<int>(document->layout().partitions.size())) {
    connect(document_, &LayoutDocument::layoutReset, this, [this] {
        beginResetModel();
        rows_ = static_cast<int>(document_->layout().partitions.size());
        endResetModel();
    });
    connect(document_, &LayoutDocument::partitionsChanged, this, &PartitionTableModel::partitionsChanged);
    // The label column carries the error and warning icons.
    connect(document_, &LayoutDocument::diagnosticsChanged, this, [this] {
        if (rows_ > 0)
            emit dataChanged(index(0, Label), index(rows_ - 1, Label), {Qt::DecorationRole, Qt::ToolTipRole});
    });
}

void PartitionTableModel::partitionsChanged() {
    const int rows = static_cast<int>(document_->layout().partitions.size());
    if (rows != rows_) {
        // Added or deleted rows: a reset is simplest, and the views take the selection from the document.
        beginResetModel();
        rows_ = rows;
        endResetModel();
    } else if (rows > 0) {
        emit dataChanged(index(0, 0), index(rows - 1, ColumnCount - 1));
    }
}

int PartitionTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}

int PartitionTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

edits::PartitionField PartitionTableModel::fieldOf(Column column) {
    switch (column) {
    case Label:
        return edits::PartitionField::Label;
    case Device:
        return edits::PartitionField::Device;
    case Offset:
        return edits::PartitionField::Offset;
    case Size:
        return edits::PartitionField::Size;
    case End:
        return edits::PartitionField::End;
    case Role:
        return edits::PartitionField::Role;
    case ReadOnly:
    case ColumnCount:
        break;
    }
    return edits::PartitionField::ReadOnly;
}

QVariant PartitionTableModel::data(const QModelIndex& index, int role) const {
    const auto& partitions = document_->layout().partitions;
    if (!index.isValid() || static_cast<std::size_t>(index.row()) >= partitions.size())
        return {};
    const Partition& p = partitions[static_cast<std::size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());

    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (column) {
        case Label:
            return q(p.label);
        case Device:
            return q(p.device);
        case Offset:
            return q(formatHex(p.offset));
        case Size:
            return role == Qt::EditRole ? q(formatHex(p.size)) : hexAndSize(p.size);
        case End:
            return q(formatHex(p.end()));
        case Role:
            return q(to_string(p.role));
        case ReadOnly:
        case ColumnCount:
            return {};
        }
    }
    if (role == Qt::CheckStateRole && column == ReadOnly)
        return p.readOnly ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::FontRole && (column == Offset || column == Size || column == End))
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (role == Qt::TextAlignmentRole && (column == Offset || column == Size || column == End))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if ((role == Qt::DecorationRole || role == Qt::ToolTipRole) && column == Label) {
        QStringList messages;
        Severity worst = Severity::Info;
        for (const Diagnostic& d : document_->diagnostics())
            for (std::size_t i : d.partitions)
                if (i == static_cast<std::size_t>(index.row()) && d.severity != Severity::Info) {
                    messages << q(d.message);
                    worst = std::max(worst, d.severity);
                }
        if (messages.isEmpty())
            return {};
        if (role == Qt::ToolTipRole)
            return messages.join('\n');
        return QApplication::style()->standardIcon(worst == Severity::Error ? QStyle::SP_MessageBoxCritical
                                                                            : QStyle::SP_MessageBoxWarning);
    }
    return {};
}

bool PartitionTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid())
        return false;
    const auto row = static_cast<std::size_t>(index.row());
    const auto column = static_cast<Column>(index.column());
    std::string text;
    if (column == ReadOnly && role == Qt::CheckStateRole)
        text = value.value<Qt::CheckState>() == Qt::Checked ? "true" : "false";
    else if (column != ReadOnly && role == Qt::EditRole)
        text = value.toString().trimmed().toStdString();
    else
        return false;
    if (auto r = edits::editPartitionField(*document_, row, fieldOf(column), text); !r) {
        emit editRefused(q(r.error().message));
        return false;
    }
    return true;
}

Qt::ItemFlags PartitionTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == ReadOnly)
        return f | Qt::ItemIsUserCheckable;
    return f | Qt::ItemIsEditable;
}

QVariant PartitionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section; // the flash_area id
    switch (static_cast<Column>(section)) {
    case Label:
        return tr("Label");
    case Device:
        return tr("Device");
    case Offset:
        return tr("Offset");
    case Size:
        return tr("Size");
    case End:
        return tr("End");
    case Role:
        return tr("Role");
    case ReadOnly:
        return tr("Read-only");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace flashplan::gui
