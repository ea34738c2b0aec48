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

using programmer::BackendKind;
using programmer::OptionInput;
using programmer::OptionSpec;

BackendForm::BackendForm(QWidget* parent)
    : QWidget(parent), backend_(new QComboBox(this)), form_(new QFormLayout(this)) {
    form_->setContentsMargins(0, 0, 0, 0);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    backend_->setObjectName(QStringLiteral("backendBox"));
    // The titles are long; the panel may be narrow.
    backend_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    backend_->setMinimumContentsLength(16);
    for (const BackendKind& k : programmer::allBackends())
        backend_->addItem(q(k.title), q(k.name));
    // The backend chosen last time; else the simulator, which needs no hardware, so Flash works out of the
    // box.
    const QSettings settings(kSettingsOrganization, kSettingsApplication);
    if (!setBackend(settings.value(kBackendKey).toString()))
        setBackend(q(programmer::kDefaultBackend));
    backend_->setToolTip(tr("How Flashplan reaches the target's flash"));
    form_->addRow(tr("Backend"), backend_);
    connect(backend_, &QComboBox::currentIndexChanged, this, [this] {
        QSettings(kSettingsOrganization, kSettingsApplication).setValue(kBackendKey, backendName());
        rebuildFields();
        emit backendChanged(backendName());
    });
    rebuildFields();
}

BackendForm::~BackendForm() = default;

QString BackendForm::backendName() const {
    return backend_->currentData().toString();
}

const BackendKind* BackendForm::kind() const {
    return programmer::findBackend(backendName().toStdString());
}

bool BackendForm::setBackend(const QString& name) {
    const int i = backend_->findData(name);
    if (i < 0)
        return false;
    backend_->setCurrentIndex(i);
    return true;
}

QString BackendForm::valueKey(const BackendKind& kind, const OptionSpec& option) {
    return q(kind.name) + QLatin1Char('/') + q(option.key);
}

programmer::BackendOptions BackendForm::options() const {
    programmer::BackendOptions o;
    if (const BackendKind* k = kind())
        for (const OptionSpec& option : k->options)
            if (const auto it = values_.find(valueKey(*k, option)); it != values_.end())
                o.set(option.key, it->second.trimmed().toStdString());
    return o;
}

QLineEdit* BackendForm::field(std::string_view key) const {
    const auto it = fields_.find(key);
    return it == fields_.end() ? nullptr : it->second;
}

programmer::DeviceLister* BackendForm::deviceLister(const QString& backend) const {
    const auto it = listers_.find(backend);
    return it == listers_.end() ? nullptr : it->second.get();
}

void BackendForm::setBoard(const Board& board) {
    for (const BackendKind& k : programmer::allBackends())
        for (const OptionSpec& option : k.options) {
            const QString before = q(programmer::boardDefault(option, board_));
            const QString after = q(programmer::boardDefault(option, board));
            QString& value = values_[valueKey(k, option)];
            // A value the user typed stays, unless the new board has its own word for it.
            if (value == before || !after.isEmpty())
                value = after;
        }
    board_ = board;
    if (const BackendKind* k = kind())
        for (const OptionSpec& option : k->options)
            if (QLineEdit* e = field(option.key))
                e->setText(values_[valueKey(*k, option)]);
}

void BackendForm::rebuildFields() {
    while (form_->rowCount() > 1)
        form_->removeRow(1);
    fields_.clear();
    devices_ = nullptr;
    for (auto& [name, lister] : listers_)
        lister->stop();
    const BackendKind* k = kind();
    if (!k)
        return;
    for (const OptionSpec& option : k->options) {
        auto* edit = new QLineEdit(values_[valueKey(*k, option)], this);
        edit->setPlaceholderText(q(option.placeholder));
        edit->setToolTip(q(option.help));
        edit->setClearButtonEnabled(true);
        connect(edit, &QLineEdit::textChanged, this,
                [this, key = valueKey(*k, option)](const QString& text) { values_[key] = text; });
        fields_[std::string(option.key)] = edit;
        if (option.input == OptionInput::Text) {
            form_->addRow(q(option.label), edit);
        } else {
            auto* row = new QHBoxLayout;
            auto* browse = new QToolButton(this);
            browse->setText(QStringLiteral("…"));
            browse->setToolTip(option.input == OptionInput::Folder ? tr("Choose a folder")
                                                                   : tr("Choose a file"));
            connect(browse, &QToolButton::clicked, this, [this, &option] { pick(option); });
            row->addWidget(edit, 1);
            row->addWidget(browse);
            form_->addRow(q(option.label), row);
        }
        // The devices the backend sees, right below the option they fill, so a board is a click away.
        if (k->devices && k->devices->option == option.key)
            addDeviceChooser(*k);
    }
}

void BackendForm::addDeviceChooser(const BackendKind& k) {
    const programmer::DeviceListing& listing = *k.devices;
    devices_ = new QComboBox(this);
    devices_->setObjectName(QStringLiteral("deviceBox"));
    devices_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    devices_->setMinimumContentsLength(16);
    devices_->setToolTip(q(listing.help));
    connect(devices_, &QComboBox::activated, this, [this, key = std::string(listing.option)](int index) {
        const QString selector = devices_->itemData(index).toString();
        if (!selector.isEmpty())
            if (QLineEdit* e = field(key))
                e->setText(selector);
    });
    form_->addRow(q(listing.label), devices_);
    auto& lister = listers_[q(k.name)];
    if (!lister) {
        lister = listing.makeLister();
        connect(lister.get(), &programmer::DeviceLister::devicesChanged, this, &BackendForm::fillDevices);
    }
    lister->start();
    fillDevices();
}

void BackendForm::fillDevices() {
    const BackendKind* k = kind();
    programmer::DeviceLister* lister = deviceLister(backendName());
    if (!devices_ || !k || !k->devices || !lister)
        return;
    devices_->clear();
    if (!lister->error().isEmpty())
        devices_->addItem(tr("cannot list the devices: %1").arg(lister->error()));
    else if (lister->devices().isEmpty())
        devices_->addItem(q(k->devices->none));
    for (const programmer::DeviceEntry& d : lister->devices())
        devices_->addItem(d.description, d.selector);
}

void BackendForm::pick(const OptionSpec& option) {
    if (!prompts_)
        return;
    const QString caption = q(option.label);
    QString path;
    if (option.input == OptionInput::Folder && prompts_->openFolder)
        path = prompts_->openFolder(this, caption);
    else if (option.input == OptionInput::File && prompts_->openPath)
        path = prompts_->openPath(this, caption, tr("All files (*)"));
    if (!path.isEmpty())
        if (QLineEdit* e = field(option.key))
            e->setText(path);
}

} // namespace flashplan::gui
