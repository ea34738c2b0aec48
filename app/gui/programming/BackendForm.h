// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "BackendRegistry.h"
#include "DeviceLister.h"
#include "model/Board.h"

#include <QString>
#include <QWidget>

#include <map>
#include <memory>
#include <string_view>

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace flashplan::gui {

struct UserPrompts;

/// Which backend to program with, and its options: a choice of every backend of the registry and, below
/// it, the form its declaration (programmer/BackendKind.h) describes: a field per option (files and
/// folders with a picker), and, for a backend that lists devices, a chooser of the devices it sees that
/// fills in the option they are for. Nothing here names a backend, so a backend added to the registry
/// appears with its options. The choice is remembered (QSettings "programming/backend"); the simulator is
/// the default. Fields the board's programmer hints answer (OpenOCD configs, the DFU device) are filled
/// in from the board, until the user types something else. Values typed for one backend stay while
/// another is chosen.
class BackendForm : public QWidget {
    Q_OBJECT
public:
    explicit BackendForm(QWidget* parent = nullptr);
    ~BackendForm() override;

    QComboBox* backendBox() const { return backend_; }
    /// The registry name of the chosen backend ("sim", "openocd"...).
    QString backendName() const;
    /// Chooses a backend by registry name; false when there is none of that name.
    bool setBackend(const QString& name);
    /// The option values as typed, for the chosen backend.
    programmer::BackendOptions options() const;
    /// The field of an option of the chosen backend, by its key; nullptr when it has no such option.
    QLineEdit* field(std::string_view key) const;

    /// The chooser of the devices the chosen backend sees; nullptr unless it lists devices.
    QComboBox* deviceBox() const { return devices_; }
    /// The device lister of a backend, once it was chosen; nullptr before, or when it lists no devices.
    /// It watches only while its backend is chosen.
    programmer::DeviceLister* deviceLister(const QString& backend) const;

    /// Refills the fields the board's hints answer, keeping what the user typed over the old hints.
    void setBoard(const Board& board);
    /// Where the pickers ask for files and folders (the window's prompts); may stay unset.
    void setPrompts(const UserPrompts* prompts) { prompts_ = prompts; }

signals:
    void backendChanged(const QString& name);

private:
    const programmer::BackendKind* kind() const;
    void rebuildFields();
    void addDeviceChooser(const programmer::BackendKind& kind);
    void fillDevices();
    void pick(const programmer::OptionSpec& option);
    /// Where an option's value is kept: "<backend>/<key>".
    static QString valueKey(const programmer::BackendKind& kind, const programmer::OptionSpec& option);

    QComboBox* backend_;
    QComboBox* devices_ = nullptr;
    QFormLayout* form_;
    std::map<QString, QString> values_;
    std::map<std::string, QLineEdit*, std::less<>> fields_;
    std::map<QString, std::unique_ptr<programmer::DeviceLister>> listers_;
    Board board_;
    const UserPrompts* prompts_ = nullptr;
};

} // namespace flashplan::gui
