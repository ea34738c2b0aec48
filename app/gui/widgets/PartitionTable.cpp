// SPDX-License-Identifier: Apache-2.0
#include "widgets/PartitionTable.h"

#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "widgets/MessageBar.h"
#include "widgets/PartitionTableModel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace flashplan::gui {

namespace {

/// Device and role are chosen from lists; every other column is typed.
class PartitionDelegate : public QStyledItemDelegate {
public:
    PartitionDelegate(LayoutDocument* document, QObject* parent)
        : QStyledItemDelegate(parent), document_(document) {}

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override {
        QStringList choices;
        if (index.column() == PartitionTableModel::Device)
            for (const FlashDevice& d : document_->layout().board.devices)
                choices << QString::fromStdString(d.id);
        else if (index.column() == PartitionTableModel::Role)
            choices = roleNames();
        else
            return QStyledItemDelegate::createEditor(parent, option, index);
        auto* combo = new QComboBox(parent);
        combo->addItems(choices);
        return combo;
    }

    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        if (auto* combo = qobject_cast<QComboBox*>(editor))
            combo->setCurrentText(index.data(Qt::EditRole).toString());
        else
            QStyledItemDelegate::setEditorData(editor, index);
    }

    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override {
        if (auto* combo = qobject_cast<QComboBox*>(editor))
            model->setData(index, combo->currentText(), Qt::EditRole);
        else
            QStyledItemDelegate::setModelData(editor, model, index);
    }

private:
    LayoutDocument* document_;
};

} // namespace

PartitionTable::PartitionTable(LayoutDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), model_(new PartitionTableModel(document, this)),
      view_(new QTableView(this)), messageBar_(new MessageBar(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(messageBar_);
    layout->addWidget(view_);

    view_->setModel(model_);
    view_->setItemDelegate(new PartitionDelegate(document, view_));
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                           QAbstractItemView::AnyKeyPressed);
    view_->setAlternatingRowColors(true);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->verticalHeader()->setToolTip(tr("flash_area id"));

    connect(model_, &PartitionTableModel::editRefused, messageBar_, &MessageBar::showError);
    connect(document_->undoStack(), &QUndoStack::indexChanged, messageBar_, &MessageBar::dismiss);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PartitionTable::selectionToDocument);
    connect(document_, &LayoutDocument::selectionChanged, this, &PartitionTable::selectionFromDocument);
    connect(model_, &QAbstractItemModel::modelReset, this, &PartitionTable::selectionFromDocument);
}

void PartitionTable::selectionFromDocument() {
    syncing_ = true;
    QItemSelection selection;
    for (std::size_t row : document_->selection())
        selection.select(model_->index(static_cast<int>(row), 0),
                         model_->index(static_cast<int>(row), PartitionTableModel::ColumnCount - 1));
    view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!document_->selection().empty())
        view_->scrollTo(model_->index(static_cast<int>(document_->selection().front()), 0));
    syncing_ = false;
}

void PartitionTable::selectionToDocument() {
    if (syncing_)
        return;
    std::vector<std::size_t> rows;
    for (const QModelIndex& index : view_->selectionModel()->selectedRows())
        rows.push_back(static_cast<std::size_t>(index.row()));
    std::sort(rows.begin(), rows.end());
    document_->setSelection(rows);
    emit partitionsActivated(rows);
}

} // namespace flashplan::gui
