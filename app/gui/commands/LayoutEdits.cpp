// SPDX-License-Identifier: Apache-2.0
#include "commands/LayoutEdits.h"

#include "commands/AddPartitionCommand.h"
#include "commands/CommandIds.h"
#include "commands/EditPartitionsCommand.h"
#include "commands/LayoutSettingsCommand.h"
#include "commands/RemovePartitionsCommand.h"
#include "document/LayoutDocument.h"
#include "document/Text.h"
#include "model/BootloaderProfile.h"
#include "rules/AutoFix.h"
#include "util/Numbers.h"

#include <algorithm>

namespace flashplan::gui::edits {

namespace {

void pushChanges(LayoutDocument& document, std::vector<PartitionChange> changes, const QString& text,
                 int mergeId = -1) {
    std::erase_if(changes, [](const PartitionChange& c) { return c.before == c.after; });
    if (changes.empty())
        return;
    document.undoStack()->push(new EditPartitionsCommand(&document, std::move(changes), text, mergeId));
}

void pushPartition(LayoutDocument& document, std::size_t index, const Partition& after, const QString& text,
                   int mergeId = -1) {
    pushChanges(document, {{index, document.layout().partitions[index], after}}, text, mergeId);
}

void pushSettings(LayoutDocument& document, const LayoutSettings& after, const QString& text) {
    if (after == document.settings())
        return;
    document.undoStack()->push(new LayoutSettingsCommand(&document, after, text));
}

Error refuse(const std::string& message) {
    return makeError(Errc::InvalidArgument, message);
}

Result<std::uint64_t> number(const std::string& text, const char* what) {
    auto n = parseNumber(text);
    if (!n)
        return refuse(std::string(what) + ": " + n.error().message);
    return n;
}

Result<bool> boolean(const std::string& text) {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes" || t == "1" || t == "on")
        return true;
    if (t == "false" || t == "no" || t == "0" || t == "off")
        return false;
    return refuse("read-only: '" + text + "' is not yes or no");
}

} // namespace

QString moveText(const Partition& before, const Partition& after) {
    if (before.device != after.device)
        return QStringLiteral("Move %1 to %2 at %3")
            .arg(q(after.label), q(after.device), q(formatHex(after.offset)));
    return QStringLiteral("Move %1 to %2").arg(q(after.label), q(formatHex(after.offset)));
}

QString resizeText(const Partition& after) {
    return QStringLiteral("Resize %1 to %2").arg(q(after.label), q(formatSize(after.size)));
}

void movePartition(LayoutDocument& document, std::size_t index, const std::string& device,
                   std::uint64_t offset, int mergeId) {
    if (index >= document.layout().partitions.size())
        return;
    const Partition& before = document.layout().partitions[index];
    Partition after = before;
    after.device = device;
    after.offset = offset;
    pushPartition(document, index, after, moveText(before, after), mergeId);
}

void resizePartition(LayoutDocument& document, std::size_t index, std::uint64_t offset, std::uint64_t size) {
    if (index >= document.layout().partitions.size())
        return;
    Partition after = document.layout().partitions[index];
    after.offset = offset;
    after.size = size;
    pushPartition(document, index, after, resizeText(after));
}

void nudgePartitions(LayoutDocument& document, const std::vector<std::size_t>& indices, int steps) {
    const Layout& layout = document.layout();
    std::vector<PartitionChange> changes;
    for (std::size_t i : indices) {
        if (i >= layout.partitions.size())
            continue;
        const Partition& p = layout.partitions[i];
        const FlashDevice* device = layout.deviceOf(p);
        if (!device)
            continue;
        const SectorMap& map = device->sectors;
        std::uint64_t offset = p.offset;
        for (int s = 0; s < std::abs(steps); ++s)
            offset = steps < 0 ? (offset == 0 ? 0 : map.boundaryAtOrBelow(offset - 1))
                               : map.boundaryAtOrAbove(offset + 1);
        if (!rangeWithin(offset, p.size, device->size()))
            continue;
        Partition after = p;
        after.offset = offset;
        changes.push_back({i, p, after});
    }
    if (changes.empty())
        return;
    const QString text = changes.size() == 1 ? moveText(changes[0].before, changes[0].after)
                                             : QStringLiteral("Move %1 partitions").arg(changes.size());
    pushChanges(document, std::move(changes), text, kNudgeCommandId);
}

std::string uniqueLabel(const Layout& layout, std::string_view base) {
    std::string label(base);
    for (int n = 2; layout.indexOf(label) >= 0; ++n)
        label = std::string(base) + "_" + std::to_string(n);
    return label;
}

void createPartition(LayoutDocument& document, const std::string& device, std::uint64_t offset,
                     std::uint64_t size) {
    Partition p;
    p.label = uniqueLabel(document.layout(), "new_partition");
    p.device = device;
    p.offset = offset;
    p.size = size;
    p.role = PartitionRole::Custom;
    const QString text =
        QStringLiteral("Create %1 (%2 at %3)").arg(q(p.label), q(formatSize(size)), q(formatHex(offset)));
    document.undoStack()->push(new AddPartitionCommand(&document, std::move(p), text));
}

void deletePartitions(LayoutDocument& document, const std::vector<std::size_t>& indices) {
    std::vector<std::size_t> valid;
    for (std::size_t i : indices)
        if (i < document.layout().partitions.size())
            valid.push_back(i);
    if (valid.empty())
        return;
    const QString text =
        valid.size() == 1 ? QStringLiteral("Delete %1").arg(q(document.layout().partitions[valid[0]].label))
                          : QStringLiteral("Delete %1 partitions").arg(valid.size());
    document.undoStack()->push(new RemovePartitionsCommand(&document, std::move(valid), text));
}

Result<void> editPartitionField(LayoutDocument& document, std::size_t index, PartitionField field,
                                const std::string& text) {
    const Layout& layout = document.layout();
    if (index >= layout.partitions.size())
        return makeError(Errc::NotFound, "no partition " + std::to_string(index));
    const Partition& before = layout.partitions[index];
    Partition after = before;
    switch (field) {
    case PartitionField::Label: {
        if (!isValidLabel(text))
            return refuse("label: '" + text +
                          "' is not a C identifier (letters, digits and _, not starting "
                          "with a digit)");
        const int other = layout.indexOf(text);
        if (other >= 0 && static_cast<std::size_t>(other) != index)
            return refuse("label: '" + text + "' is already used by partition " + std::to_string(other));
        if (text == before.label)
            return {};
        // Children name their parent by label: they follow the rename in the same step.
        std::vector<PartitionChange> changes;
        after.label = text;
        changes.push_back({index, before, after});
        for (std::size_t i = 0; i < layout.partitions.size(); ++i)
            if (layout.partitions[i].parent == before.label) {
                Partition child = layout.partitions[i];
                child.parent = text;
                changes.push_back({i, layout.partitions[i], child});
            }
        pushChanges(document, std::move(changes),
                    QStringLiteral("Rename %1 to %2").arg(q(before.label), q(text)));
        return {};
    }
    case PartitionField::Device: {
        if (!layout.board.device(text))
            return refuse("device: the board has no flash device '" + text + "'");
        after.device = text;
        pushPartition(document, index, after, moveText(before, after));
        return {};
    }
    case PartitionField::Offset: {
        auto n = number(text, "offset");
        if (!n)
            return n.error();
        if (addOverflows(*n, before.size))
            return refuse("offset: " + text + " + the size does not fit in 64 bits");
        after.offset = *n;
        pushPartition(document, index, after, moveText(before, after));
        return {};
    }
    case PartitionField::Size: {
        auto n = number(text, "size");
        if (!n)
            return n.error();
        if (*n == 0)
            return refuse("size: a partition needs at least one byte");
        if (addOverflows(before.offset, *n))
            return refuse("size: the offset + " + text + " does not fit in 64 bits");
        after.size = *n;
        pushPartition(document, index, after, resizeText(after));
        return {};
    }
    case PartitionField::End: {
        auto n = number(text, "end");
        if (!n)
            return n.error();
        if (*n <= before.offset)
            return refuse("end: " + text + " is not after the start " + formatHex(before.offset));
        after.size = *n - before.offset;
        pushPartition(document, index, after, resizeText(after));
        return {};
    }
    case PartitionField::Role: {
        const auto role = partitionRoleFromString(text);
        if (!role)
            return refuse("role: '" + text +
                          "' is not a role (boot, slot0, slot1, scratch, swap, storage, "
                          "reserved, custom)");
        after.role = *role;
        pushPartition(document, index, after,
                      QStringLiteral("Set role of %1 to %2").arg(q(before.label), q(text)));
        return {};
    }
    case PartitionField::ReadOnly: {
        auto b = boolean(text);
        if (!b)
            return b.error();
        after.readOnly = *b;
        pushPartition(document, index, after,
                      (*b ? QStringLiteral("Make %1 read-only") : QStringLiteral("Make %1 writable"))
                          .arg(q(before.label)));
        return {};
    }
    case PartitionField::ImageIndex: {
        auto n = number(text, "image index");
        if (!n)
            return n.error();
        if (*n > 255)
            return refuse("image index: " + text + " is more than 255");
        after.imageIndex = static_cast<int>(*n);
        pushPartition(document, index, after,
                      QStringLiteral("Set image number of %1 to %2").arg(q(before.label)).arg(*n));
        return {};
    }
    case PartitionField::Image:
        after.image = text;
        pushPartition(document, index, after,
                      text.empty() ? QStringLiteral("Clear the image of %1").arg(q(before.label))
                                   : QStringLiteral("Assign %1 to %2").arg(q(text), q(before.label)));
        return {};
    }
    return {};
}

bool applyDiagnosticFix(LayoutDocument& document, const Diagnostic& diagnostic) {
    if (!diagnostic.fix)
        return false;
    const Layout& layout = document.layout();
    const Layout fixed = applyFix(layout, *diagnostic.fix);
    std::vector<PartitionChange> changes;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i)
        if (layout.partitions[i] != fixed.partitions[i])
            changes.push_back({i, layout.partitions[i], fixed.partitions[i]});
    if (changes.empty())
        return false;
    pushChanges(document, std::move(changes), QStringLiteral("Fix: %1").arg(q(diagnostic.fix->description)));
    return true;
}

std::size_t applyAllFixes(LayoutDocument& document) {
    const Layout& layout = document.layout();
    const FixReport report = applyFixes(layout);
    if (report.applied.empty() || report.layout.partitions.size() != layout.partitions.size())
        return 0;
    std::vector<PartitionChange> changes;
    for (std::size_t i = 0; i < layout.partitions.size(); ++i)
        if (layout.partitions[i] != report.layout.partitions[i])
            changes.push_back({i, layout.partitions[i], report.layout.partitions[i]});
    const std::size_t n = report.applied.size();
    pushChanges(document, std::move(changes),
                n == 1 ? QStringLiteral("Fix: %1").arg(q(report.applied.front().fix->description))
                       : QStringLiteral("Apply %1 fixes").arg(n));
    return n;
}

Result<void> setProfile(LayoutDocument& document, std::string_view profileId) {
    const ProfileInfo* profile = findProfile(profileId);
    if (!profile)
        return refuse("bootloader: '" + std::string(profileId) + "' is not a profile");
    LayoutSettings after = document.settings();
    applyProfile(after.bootloader, *profile);
    pushSettings(document, after,
                 QStringLiteral("Set bootloader to %1")
                     .arg(QString::fromUtf8(profile->title.data(), qsizetype(profile->title.size()))));
    return {};
}

Result<void> setBootloaderSetting(LayoutDocument& document, const std::string& name,
                                  const std::string& value) {
    if (!isValidLabel(name))
        return refuse("setting: '" + name +
                      "' is not a setting name (a C identifier such as "
                      "BOOT_MAX_IMG_SECTORS)");
    LayoutSettings after = document.settings();
    setProperty(after.bootloader.settings, name, value);
    pushSettings(document, after, QStringLiteral("Set %1 to %2").arg(q(name), q(value)));
    return {};
}

void removeBootloaderSetting(LayoutDocument& document, const std::string& name) {
    LayoutSettings after = document.settings();
    std::erase_if(after.bootloader.settings, [&](const auto& kv) { return kv.first == name; });
    pushSettings(document, after, QStringLiteral("Remove setting %1").arg(q(name)));
}

void setLayoutName(LayoutDocument& document, const std::string& name) {
    LayoutSettings after = document.settings();
    after.name = name;
    pushSettings(document, after, QStringLiteral("Rename the layout to %1").arg(q(name)));
}

void setLayoutDescription(LayoutDocument& document, const std::string& description) {
    LayoutSettings after = document.settings();
    after.description = description;
    pushSettings(document, after, QStringLiteral("Edit the layout description"));
}

} // namespace flashplan::gui::edits
