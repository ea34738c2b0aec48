// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendRegistry.h"
#include "DfuDeviceWatcher.h"
#include "OptionFields.h"
#include "model/Board.h"

#include <QString>
#include <QWidget>

#include <map>

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace flashplan::gui {

struct UserPrompts;

/// Which backend to program with, and its options: a choice of every backend of the registry and, below
/// it, a field for each option the chosen one reads (OptionFields.h), files and folders with a picker.
/// Nothing here names a backend, so a backend added to the registry appears with its options. The choice
/// is remembered (QSettings "programming/backend"); the simulator is the default. Fields the
/// board's programmer hints answer (OpenOCD configs, the DFU device) are filled in from the board, until
/// the user types something else.
class BackendForm : public QWidget {
    Q_OBJECT
public:
    explicit BackendForm(QWidget* parent = nullptr);

    QComboBox* backendBox() const { return backend_; }
    /// The registry name of the chosen backend ("sim", "openocd"...).
    QString backendName() const;
    /// Chooses a backend by registry name; false when there is none of that name.
    bool setBackend(const QString& name);
    /// The options as typed, for the chosen backend.
    programmer::BackendOptions options() const;
    /// The field of an option; nullptr when the chosen backend does not read it.
    QLineEdit* field(programmer::OptionField option) const;

    /// DFU: the devices on the bus (refreshed on hotplug); choosing one fills the Device field. nullptr
    /// unless the chosen backend reads a device.
    QComboBox* dfuDeviceBox() const { return dfuDevices_; }
    programmer::DfuDeviceWatcher* dfuWatcher() const { return watcher_; }

    /// Refills the fields the board's hints answer, keeping what the user typed over the old hints.
    void setBoard(const Board& board);
    /// Where the pickers ask for files and folders (the window's prompts); may stay unset.
    void setPrompts(const UserPrompts* prompts) { prompts_ = prompts; }

signals:
    void backendChanged(const QString& name);

private:
    void rebuildFields();
    void fillDfuDevices();
    void pick(const programmer::OptionFieldInfo& info);

    QComboBox* backend_;
    QComboBox* dfuDevices_ = nullptr;
    programmer::DfuDeviceWatcher* watcher_;
    QFormLayout* form_;
    std::map<programmer::OptionField, QString> values_;
    std::map<programmer::OptionField, QLineEdit*> fields_;
    Board board_;
    const UserPrompts* prompts_ = nullptr;
};

} // namespace flashplan::gui
