// SPDX-License-Identifier: Apache-2.0
#include "widgets/PartitionForm.h"

#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "util/Numbers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace flashplan::gui {

namespace {

/// Sets a line edit's text unless the user is typing in it.
void showValue(QLineEdit* edit, const QString& text) {
    if (edit->hasFocus() && edit->isModified())
        return;
    edit->setText(text);
    edit->setModified(false);
}

} // namespace

PartitionForm::PartitionForm(LayoutDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), label_(new QLineEdit(this)), device_(new QComboBox(this)),
      offset_(new QLineEdit(this)), size_(new QLineEdit(this)), end_(new QLineEdit(this)),
      role_(new QComboBox(this)), readOnly_(new QCheckBox(tr("Read-only"), this)),
      imageIndex_(new QLineEdit(this)), image_(new QLineEdit(this)), parent_(new QLabel(this)),
      placement_(new QLabel(this)) {
    // The form keeps its natural height at the top; the rest of the panel stays empty below it.
    auto* outer = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    outer->addLayout(form);
    outer->addStretch(1);
    form->addRow(tr("Label"), label_);
    form->addRow(tr("Device"), device_);
    form->addRow(tr("Offset"), offset_);
    form->addRow(tr("Size"), size_);
    form->addRow(tr("End"), end_);
    form->addRow(tr("Role"), role_);
    form->addRow(QString(), readOnly_);
    form->addRow(tr("Image number"), imageIndex_);
    form->addRow(tr("Image file"), image_);
    form->addRow(tr("Parent"), parent_);
    form->addRow(tr("Placement"), placement_);
    placement_->setWordWrap(true);
    placement_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QLineEdit* e : {offset_, size_, end_})
        e->setFont(fixed);
    offset_->setToolTip(tr("Device offset: 0x1000, 4096 or 4K"));
    size_->setToolTip(tr("Size in bytes: 0x20000, 131072 or 128K"));
    end_->setToolTip(tr("End (exclusive): changing it resizes the partition"));
    role_->addItems(roleNames());

    const auto onCommit = [this](QLineEdit* edit, edits::PartitionField field) {
        connect(edit, &QLineEdit::editingFinished, this, [this, edit, field] {
            if (edit->isModified())
                commit(field, edit->text());
        });
    };
    onCommit(label_, edits::PartitionField::Label);
    onCommit(offset_, edits::PartitionField::Offset);
    onCommit(size_, edits::PartitionField::Size);
    onCommit(end_, edits::PartitionField::End);
    onCommit(imageIndex_, edits::PartitionField::ImageIndex);
    onCommit(image_, edits::PartitionField::Image);
    connect(device_, &QComboBox::activated, this,
            [this] { commit(edits::PartitionField::Device, device_->currentText()); });
    connect(role_, &QComboBox::activated, this,
            [this] { commit(edits::PartitionField::Role, role_->currentText()); });
    connect(readOnly_, &QCheckBox::clicked, this, [this](bool on) {
        commit(edits::PartitionField::ReadOnly, on ? QStringLiteral("true") : QStringLiteral("false"));
    });
    connect(document_, &LayoutDocument::partitionsChanged, this, &PartitionForm::refresh);
    connect(document_, &LayoutDocument::layoutReset, this, &PartitionForm::refresh);
}

void PartitionForm::showPartition(std::size_t index) {
    index_ = index;
    for (QLineEdit* e : {label_, offset_, size_, end_, imageIndex_, image_})
        e->setModified(false);
    refresh();
}

void PartitionForm::commit(edits::PartitionField field, const QString& text) {
    const auto result = edits::editPartitionField(*document_, index_, field, text.trimmed().toStdString());
    if (!result)
        emit editRefused(q(result.error().message));
    // Show what the layout holds now: the new value, or the one that stayed.
    for (QLineEdit* e : {label_, offset_, size_, end_, imageIndex_, image_})
        e->setModified(false);
    refresh();
}

void PartitionForm::refresh() {
    const Layout& layout = document_->layout();
    if (index_ >= layout.partitions.size())
        return;
    const Partition& p = layout.partitions[index_];
    showValue(label_, q(p.label));
    showValue(offset_, q(formatHex(p.offset)));
    showValue(size_, q(formatHex(p.size)));
    showValue(end_, q(formatHex(p.end())));
    showValue(imageIndex_, QString::number(p.imageIndex));
    showValue(image_, q(p.image));
    {
        const QSignalBlocker block(device_);
        device_->clear();
        for (const FlashDevice& d : layout.board.devices)
            device_->addItem(q(d.id));
        device_->setCurrentText(q(p.device));
    }
    {
        const QSignalBlocker block(role_);
        role_->setCurrentText(q(to_string(p.role)));
    }
    {
        const QSignalBlocker block(readOnly_);
        readOnly_->setChecked(p.readOnly);
    }
    parent_->setText(p.parent.empty() ? tr("(top level)") : q(p.parent));

    QString where = hexAndSize(p.size);
    if (const FlashDevice* d = layout.deviceOf(p)) {
        const auto first = d->sectors.sectorAt(p.offset);
        const auto last = p.size ? d->sectors.sectorAt(p.end() - 1) : std::nullopt;
        if (first && last)
            where +=
                tr("\nsectors %1–%2 of %3").arg(first->index).arg(last->index).arg(d->sectors.sectorCount());
        if (const auto cpu = d->cpuAddress(p.offset))
            where += tr("\nCPU %1–%2").arg(q(formatAddress(*cpu)), q(formatAddress(*cpu + p.size)));
    }
    placement_->setText(where);
}

} // namespace flashplan::gui
