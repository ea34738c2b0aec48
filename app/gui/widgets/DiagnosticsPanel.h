// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"

#include <QWidget>

#include <cstddef>
#include <vector>

class QAbstractButton;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace flashplan::gui {

class LayoutDocument;

/// What validate() finds after every edit (and what the importer had to assume): severity icon, rule id,
/// message. Clicking a finding selects its partitions; a finding with a fix has a Fix button that applies
/// it as one undoable command, and "Fix all" applies every obvious repair.
class DiagnosticsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DiagnosticsPanel(LayoutDocument* document, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return tree_; }
    QPushButton* fixAllButton() const { return fixAll_; }
    /// "0 errors, 1 warning, 3 infos" above the list.
    QLabel* summaryLabel() const { return summary_; }
    /// The Fix button of a row, nullptr when its finding has no fix.
    QAbstractButton* fixButton(int row) const;
    /// The finding shown in a row.
    const Diagnostic* diagnosticAt(int row) const;

signals:
    /// A finding was clicked; its partitions are now selected.
    void partitionsActivated(const std::vector<std::size_t>& partitions);

private:
    void rebuild();
    void activate(QTreeWidgetItem* item);

    LayoutDocument* document_;
    QLabel* summary_;
    QPushButton* fixAll_;
    QTreeWidget* tree_;
    std::vector<Diagnostic> shown_;
};

} // namespace flashplan::gui
