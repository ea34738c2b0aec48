// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Layout.h"
#include "programming/SlotImage.h"

#include <QTreeWidget>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

class QComboBox;
class QPushButton;

namespace flashplan::gui {

/// The partitions the programming panel lists, in its order: every partition on a device of the board;
/// the slots first (image by image, primary before secondary), then the other writable ones in layout
/// order, then the read-only and reserved ones (which can be read and verified; the preflight refuses to
/// write them).
std::vector<std::size_t> imagePartitions(const Layout& layout);

/// The programming panel's list: a row per partition of imagePartitions(), two lines each so it reads
/// in a narrow dock (the partition over its image file; what the image is over whether it fits, red when
/// it may not be flashed), and a Flash button per row.
class SlotList : public QTreeWidget {
    Q_OBJECT
public:
    explicit SlotList(QWidget* parent = nullptr);

    /// Lists the layout's partitions again, each described by `describe`, keeping the current row's
    /// partition current (else the first row); emits nothing while it does.
    void rebuild(const Layout& layout, const std::function<SlotImage(std::size_t)>& describe);

    /// The partitions with a row, in row order.
    const std::vector<std::size_t>& partitions() const { return rows_; }
    bool hasRow(std::size_t partition) const;
    /// The Flash button of a partition's row; nullptr when it has no row.
    QPushButton* flashButton(std::size_t partition) const;
    /// The trailer choice of an MCUboot slot's row; nullptr for other rows.
    QComboBox* trailerBox(std::size_t partition) const;
    /// The row of a partition; nullptr when it has none.
    QTreeWidgetItem* rowOf(std::size_t partition) const;

    std::optional<std::size_t> currentPartition() const;
    void setCurrentPartition(std::size_t partition);

signals:
    void flashRequested(std::size_t partition);
    /// The user picked what the slot's MCUboot trailer is to hold after a flash.
    void trailerChosen(std::size_t partition, TrailerChoice choice);
    /// A row was double-clicked away from its button (the panel asks for an image file).
    void rowActivated(std::size_t partition);

private:
    std::vector<std::size_t> rows_;
};

} // namespace flashplan::gui
