// SPDX-License-Identifier: Apache-2.0
#include "dialogs/KeysDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <array>
#include <utility>

namespace flashplan::gui {

namespace {

using Entry = std::pair<const char*, const char*>;

// Gestures that are not menu commands. README's "The editor" section says the same, in short.
constexpr std::array kMapGestures{
    Entry{"Drag a partition's body", "Move it; it snaps to sector boundaries and to its neighbours. Drop it "
                                     "on another lane to move it to that flash device."},
    Entry{"Drag a partition's top or bottom edge", "Resize it (the cursor changes at the edges)."},
    Entry{"Drag over free space", "Create a new partition (role custom, a new unique label)."},
    Entry{"Shift while dragging", "Snap to the write-block size instead of to sectors."},
    Entry{"Esc while dragging", "Cancel the drag."},
    Entry{"Red block while dragging", "The drop would overlap another partition or leave the device: it is "
                                      "refused, and the block springs back."},
    Entry{"Click, Ctrl+click", "Select a partition, add one to the selection."},
    Entry{"Up / Down", "Move the selected partitions by one sector (a run of moves is one undo step)."},
    Entry{"Wheel", "Zoom around the cursor; sectors are drawn one by one once they are a few pixels tall."},
    Entry{"Shift+wheel", "Scroll."},
    Entry{"Middle button drag, Space+drag", "Pan."},
    Entry{"Hover",
          "The status bar shows the device offset, the CPU address and the sector under the cursor."},
    Entry{"Drop a file on a partition", "Make it the partition's image (Programming panel; one undo step)."},
};

constexpr std::array kPanelGestures{
    Entry{"Partitions table",
          "Double-click or type to edit a cell: numbers as 0x1000, 4096 or 4K; device and "
          "role from lists; the read-only box. Bad input is refused with a message."},
    Entry{"Properties",
          "The selected partition's fields; with nothing selected, the layout's name, bootloader "
          "profile and settings (NAME=VALUE, e.g. BOOT_MAX_IMG_SECTORS=256)."},
    Entry{"Diagnostics", "What the rules find after every edit. Click a finding to select its partitions; "
                         "Fix applies its repair, Fix all every obvious one. All undoable."},
    Entry{"Programming (F8)",
          "A backend (the simulator by default) and its options; one row per writable partition with its "
          "image, what it is and whether it fits; Flash writes only the sectors that differ, then verifies. "
          "Verify, Read back and Erase act on the selected row; Cancel stops a job and names the sectors "
          "left partial. A layout or image with errors is refused before anything starts."},
};

QString rows(const auto& entries) {
    QString html;
    for (const auto& [keys, what] : entries)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(QString::fromUtf8(keys).toHtmlEscaped(), QString::fromUtf8(what).toHtmlEscaped());
    return html;
}

} // namespace

KeysDialog::KeysDialog(const QList<QAction*>& actions, QWidget* parent)
    : QDialog(parent), browser_(new QTextBrowser(this)) {
    setWindowTitle(tr("Keys and mouse"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    browser_->setHtml(helpHtml(actions));
    resize(640, 620);
}

QString KeysDialog::text() const {
    return browser_->toPlainText();
}

QString KeysDialog::helpHtml(const QList<QAction*>& actions) {
    QString html = QStringLiteral("<h3>Flash map</h3><table cellspacing=4>") + rows(kMapGestures) +
                   QStringLiteral("</table><h3>Panels</h3><table cellspacing=4>") + rows(kPanelGestures) +
                   QStringLiteral("</table><h3>Commands</h3><table cellspacing=4>");
    for (const QAction* a : actions) {
        if (a->isSeparator() || a->text().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        QString name = a->text();
        name.remove('&');
        html +=
            QStringLiteral("<tr><td><b>%1</b></td><td>%2%3</td></tr>")
                .arg(keys.isEmpty() ? QStringLiteral("—") : keys.join(QStringLiteral(", ")).toHtmlEscaped(),
                     name.toHtmlEscaped(),
                     a->statusTip().isEmpty() ? QString()
                                              : QStringLiteral(": ") + a->statusTip().toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}

} // namespace flashplan::gui
