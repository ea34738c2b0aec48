// SPDX-License-Identifier: Apache-2.0
#include "dialogs/NewLayoutDialog.h"

#include "design/AutoLayout.h"
#include "document/Text.h"
#include "model/BootloaderProfile.h"
#include "util/Numbers.h"
#include "views/flashmap/AddressInfo.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace flashplan::gui {

namespace {

const Board* findBoard(const DeviceDatabase& db, const QComboBox* box) {
    return db.find(box->currentData().toString().toStdString());
}

} // namespace

NewLayoutDialog::NewLayoutDialog(const DeviceDatabase& db, QWidget* parent)
    : QDialog(parent), db_(db), board_(new QComboBox(this)), boardInfo_(new QLabel(this)),
      profile_(new QComboBox(this)), bootloaderSize_(new QLineEdit(this)), storageSize_(new QLineEdit(this)),
      external_(new QCheckBox(tr("Secondary slot on external flash"), this)), error_(new QLabel(this)) {
    setWindowTitle(tr("New layout from a board"));
    auto* form = new QFormLayout(this);
    form->addRow(tr("Board"), board_);
    form->addRow(QString(), boardInfo_);
    form->addRow(tr("Bootloader"), profile_);
    form->addRow(tr("Bootloader size"), bootloaderSize_);
    form->addRow(tr("Storage size"), storageSize_);
    form->addRow(QString(), external_);
    form->addRow(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);

    for (const Board& b : db.boards())
        board_->addItem(QStringLiteral("%1 (%2)").arg(q(b.name), q(b.id)), q(b.id));
    for (const ProfileInfo& p : allProfiles())
        profile_->addItem(q(p.title), q(p.id));
    profile_->setCurrentIndex(profile_->findData(QStringLiteral("mcuboot-swap-scratch")));
    bootloaderSize_->setPlaceholderText(tr("the profile's usual size (64 KiB)"));
    storageSize_->setPlaceholderText(tr("none (e.g. 32K)"));
    boardInfo_->setWordWrap(true);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #d03030"));

    connect(board_, &QComboBox::currentIndexChanged, this, &NewLayoutDialog::boardChanged);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewLayoutDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewLayoutDialog::reject);
    boardChanged();
}

void NewLayoutDialog::boardChanged() {
    const Board* b = findBoard(db_, board_);
    QStringList lines;
    bool hasExternal = false;
    if (b)
        for (const FlashDevice& d : b->devices) {
            lines << QStringLiteral("%1: %2").arg(q(d.id), describeDevice(d));
            hasExternal |= isExternal(d.kind);
        }
    boardInfo_->setText(lines.join('\n'));
    external_->setEnabled(hasExternal);
    if (!hasExternal)
        external_->setChecked(false);
}

Result<Layout> NewLayoutDialog::design() const {
    const Board* b = findBoard(db_, board_);
    if (!b)
        return makeError(Errc::NotFound, "choose a board");
    LayoutWishes wishes;
    wishes.profile = profile_->currentData().toString().toStdString();
    const auto size = [](const QLineEdit* edit, const char* what) -> Result<std::uint64_t> {
        if (edit->text().trimmed().isEmpty())
            return std::uint64_t{0};
        auto n = parseNumber(edit->text().toStdString());
        if (!n)
            return makeError(Errc::Parse, std::string(what) + ": " + n.error().message);
        return n;
    };
    auto boot = size(bootloaderSize_, "bootloader size");
    if (!boot)
        return boot.error();
    auto storage = size(storageSize_, "storage size");
    if (!storage)
        return storage.error();
    wishes.bootloaderSize = *boot;
    wishes.storageSize = *storage;
    wishes.secondaryOnExternal = external_->isChecked();
    return designLayout(*b, wishes);
}

void NewLayoutDialog::accept() {
    auto designed = design();
    if (!designed) {
        error_->setText(q(designed.error().message));
        return;
    }
    layout_ = std::move(*designed);
    QDialog::accept();
}

} // namespace flashplan::gui
