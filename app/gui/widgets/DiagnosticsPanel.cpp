// SPDX-License-Identifier: Apache-2.0
#include "widgets/DiagnosticsPanel.h"

#include "commands/LayoutEdits.h"
#include "document/LayoutDocument.h"
#include "document/Text.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flashplan::gui {

namespace {

QStyle::StandardPixmap iconOf(Severity severity) {
    switch (severity) {
    case Severity::Error:
        return QStyle::SP_MessageBoxCritical;
    case Severity::Warning:
        return QStyle::SP_MessageBoxWarning;
    case Severity::Info:
        break;
    }
    return QStyle::SP_MessageBoxInformation;
}

} // namespace

DiagnosticsPanel::DiagnosticsPanel(LayoutDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), summary_(new QLabel(this)),
      fixAll_(new QPushButton(tr("Fix all"), this)), tree_(new QTreeWidget(this)) {
    auto* top = new QHBoxLayout;
    top->addWidget(summary_, 1);
    top->addWidget(fixAll_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(tree_);

    fixAll_->setToolTip(
        tr("Apply every obvious repair, one at a time, re-checking after each (one undo step)"));
    tree_->setColumnCount(3);
    tree_->setHeaderLabels({tr("Rule"), tr("Message"), tr("Fix")});
    tree_->setRootIsDecorated(false);
    tree_->setWordWrap(true);
    tree_->setUniformRowHeights(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(false);

    connect(fixAll_, &QPushButton::clicked, this, [this] { edits::applyAllFixes(*document_); });
    connect(tree_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(document_, &LayoutDocument::diagnosticsChanged, this, &DiagnosticsPanel::rebuild);
    rebuild();
}

QAbstractButton* DiagnosticsPanel::fixButton(int row) const {
    QTreeWidgetItem* item = tree_->topLevelItem(row);
    return item ? qobject_cast<QAbstractButton*>(tree_->itemWidget(item, 2)) : nullptr;
}

const Diagnostic* DiagnosticsPanel::diagnosticAt(int row) const {
    return row >= 0 && static_cast<std::size_t>(row) < shown_.size() ? &shown_[static_cast<std::size_t>(row)]
                                                                     : nullptr;
}

void DiagnosticsPanel::rebuild() {
    shown_ = document_->diagnostics();
    tree_->clear();
    bool anyFix = false;
    for (std::size_t i = 0; i < shown_.size(); ++i) {
        const Diagnostic& d = shown_[i];
        auto* item = new QTreeWidgetItem(tree_);
        item->setIcon(0, style()->standardIcon(iconOf(d.severity)));
        item->setText(0, QString::fromStdString(d.rule));
        item->setText(1, QString::fromStdString(d.message));
        item->setToolTip(1, QString::fromStdString(d.message));
        item->setData(0, Qt::UserRole, static_cast<qulonglong>(i));
        if (d.fix) {
            anyFix |= d.severity != Severity::Info;
            auto* button = new QToolButton(tree_);
            button->setText(tr("Fix"));
            button->setToolTip(QString::fromStdString(d.fix->description));
            // Queued, with a copy of the finding: the edit rebuilds this list, button and all, which must not
            // happen while the button is still delivering its click.
            connect(
                button, &QToolButton::clicked, this, [this, d] { edits::applyDiagnosticFix(*document_, d); },
                Qt::QueuedConnection);
            tree_->setItemWidget(item, 2, button);
        }
    }
    const DiagnosticCounts n = countSeverities(shown_);
    summary_->setText(n.errors + n.warnings + n.infos == 0 ? tr("No findings") : countsText(n));
    fixAll_->setEnabled(anyFix);
}

void DiagnosticsPanel::activate(QTreeWidgetItem* item) {
    const Diagnostic* d = diagnosticAt(tree_->indexOfTopLevelItem(item));
    if (!d)
        return;
    document_->setSelection(d->partitions);
    emit partitionsActivated(d->partitions);
}

} // namespace flashplan::gui
