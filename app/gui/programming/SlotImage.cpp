// SPDX-License-Identifier: Apache-2.0
#include "programming/SlotImage.h"

#include "document/Text.h"
#include "image/ImageFit.h"
#include "program/FlashPayload.h"
#include "util/Numbers.h"

#include <QDir>
#include <QFileInfo>

namespace flashplan::gui {

Result<std::shared_ptr<const ImageFile>> ImageFiles::read(const QString& path) {
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
    auto loaded = loadImageFile(path.toStdString());
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

SlotImage describeSlotImage(ImageFiles& files, const Layout& layout, std::size_t index, const QString& path) {
    SlotImage s;
    s.path = path;
    if (path.isEmpty())
        return s;
    auto file = files.read(path);
    if (!file) {
        s.facts = QObject::tr("cannot be read");
        s.errors << q(file.error().toString());
        return s;
    }
    s.file = *file;
    s.facts = factsOf(**file);
    const ImageHeader& header = (*file)->header;
    for (const Diagnostic& d : header.findings())
        if (d.severity == Severity::Error)
            s.errors
                << QStringLiteral("%1: [%2] %3").arg(QFileInfo(path).fileName(), q(d.rule), q(d.message));

    const auto fit =
        fitImage((*file)->loaded.image, header, layout, index, {bootloaderReserve(layout, index)});
    if (!fit) {
        s.fit = QObject::tr("does not fit");
        s.errors << q(fit.error().message);
        return s;
    }
    s.fits = fit->fits;
    if (fit->fits) {
        s.fit = QObject::tr("fits, %1 free").arg(readableSize(fit->freeBytes));
    } else {
        s.fit = QObject::tr("%1 too large").arg(readableSize(fit->shortfall));
        // The refusal in the words of the core, which refuses it again when a flash is asked for.
        const auto payload = payloadFor((*file)->loaded.image, header, layout, index);
        s.errors << (payload ? s.fit : q(payload.error().message));
    }
    return s;
}

} // namespace flashplan::gui
