// SPDX-License-Identifier: Apache-2.0
#include "programming/SlotList.h"

#include "document/Text.h"
#include "util/Numbers.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QPushButton>

#include <algorithm>
#include <tuple>

namespace flashplan::gui {

namespace {

enum Column { ColPartition, ColImage, ColTrailer, ColFlash, ColumnCount };

auto rowOrder(const Layout& layout, std::size_t i) {
    const Partition& p = layout.partitions[i];
    const bool slot = p.role == PartitionRole::Slot0 || p.role == PartitionRole::Slot1;
    const bool notOurs = p.readOnly || p.role == PartitionRole::Reserved;
    return std::make_tuple(notOurs ? 2
                           : slot  ? 0
                                   : 1,
                           slot ? p.imageIndex : 0, slot ? static_cast<int>(p.role) : 0, i);
}

QString rangeText(const Partition& p) {
    return QStringLiteral("%1 %2..%3 (%4)")
        .arg(q(p.device), q(formatHex(p.offset)), q(formatHex(p.end())), q(formatSize(p.size)));
}

} // namespace

std::vector<std::size_t> imagePartitions(const Layout& layout) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
        const Partition& p = layout.partitions[i];
        if (layout.deviceOf(p) && p.size > 0)
            out.push_back(i);
    }
    std::sort(out.begin(), out.end(),
              [&](std::size_t a, std::size_t b) { return rowOrder(layout, a) < rowOrder(layout, b); });
    return out;
}

SlotList::SlotList(QWidget* parent) : QTreeWidget(parent) {
    setObjectName(QStringLiteral("programmingSlots"));
    setColumnCount(ColumnCount);
    setHeaderLabels({tr("Partition · file"), tr("Image · fit"), tr("MCUboot"), QString()});
    setRootIsDecorated(false);
    setAllColumnsShowFocus(true);
    setUniformRowHeights(false);
    setTextElideMode(Qt::ElideMiddle);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(ColImage, QHeaderView::Stretch);
    setToolTip(tr("Drop an image file on a partition in the map, or pick one with Image…"));
    connect(this, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item, int column) {
        const int r = indexOfTopLevelItem(item);
        if (column != ColFlash && r >= 0)
            emit rowActivated(rows_[static_cast<std::size_t>(r)]);
    });
}

void SlotList::rebuild(const Layout& layout, const std::function<SlotImage(std::size_t)>& describe) {
    const std::optional<std::size_t> current = currentPartition();
    const QSignalBlocker block(this);
    clear();
    rows_ = imagePartitions(layout);
    for (const std::size_t i : rows_) {
        const Partition& p = layout.partitions[i];
        const SlotImage image = describe(i);
        auto* item = new QTreeWidgetItem(this);
        const QString file = image.path.isEmpty() ? tr("no image") : QFileInfo(image.path).fileName();
        const QString label = p.readOnly                          ? tr("%1 (read-only)").arg(q(p.label))
                              : p.role == PartitionRole::Reserved ? tr("%1 (reserved)").arg(q(p.label))
                                                                  : q(p.label);
        item->setText(ColPartition, label + QLatin1Char('\n') + file);
        item->setToolTip(
            ColPartition,
            rangeText(p) + QLatin1Char('\n') +
                (image.path.isEmpty() ? tr("Double-click, or drop a file on it in the map") : image.path));
        if (!image.path.isEmpty()) {
            item->setText(ColImage, image.facts + QLatin1Char('\n') + image.fit);
            item->setToolTip(ColImage,
                             (QStringList{image.facts, image.fit} + image.errors).join(QLatin1Char('\n')));
        }
        if (!image.errors.isEmpty())
            item->setForeground(ColImage, QColor(0xc6, 0x28, 0x28));
        if (!image.trailerChoices.empty()) {
            auto* box = new QComboBox(this);
            box->setObjectName(QStringLiteral("trailer:") + q(p.label));
            for (TrailerChoice c : image.trailerChoices)
                box->addItem(to_text(c), static_cast<int>(c));
            box->setCurrentIndex(std::max(0, box->findData(static_cast<int>(image.trailer))));
            box->setToolTip(tr("What %1's MCUboot trailer holds after a flash: erased (no request; an image "
                               "padded by imgtool keeps its own), an upgrade request as imgtool writes it "
                               "(test or permanent in a secondary slot, confirm in a primary), or left as "
                               "it is")
                                .arg(q(p.label)));
            connect(
                box, &QComboBox::activated, this,
                [this, i, box](int index) {
                    emit trailerChosen(i, static_cast<TrailerChoice>(box->itemData(index).toInt()));
                },
                Qt::QueuedConnection);
            setItemWidget(item, ColTrailer, box);
        }
        auto* button = new QPushButton(tr("Flash"), this);
        button->setObjectName(QStringLiteral("flash:") + q(p.label));
        button->setToolTip(
            tr("Program the image into %1: only the sectors that differ are erased and written, "
               "then the image is verified")
                .arg(q(p.label)));
        // Queued: what the click starts may rebuild this list, button and all, before the click returns.
        connect(
            button, &QPushButton::clicked, this, [this, i] { emit flashRequested(i); }, Qt::QueuedConnection);
        setItemWidget(item, ColFlash, button);
    }
    if (current)
        setCurrentPartition(*current);
    if (!currentItem() && topLevelItemCount() > 0)
        setCurrentItem(topLevelItem(0));
}

bool SlotList::hasRow(std::size_t partition) const {
    return std::find(rows_.begin(), rows_.end(), partition) != rows_.end();
}

QTreeWidgetItem* SlotList::rowOf(std::size_t partition) const {
    const auto it = std::find(rows_.begin(), rows_.end(), partition);
    return it == rows_.end() ? nullptr : topLevelItem(static_cast<int>(it - rows_.begin()));
}

QPushButton* SlotList::flashButton(std::size_t partition) const {
    QTreeWidgetItem* item = rowOf(partition);
    return item ? qobject_cast<QPushButton*>(itemWidget(item, ColFlash)) : nullptr;
}

QComboBox* SlotList::trailerBox(std::size_t partition) const {
    QTreeWidgetItem* item = rowOf(partition);
    return item ? qobject_cast<QComboBox*>(itemWidget(item, ColTrailer)) : nullptr;
}

std::optional<std::size_t> SlotList::currentPartition() const {
    const int r = indexOfTopLevelItem(currentItem());
    if (r < 0 || static_cast<std::size_t>(r) >= rows_.size())
        return std::nullopt;
    return rows_[static_cast<std::size_t>(r)];
}

void SlotList::setCurrentPartition(std::size_t partition) {
    if (QTreeWidgetItem* item = rowOf(partition))
        setCurrentItem(item);
}

} // namespace flashplan::gui
