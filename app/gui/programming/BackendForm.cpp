// SPDX-License-Identifier: Apache-2.0
#include "programming/BackendForm.h"

#include "desktop/AppSettings.h"
#include "desktop/UserPrompts.h"
#include "document/Text.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSettings>
#include <QToolButton>

namespace flashplan::gui {

namespace {
const QString kBackendKey = QStringLiteral("programming/backend");
} // namespace

using programmer::OptionField;
using programmer::OptionFieldInfo;
using programmer::OptionInput;

BackendForm::BackendForm(QWidget* parent)
    : QWidget(parent), backend_(new QComboBox(this)), watcher_(new programmer::DfuDeviceWatcher(this)),
      form_(new QFormLayout(this)) {
    connect(watcher_, &programmer::DfuDeviceWatcher::devicesChanged, this, &BackendForm::fillDfuDevices);
    form_->setContentsMargins(0, 0, 0, 0);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    backend_->setObjectName(QStringLiteral("backendBox"));
    // The titles are long; the panel may be narrow.
    backend_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    backend_->setMinimumContentsLength(16);
    for (const programmer::BackendKind& k : programmer::allBackends())
        backend_->addItem(q(k.title), q(k.name));
    // The backend chosen last time; else the simulator, which needs no hardware, so Flash works out of the
    // box.
    const QSettings settings(kSettingsOrganization, kSettingsApplication);
    if (!setBackend(settings.value(kBackendKey).toString()))
        setBackend(QStringLiteral("sim"));
    backend_->setToolTip(tr("How Flashplan reaches the target's flash"));
    form_->addRow(tr("Backend"), backend_);
    connect(backend_, &QComboBox::currentIndexChanged, this, [this] {
        QSettings(kSettingsOrganization, kSettingsApplication).setValue(kBackendKey, backendName());
        rebuildFields();
        emit backendChanged(backendName());
    });
    rebuildFields();
}

QString BackendForm::backendName() const {
    return backend_->currentData().toString();
}

bool BackendForm::setBackend(const QString& name) {
    const int i = backend_->findData(name);
    if (i < 0)
        return false;
    backend_->setCurrentIndex(i);
    return true;
}

programmer::BackendOptions BackendForm::options() const {
    programmer::BackendOptions o;
    for (const OptionFieldInfo& info : programmer::allOptionFields())
        if (const auto it = values_.find(info.field); it != values_.end())
            o.*info.member = it->second.trimmed().toStdString();
    return o;
}

QLineEdit* BackendForm::field(OptionField option) const {
    const auto it = fields_.find(option);
    return it == fields_.end() ? nullptr : it->second;
}

void BackendForm::setBoard(const Board& board) {
    for (const OptionFieldInfo& info : programmer::allOptionFields()) {
        const QString before = q(programmer::boardHint(info.field, board_));
        const QString after = q(programmer::boardHint(info.field, board));
        QString& value = values_[info.field];
        // A value the user typed stays, unless the new board has its own word for it.
        if (value == before || !after.isEmpty())
            value = after;
        if (QLineEdit* e = field(info.field))
            e->setText(value);
    }
    board_ = board;
}

void BackendForm::rebuildFields() {
    while (form_->rowCount() > 1)
        form_->removeRow(1);
    fields_.clear();
    dfuDevices_ = nullptr;
    for (const OptionFieldInfo* info : programmer::optionFieldsOf(backendName().toStdString())) {
        auto* edit = new QLineEdit(values_[info->field], this);
        edit->setPlaceholderText(q(info->placeholder));
        edit->setToolTip(q(info->help));
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::textChanged, this,
                [this, f = info->field](const QString& text) { values_[f] = text; });
        fields_[info->field] = edit;
        if (info->input == OptionInput::Text) {
            form_->addRow(q(info->label), edit);
            if (info->field == OptionField::Device) {
                // The devices on the bus, so a board in DFU mode is a click away.
                dfuDevices_ = new QComboBox(this);
                dfuDevices_->setObjectName(QStringLiteral("dfuDevices"));
                dfuDevices_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
                dfuDevices_->setMinimumContentsLength(16);
                dfuDevices_->setToolTip(tr("DFU devices on the bus, refreshed as they come and go"));
                connect(dfuDevices_, &QComboBox::activated, this, [this](int index) {
                    const QString selector = dfuDevices_->itemData(index).toString();
                    if (!selector.isEmpty())
                        if (QLineEdit* e = field(OptionField::Device))
                            e->setText(selector);
                });
                form_->addRow(tr("On the bus"), dfuDevices_);
            }
            continue;
        }
        auto* row = new QHBoxLayout;
        auto* browse = new QToolButton(this);
        browse->setText(QStringLiteral("…"));
        browse->setToolTip(info->input == OptionInput::Folder ? tr("Choose a folder") : tr("Choose a file"));
        connect(browse, &QToolButton::clicked, this, [this, info] { pick(*info); });
        row->addWidget(edit, 1);
        row->addWidget(browse);
        form_->addRow(q(info->label), row);
    }
    if (dfuDevices_) {
        watcher_->start();
        fillDfuDevices();
    } else {
        watcher_->stop();
    }
}

void BackendForm::fillDfuDevices() {
    if (!dfuDevices_)
        return;
    dfuDevices_->clear();
    const auto& devices = watcher_->devices();
    if (!watcher_->error().isEmpty())
        dfuDevices_->addItem(tr("USB unavailable: %1").arg(watcher_->error()));
    else if (devices.isEmpty())
        dfuDevices_->addItem(tr("no DFU device found (watching)"));
    for (const programmer::DfuDeviceEntry& d : devices)
        dfuDevices_->addItem(d.description, d.selector);
}

void BackendForm::pick(const OptionFieldInfo& info) {
    if (!prompts_)
        return;
    const QString caption = q(info.label);
    QString path;
    if (info.input == OptionInput::Folder && prompts_->openFolder)
        path = prompts_->openFolder(this, caption);
    else if (info.input == OptionInput::File && prompts_->openPath)
        path = prompts_->openPath(this, caption, tr("All files (*)"));
    if (!path.isEmpty())
        if (QLineEdit* e = field(info.field))
            e->setText(path);
}

} // namespace flashplan::gui
