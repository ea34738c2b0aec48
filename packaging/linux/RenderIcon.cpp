// SPDX-License-Identifier: Apache-2.0
// flashplan-render-icon <svg> <size> <png>: the app icon as a PNG of size x size pixels, for the hicolor
// theme's fixed sizes (desktops that do not scale SVG icons, and AppStream's cached icons). Run by the
// build; Qt's own SVG renderer, so the PNGs look as the icon the app draws.
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char* argv[]) {
    QGuiApplication app(argc, argv);
    const QStringList args = QGuiApplication::arguments();
    bool sizeOk = false;
    const int size = args.size() == 4 ? args[2].toInt(&sizeOk) : 0;
    if (!sizeOk || size < 8 || size > 1024) {
        std::fprintf(stderr, "usage: flashplan-render-icon <svg> <size 8-1024> <png>\n");
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        std::fprintf(stderr, "flashplan-render-icon: %s is not an SVG image it can read\n",
                     qPrintable(args[1]));
        return 2;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    svg.render(&painter);
    painter.end();
    if (!image.save(args[3], "PNG")) {
        std::fprintf(stderr, "flashplan-render-icon: cannot write %s\n", qPrintable(args[3]));
        return 2;
    }
    return 0;
}
