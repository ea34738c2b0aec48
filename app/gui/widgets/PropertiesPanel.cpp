// SPDX-License-Identifier: Apache-2.0
#include "widgets/PropertiesPanel.h"

#include "document/LayoutDocument.h"
#include "util/Numbers.h"
#include "widgets/LayoutForm.h"
#include "widgets/MessageBar.h"
#include "widgets/PartitionForm.h"

#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace flashplan::gui {

PropertiesPanel::PropertiesPanel(LayoutDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), messageBar_(new MessageBar(this)),
      pages_(new QStackedWidget(this)), layoutForm_(new LayoutForm(document, pages_)),
      partitionForm_(new PartitionForm(document, pages_)), several_(new QLabel(pages_)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(messageBar_);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(pages_);
    layout->addWidget(scroll);

    several_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    several_->setMargin(8);
    several_->setWordWrap(true);
    pages_->addWidget(layoutForm_);
    pages_->addWidget(partitionForm_);
    pages_->addWidget(several_);

    connect(layoutForm_, &LayoutForm::editRefused, messageBar_, &MessageBar::showError);
    connect(partitionForm_, &PartitionForm::editRefused, messageBar_, &MessageBar::showError);
    connect(document_->undoStack(), &QUndoStack::indexChanged, messageBar_, &MessageBar::dismiss);
    connect(document_, &LayoutDocument::selectionChanged, this, &PropertiesPanel::follow);
    connect(document_, &LayoutDocument::partitionsChanged, this, &PropertiesPanel::follow);
    follow();
}

QWidget* PropertiesPanel::currentPage() const {
    return pages_->currentWidget();
}

void PropertiesPanel::follow() {
    const auto& selection = document_->selection();
    if (selection.empty()) {
        pages_->setCurrentWidget(layoutForm_);
    } else if (selection.size() == 1) {
        if (partitionForm_->partitionIndex() != selection.front() ||
            pages_->currentWidget() != partitionForm_)
            partitionForm_->showPartition(selection.front());
        pages_->setCurrentWidget(partitionForm_);
    } else {
        std::uint64_t total = 0;
        QStringList labels;
        for (std::size_t i : selection) {
            total += document_->layout().partitions[i].size;
            labels << QString::fromStdString(document_->layout().partitions[i].label);
        }
        several_->setText(
            tr("%1 partitions selected, %2 in all:\n%3")
                .arg(selection.size())
                .arg(QString::fromStdString(formatSize(total)), labels.join(QStringLiteral(", "))));
        pages_->setCurrentWidget(several_);
    }
}

} // namespace flashplan::gui
