// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/ImageFormat.h"
#include "image/ImageHeader.h"
#include "model/Layout.h"
#include "program/Preflight.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>

namespace flashplan::gui {

/// An image file as read: its bytes and addresses, and the bootloader header at its start.
struct ImageFile {
    LoadedImage loaded;
    ImageHeader header;
};

/// Reads image files for the programming panel and keeps each reading while the file stays the same
/// (size and modification time), so the facts can follow every edit of the layout without reading the
/// file again, and a rebuilt image is read afresh.
class ImageFiles {
public:
    /// The file at `path`, read only if no larger than an image `limit` allows (imageFileLimit()); errors
    /// (unreadable, too large, malformed) name the file and the reason.
    Result<std::shared_ptr<const ImageFile>> read(const QString& path, const ImageSizeLimit& limit);

private:
    struct Entry {
        qint64 size = 0;
        QDateTime modified;
        std::shared_ptr<const ImageFile> file;
    };
    std::map<QString, Entry> entries_;
};

/// What the user chose for a slot's MCUboot trailer on its row.
enum class TrailerChoice {
    Default,   ///< erased, or the request an image padded by imgtool carries
    Test,      ///< request a test upgrade (secondary slot)
    Permanent, ///< request a permanent upgrade (secondary slot)
    Confirm,   ///< confirm the image (primary slot)
    Keep,      ///< leave the trailer as it is
};

/// The choices a slot's row offers: none for a partition that is no MCUboot slot.
std::vector<TrailerChoice> trailerChoices(const Layout& layout, std::size_t partition);
QString to_text(TrailerChoice choice);

/// How a job is asked for, beyond its partition and image.
struct SlotJobOptions {
    TrailerChoice trailer = TrailerChoice::Default;
    bool writeReadOnly = false; ///< the user confirmed writing the read-only partition
};

/// What the panel says about the image assigned to a partition: what it is and whether a job may take
/// it there. The verdict is the core's preflight, the one flashplan-cli asks too; this only words it.
struct SlotImage {
    QString path;                          ///< absolute; empty when no image is assigned
    std::shared_ptr<const ImageFile> file; ///< null when none is assigned or it cannot be read
    QString facts;                         ///< "hex · MCUboot 1.2.0+0 · 37.5 KiB"
    QString fit;                           ///< "fits, 12 KiB free" or why not
    bool fits = false;
    Preflight check;    ///< the job's preflight with this image (none run when no image is assigned)
    QStringList errors; ///< every reason the job is refused, "[rule] message" as the CLI prints them
    std::vector<TrailerChoice> trailerChoices; ///< what the row offers for the trailer (MCUboot slots)
    TrailerChoice trailer = TrailerChoice::Default;
};

/// A preflight's reasons as the panel and the CLI print them: "[rule] message".
QStringList reasonLines(const Preflight& check);

/// The path an image is stored under in a partition, made absolute: a relative path is taken from the
/// folder of the layout file (`layoutFile`, empty for an unsaved layout: the current folder).
QString resolveImagePath(const std::string& stored, const QString& layoutFile);

/// Reads the image of partition `index` (path already resolved) and asks the preflight of `kind` with it.
SlotImage describeSlotImage(ImageFiles& files, const Layout& layout, std::size_t index, const QString& path,
                            JobKind kind = JobKind::Flash, const SlotJobOptions& options = {});

/// Fills a preflight request's trailer and read-only fields from the options.
void applyOptions(PreflightRequest& request, const SlotJobOptions& options);

} // namespace flashplan::gui
