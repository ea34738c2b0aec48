// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

#include <cstddef>
#include <vector>

class QTableView;

namespace flashplan::gui {

class LayoutDocument;
class MessageBar;
class PartitionTableModel;

/// The partition table panel: the table, editable in place (device and role from lists, numbers in hex or
/// with K/M suffixes), its selection shared with the map, and a message bar for refused input.
class PartitionTable : public QWidget {
    Q_OBJECT
public:
    explicit PartitionTable(LayoutDocument* document, QWidget* parent = nullptr);

    QTableView* view() const { return view_; }
    PartitionTableModel* model() const { return model_; }
    MessageBar* messageBar() const { return messageBar_; }

signals:
    /// The user selected these rows in the table.
    void partitionsActivated(const std::vector<std::size_t>& partitions);

private:
    void selectionFromDocument();
    void selectionToDocument();

    LayoutDocument* document_;
    PartitionTableModel* model_;
    QTableView* view_;
    MessageBar* messageBar_;
    bool syncing_ = false;
};

} // namespace flashplan::gui
