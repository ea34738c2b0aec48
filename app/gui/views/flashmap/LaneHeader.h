// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

namespace flashplan::gui {

class FlashMapView;

/// The titles above the lanes (device id and name; size, sectors, CPU address range). A widget of its own
/// above the viewport, so the titles stay in view while the map scrolls.
class LaneHeader : public QWidget {
    Q_OBJECT
public:
    explicit LaneHeader(FlashMapView* view);
    int preferredHeight() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    FlashMapView* view_;
};

} // namespace flashplan::gui
