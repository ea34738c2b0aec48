// SPDX-License-Identifier: Apache-2.0
#include "desktop/FileFilters.h"

#include "document/Text.h"
#include "image/ImageFormat.h"

#include <QStringList>

namespace flashplan::gui {

namespace {

const QString kAllFiles = QStringLiteral("All files (*)");

QStringList patterns(const Format& format) {
    QStringList out;
    for (const QString& ext : q(format.extensions).split(' ', Qt::SkipEmptyParts))
        out << QStringLiteral("*") + ext;
    return out;
}

QStringList patterns(ImageFormat format) {
    QStringList out;
    for (const ImageExtension& e : imageExtensions())
        if (e.format == format)
            out << QStringLiteral("*") + q(e.suffix);
    return out;
}

QString imageFormatFilter(ImageFormat format) {
    return QStringLiteral("%1 (%2)").arg(q(imageFormatTitle(format)), patterns(format).join(' '));
}

} // namespace

QString formatFilter(const Format& format) {
    return QStringLiteral("%1 (%2)").arg(q(format.title), patterns(format).join(' '));
}

QString openFilter() {
    QStringList all, each;
    for (const Format& f : allFormats())
        if (f.importer) {
            all << patterns(f);
            each << formatFilter(f);
        }
    all.removeDuplicates();
    return QStringLiteral("Layouts and flash maps (%1);;%2;;%3")
        .arg(all.join(' '), each.join(QStringLiteral(";;")), kAllFiles);
}

QString imageOpenFilter() {
    QStringList all, each;
    for (const ImageExtension& e : imageExtensions()) {
        all << QStringLiteral("*") + q(e.suffix);
        if (const QString one = imageFormatFilter(e.format); !each.contains(one))
            each << one;
    }
    return QStringLiteral("Firmware images (%1);;%2;;%3")
        .arg(all.join(' '), each.join(QStringLiteral(";;")), kAllFiles);
}

QString imageSaveFilter(ImageFormat format) {
    return imageFormatFilter(format) + QStringLiteral(";;") + kAllFiles;
}

} // namespace flashplan::gui
