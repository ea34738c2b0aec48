// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"
#include "io/Format.h"

#include <QString>

// The name filters of the editor's file dialogs, each built from the core's table of what it reads (the
// layout formats of io/FormatRegistry, the image endings of image/ImageFormat), never written by hand.
namespace flashplan::gui {

/// "Zephyr devicetree (*.dts *.dtsi *.overlay)".
QString formatFilter(const Format& format);
/// Every importable format's endings in one filter, then each format, then all files.
QString openFilter();

/// "Firmware images (*.bin *.hex ... *.out);;Raw binary (*.bin);;Intel HEX (*.hex *.ihex *.ihx);;...;;All
/// files (*)": every ending imageExtensions() knows in one filter, then each format, then all files.
QString imageOpenFilter();
/// "Raw binary (*.bin);;All files (*)": for writing an image in one format.
QString imageSaveFilter(ImageFormat format);

} // namespace flashplan::gui
