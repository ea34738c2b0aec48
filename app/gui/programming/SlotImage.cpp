// SPDX-License-Identifier: Apache-2.0
#include "programming/SlotImage.h"

#include "boot/SlotTrailer.h"

#include "document/Text.h"
#include "util/Numbers.h"

#include <QDir>
#include <QFileInfo>

namespace flashplan::gui {

Result<std::shared_ptr<const ImageFile>> ImageFiles::read(const QString& path, const ImageSizeLimit& limit) {
    const QFileInfo info(path);
    if (!info.exists()) {
        entries_.erase(path);
        Error e = makeError(Errc::NotFound, "no such file");
        e.where.file = path.toStdString();
        return e;
    }
    const auto it = entries_.find(path);
    if (it != entries_.end() && it->second.size == info.size() && it->second.modified == info.lastModified())
        return it->second.file;
    ImageLoadOptions options;
    options.sizeLimit = limit;
    auto loaded = loadImageFile(path.toStdString(), options);
    if (!loaded) {
        entries_.erase(path);
        return loaded.error();
    }
    auto file = std::make_shared<ImageFile>();
    file->header = recognizeHeader(loaded->image);
    file->loaded = std::move(*loaded);
    entries_[path] = {info.size(), info.lastModified(), file};
    return std::shared_ptr<const ImageFile>(std::move(file));
}

QString resolveImagePath(const std::string& stored, const QString& layoutFile) {
    if (stored.empty())
        return {};
    const QString path = q(stored);
    if (QFileInfo(path).isAbsolute())
        return QDir::cleanPath(path);
    const QDir base = layoutFile.isEmpty() ? QDir::current() : QFileInfo(layoutFile).dir();
    return QDir::cleanPath(base.absoluteFilePath(path));
}

namespace {

QString factsOf(const ImageFile& f) {
    QStringList parts{q(to_string(f.loaded.image.format))};
    const ImageHeader& h = f.header;
    if (h.kind == HeaderKind::Mcuboot)
        parts << QStringLiteral("MCUboot %1").arg(q(h.version()));
    else if (h.kind == HeaderKind::Wolfboot)
        parts << (h.version().empty() ? QStringLiteral("wolfBoot")
                                      : QStringLiteral("wolfBoot v%1").arg(q(h.version())));
    parts << readableSize(f.loaded.image.totalSize());
    return parts.join(QStringLiteral(" · "));
}

} // namespace

QStringList reasonLines(const Preflight& check) {
    QStringList lines;
    for (const Diagnostic& d : check.reasons)
        lines << QStringLiteral("[%1] %2").arg(q(d.rule), q(d.message));
    return lines;
}

std::vector<TrailerChoice> trailerChoices(const Layout& layout, std::size_t partition) {
    const auto slot = mcuboot::slotTrailer(layout, partition);
    if (!slot || !*slot)
        return {};
    if ((*slot)->isPrimary())
        return {TrailerChoice::Default, TrailerChoice::Confirm, TrailerChoice::Keep};
    return {TrailerChoice::Default, TrailerChoice::Test, TrailerChoice::Permanent, TrailerChoice::Keep};
}

QString to_text(TrailerChoice choice) {
    switch (choice) {
    case TrailerChoice::Default:
        return QObject::tr("Trailer erased");
    case TrailerChoice::Test:
        return QObject::tr("Request test");
    case TrailerChoice::Permanent:
        return QObject::tr("Request permanent");
    case TrailerChoice::Confirm:
        return QObject::tr("Confirm");
    case TrailerChoice::Keep:
        return QObject::tr("Keep trailer");
    }
    return {};
}

void applyOptions(PreflightRequest& request, const SlotJobOptions& options) {
    request.writeReadOnly = options.writeReadOnly;
    switch (options.trailer) {
    case TrailerChoice::Default:
        break;
    case TrailerChoice::Test:
        request.request = mcuboot::UpgradeRequest::Test;
        break;
    case TrailerChoice::Permanent:
        request.request = mcuboot::UpgradeRequest::Permanent;
        break;
    case TrailerChoice::Confirm:
        request.request = mcuboot::UpgradeRequest::Confirm;
        break;
    case TrailerChoice::Keep:
        request.keepTrailer = true;
        break;
    }
}

SlotImage describeSlotImage(ImageFiles& files, const Layout& layout, std::size_t index, const QString& path,
                            JobKind kind, const SlotJobOptions& options) {
    SlotImage s;
    s.path = path;
    s.trailerChoices = trailerChoices(layout, index);
    s.trailer = options.trailer;
    if (path.isEmpty())
        return s;
    PreflightRequest request;
    applyOptions(request, options);
    request.kind = kind;
    request.layout = &layout;
    request.partition = index;
    request.image.name = path.toStdString(); // as flashplan-cli names it, so the reasons read the same
    auto file = files.read(path, imageSizeLimit(layout.board));
    if (file) {
        s.file = *file;
        s.facts = factsOf(**file);
        request.image.image = &(*file)->loaded.image;
    } else {
        s.facts = QObject::tr("cannot be read");
        request.image.loadError = file.error();
    }
    s.check = preflight(request);
    if (const auto& fit = s.check.fit) {
        s.fits = fit->fits;
        s.fit = fit->fits ? QObject::tr("fits, %1 free").arg(readableSize(fit->freeBytes))
                          : QObject::tr("%1 too large").arg(readableSize(fit->shortfall));
        if (s.check.padded && *s.check.padded != mcuboot::UpgradeRequest::None)
            s.fit +=
                QObject::tr(", padded: %1 request").arg(q(std::string(mcuboot::to_string(*s.check.padded))));
    } else if (file) {
        s.fit = QObject::tr("does not fit");
    }
    s.errors = reasonLines(s.check);
    return s;
}

} // namespace flashplan::gui
