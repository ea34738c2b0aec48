// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Diagnostic.h"
#include "model/Layout.h"
#include "util/Result.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::gui {

class LayoutDocument;

/// Every edit the editor makes, as one undo command each with a readable name. The map, the table, the
/// properties and the diagnostics panels all come through here, so an edit reads and undoes the same
/// whichever way it was made. An edit that changes nothing pushes nothing.
namespace edits {

/// "Move slot1_partition to 0x80000", or "... to mx25r64 at 0x0" when the device changes.
QString moveText(const Partition& before, const Partition& after);
/// "Resize scratch_partition to 128 KiB".
QString resizeText(const Partition& after);

/// Places a partition at `offset` of `device`, keeping its size. `mergeId` as EditPartitionsCommand.
void movePartition(LayoutDocument& document, std::size_t index, const std::string& device,
                   std::uint64_t offset, int mergeId = -1);
/// Gives a partition a new start and size on its device.
void resizePartition(LayoutDocument& document, std::size_t index, std::uint64_t offset, std::uint64_t size);
/// Moves each partition by one sector of its device, towards lower (`steps` < 0) or higher addresses,
/// to the next sector boundary; consecutive nudges of the same partitions are one undo step. Does
/// nothing for a partition that would leave its device.
void nudgePartitions(LayoutDocument& document, const std::vector<std::size_t>& indices, int steps);

/// A label not used yet in the layout: `base`, else base_2, base_3...
std::string uniqueLabel(const Layout& layout, std::string_view base);
/// Adds a custom partition with a new unique label and selects it.
void createPartition(LayoutDocument& document, const std::string& device, std::uint64_t offset,
                     std::uint64_t size);
void deletePartitions(LayoutDocument& document, const std::vector<std::size_t>& indices);

/// The fields of a partition that can be typed in (table and properties panel).
enum class PartitionField { Label, Device, Offset, Size, End, Role, ReadOnly, ImageIndex, Image };

/// Sets one field from text. Numbers take parseNumber's syntax ("0x1000", "4096", "16K"). Bad input is
/// refused with an error saying why (Errc::Parse or Errc::InvalidArgument) and changes nothing:
/// a label that is not a C identifier or is already used, a device the board does not have, a zero
/// size, an end at or before the start. Renaming a partition renames its children's parent too.
Result<void> editPartitionField(LayoutDocument& document, std::size_t index, PartitionField field,
                                const std::string& text);

/// Applies a diagnostic's fix as one command ("Fix: Place at 0x40000 ..."); false when it has none or
/// it changes nothing.
bool applyDiagnosticFix(LayoutDocument& document, const Diagnostic& diagnostic);
/// Applies every obvious repair (core applyFixes) as one command; returns how many fixes it applied.
std::size_t applyAllFixes(LayoutDocument& document);

/// Sets the bootloader kind and mode from a profile id (model/BootloaderProfile.h), keeping the settings.
Result<void> setProfile(LayoutDocument& document, std::string_view profileId);
/// Adds or changes a bootloader setting (BOOT_MAX_IMG_SECTORS=256); the name must be a C identifier.
Result<void> setBootloaderSetting(LayoutDocument& document, const std::string& name,
                                  const std::string& value);
void removeBootloaderSetting(LayoutDocument& document, const std::string& name);
void setLayoutName(LayoutDocument& document, const std::string& name);
void setLayoutDescription(LayoutDocument& document, const std::string& description);

} // namespace edits
} // namespace flashplan::gui
