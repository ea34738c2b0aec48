// SPDX-License-Identifier: Apache-2.0
#include "document/LayoutDocument.h"

#include "rules/RulePack.h"

#include <algorithm>
#include <filesystem>

namespace flashplan::gui {

LayoutDocument::LayoutDocument(QObject* parent) : QObject(parent) {
    connect(&undoStack_, &QUndoStack::cleanChanged, this, &LayoutDocument::identityChanged);
}

LayoutDocument::~LayoutDocument() {
    // The undo stack says "clean changed" as it goes; nobody is to hear it from a document half gone.
    blockSignals(true);
}

void LayoutDocument::reset(Layout layout, QString filePath, QString displayName,
                           std::vector<Diagnostic> importNotes) {
    // Clear first: the old commands refer to partitions of the old layout by index.
    undoStack_.clear();
    layout_ = std::move(layout);
    importNotes_ = std::move(importNotes);
    filePath_ = std::move(filePath);
    displayName_ = std::move(displayName);
    selection_.clear();
    diagnostics_ = findings(layout_, importNotes_);
    undoStack_.setClean();
    clearInspection();
    emit layoutReset();
    emit diagnosticsChanged();
    emit selectionChanged();
    emit identityChanged();
}

void LayoutDocument::markSaved(const QString& filePath) {
    filePath_ = filePath;
    displayName_ = QString::fromStdString(std::filesystem::path(filePath.toStdString()).filename().string());
    undoStack_.setClean();
    emit identityChanged();
}

void LayoutDocument::setSelection(std::vector<std::size_t> indices) {
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::erase_if(indices, [&](std::size_t i) { return i >= layout_.partitions.size(); });
    if (indices == selection_)
        return;
    selection_ = std::move(indices);
    emit selectionChanged();
}

bool LayoutDocument::isSelected(std::size_t index) const {
    return std::binary_search(selection_.begin(), selection_.end(), index);
}

LayoutSettings LayoutDocument::settings() const {
    return {layout_.name, layout_.description, layout_.bootloader};
}

namespace {

/// What an inspection's findings depend on: the board, the bootloader and where each partition is.
Layout placesOf(const Layout& layout) {
    Layout places;
    places.board = layout.board;
    places.bootloader = layout.bootloader;
    places.partitions = layout.partitions;
    for (Partition& p : places.partitions)
        p.image.clear();
    return places;
}

} // namespace

void LayoutDocument::setInspection(Inspection inspection, const Layout& inspectedWith) {
    inspection_ = std::move(inspection);
    inspected_ = placesOf(inspectedWith);
    emit inspectionChanged();
    dropStaleInspection();
}

void LayoutDocument::clearInspection() {
    if (!inspection_)
        return;
    inspection_.reset();
    inspected_ = {};
    emit inspectionChanged();
}

void LayoutDocument::dropStaleInspection() {
    if (inspection_ && !(placesOf(layout_) == inspected_))
        clearInspection();
}

void LayoutDocument::setPartition(std::size_t index, const Partition& partition) {
    if (index >= layout_.partitions.size())
        return;
    layout_.partitions[index] = partition;
    emit partitionsChanged();
    revalidate();
}

void LayoutDocument::insertPartition(std::size_t index, const Partition& partition) {
    index = std::min(index, layout_.partitions.size());
    layout_.partitions.insert(layout_.partitions.begin() + static_cast<std::ptrdiff_t>(index), partition);
    // Indexes at and after the insertion point now name other partitions.
    bool selectionMoved = false;
    for (std::size_t& s : selection_)
        if (s >= index) {
            ++s;
            selectionMoved = true;
        }
    emit partitionsChanged();
    if (selectionMoved)
        emit selectionChanged();
    revalidate();
}

void LayoutDocument::removePartition(std::size_t index) {
    if (index >= layout_.partitions.size())
        return;
    layout_.partitions.erase(layout_.partitions.begin() + static_cast<std::ptrdiff_t>(index));
    std::vector<std::size_t> kept;
    for (std::size_t s : selection_)
        if (s != index)
            kept.push_back(s > index ? s - 1 : s);
    const bool selectionMoved = kept != selection_;
    selection_ = std::move(kept);
    emit partitionsChanged();
    if (selectionMoved)
        emit selectionChanged();
    revalidate();
}

void LayoutDocument::setSettings(const LayoutSettings& settings) {
    layout_.name = settings.name;
    layout_.description = settings.description;
    layout_.bootloader = settings.bootloader;
    emit settingsChanged();
    revalidate();
}

void LayoutDocument::revalidate() {
    diagnostics_ = findings(layout_, importNotes_);
    emit diagnosticsChanged();
    dropStaleInspection();
}

} // namespace flashplan::gui
