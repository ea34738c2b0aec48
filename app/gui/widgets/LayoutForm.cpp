// SPDX-License-Identifier: Apache-2.0
#include "widgets/LayoutForm.h"

#include "commands/LayoutEdits.h"
#include "design/AutoLayout.h"
#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "model/BootloaderProfile.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flashplan::gui {

LayoutForm::LayoutForm(LayoutDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), name_(new QLineEdit(this)),
      description_(new QPlainTextEdit(this)), board_(new QLabel(this)), profile_(new QComboBox(this)),
      settings_(new QTableWidget(0, 2, this)), newSetting_(new QLineEdit(this)), space_(new QLabel(this)) {
    // The form keeps its natural height at the top; the rest of the panel stays empty below it.
    auto* outer = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    outer->addLayout(form);
    outer->addStretch(1);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Description"), description_);
    form->addRow(tr("Board"), board_);
    form->addRow(tr("Bootloader"), profile_);
    form->addRow(tr("Settings"), settings_);
    auto* add = new QPushButton(tr("Set"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(newSetting_, 1);
    row->addWidget(add);
    row->addWidget(remove);
    form->addRow(QString(), row);
    form->addRow(tr("Application"), space_);

    description_->setTabChangesFocus(true);
    description_->setMaximumHeight(description_->fontMetrics().lineSpacing() * 5);
    description_->installEventFilter(this);
    board_->setWordWrap(true);
    space_->setWordWrap(true);
    settings_->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    settings_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    settings_->horizontalHeader()->setStretchLastSection(true);
    settings_->verticalHeader()->hide();
    settings_->setMaximumHeight(settings_->fontMetrics().lineSpacing() * 7);
    newSetting_->setPlaceholderText(tr("NAME=VALUE, e.g. BOOT_MAX_IMG_SECTORS=256"));
    for (const ProfileInfo& p : allProfiles())
        profile_->addItem(q(p.title), q(p.id));

    connect(name_, &QLineEdit::editingFinished, this, [this] {
        if (name_->isModified())
            edits::setLayoutName(*document_, name_->text().toStdString());
    });
    connect(profile_, &QComboBox::activated, this, [this] {
        if (auto r = edits::setProfile(*document_, profile_->currentData().toString().toStdString()); !r)
            emit editRefused(QString::fromStdString(r.error().message));
    });
    connect(settings_, &QTableWidget::cellChanged, this, [this](int r, int column) {
        if (refreshing_ || column != 1)
            return;
        const std::string name = settings_->item(r, 0)->text().toStdString();
        if (auto res = edits::setBootloaderSetting(*document_, name,
                                                   settings_->item(r, 1)->text().trimmed().toStdString());
            !res)
            emit editRefused(QString::fromStdString(res.error().message));
    });
    connect(add, &QPushButton::clicked, this, &LayoutForm::addSetting);
    connect(newSetting_, &QLineEdit::returnPressed, this, &LayoutForm::addSetting);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int r = settings_->currentRow();
        if (r >= 0)
            edits::removeBootloaderSetting(*document_, settings_->item(r, 0)->text().toStdString());
    });
    connect(document_, &LayoutDocument::settingsChanged, this, &LayoutForm::refresh);
    connect(document_, &LayoutDocument::partitionsChanged, this, &LayoutForm::refresh);
    connect(document_, &LayoutDocument::layoutReset, this, &LayoutForm::refresh);
    refresh();
}

bool LayoutForm::eventFilter(QObject* watched, QEvent* event) {
    // A multi-line text has no editingFinished: the description is committed when it loses the focus.
    if (watched == description_ && event->type() == QEvent::FocusOut &&
        description_->toPlainText().toStdString() != document_->layout().description)
        edits::setLayoutDescription(*document_, description_->toPlainText().toStdString());
    return QWidget::eventFilter(watched, event);
}

void LayoutForm::addSetting() {
    const QString text = newSetting_->text().trimmed();
    const qsizetype eq = text.indexOf('=');
    if (eq <= 0) {
        emit editRefused(tr("setting: write NAME=VALUE, e.g. BOOT_MAX_IMG_SECTORS=256"));
        return;
    }
    if (auto r = edits::setBootloaderSetting(*document_, text.left(eq).trimmed().toStdString(),
                                             text.mid(eq + 1).trimmed().toStdString());
        !r) {
        emit editRefused(QString::fromStdString(r.error().message));
        return;
    }
    newSetting_->clear();
}

void LayoutForm::refresh() {
    const Layout& layout = document_->layout();
    refreshing_ = true;
    if (!(name_->hasFocus() && name_->isModified())) {
        name_->setText(q(layout.name));
        name_->setCursorPosition(0); // a long name shows its beginning
        name_->setModified(false);
    }
    if (!description_->hasFocus())
        description_->setPlainText(q(layout.description));
    board_->setText(QStringLiteral("%1 (%2)\n%3 %4")
                        .arg(q(layout.board.name),
                             q(layout.boardRef.empty() ? layout.board.id : layout.boardRef),
                             q(layout.board.vendor), q(layout.board.soc)));
    {
        const QSignalBlocker block(profile_);
        const ProfileInfo* current = profileOf(layout.bootloader);
        // A kind/mode pair no profile names (from an imported file) is shown as it is.
        const int other = profile_->findData(QStringLiteral("other"));
        if (other >= 0)
            profile_->removeItem(other);
        if (current)
            profile_->setCurrentIndex(profile_->findData(q(current->id)));
        else {
            profile_->addItem(
                QStringLiteral("%1 %2").arg(q(layout.bootloader.kind), q(layout.bootloader.mode)),
                QStringLiteral("other"));
            profile_->setCurrentIndex(profile_->count() - 1);
        }
    }
    settings_->setRowCount(static_cast<int>(layout.bootloader.settings.size()));
    for (int r = 0; r < settings_->rowCount(); ++r) {
        const auto& [name, value] = layout.bootloader.settings[static_cast<std::size_t>(r)];
        auto* key = new QTableWidgetItem(q(name));
        key->setFlags(key->flags() & ~Qt::ItemIsEditable);
        settings_->setItem(r, 0, key);
        settings_->setItem(r, 1, new QTableWidgetItem(q(value)));
    }
    const std::uint64_t space = applicationSpace(layout);
    space_->setText(space ? tr("%1 for image 0").arg(hexAndSize(space)) : tr("no primary slot"));
    refreshing_ = false;
}

} // namespace flashplan::gui
