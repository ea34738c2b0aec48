// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QStackedWidget;

namespace flashplan::gui {

class LayoutDocument;
class LayoutForm;
class MessageBar;
class PartitionForm;

/// The properties of the selection: one partition's form, a summary of several, or, with nothing
/// selected, the layout's own (bootloader profile and settings).
class PropertiesPanel : public QWidget {
    Q_OBJECT
public:
    explicit PropertiesPanel(LayoutDocument* document, QWidget* parent = nullptr);

    PartitionForm* partitionForm() const { return partitionForm_; }
    LayoutForm* layoutForm() const { return layoutForm_; }
    MessageBar* messageBar() const { return messageBar_; }
    /// Which page shows: the layout, one partition or several.
    QWidget* currentPage() const;

private:
    void follow();

    LayoutDocument* document_;
    MessageBar* messageBar_;
    QStackedWidget* pages_;
    LayoutForm* layoutForm_;
    PartitionForm* partitionForm_;
    QLabel* several_;
};

} // namespace flashplan::gui
