// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "image/Image.h"

#include <string>
#include <string_view>

namespace flashplan {

/// Reads the loadable bytes of an ELF executable, 32- or 64-bit, little- or big-endian: every PT_LOAD
/// program header with p_filesz > 0, its p_filesz bytes placed at its physical address p_paddr (the load
/// address, LMA: where a programmer writes them; an initialised .data section is linked to run in RAM
/// but stored in flash). p_memsz beyond p_filesz is .bss, zeroed at start-up, never written to flash.
/// e_entry becomes the start address; the class, byte order and machine go into Image::detail.
///
/// Every field is checked against the file before it is used. Errors (Errc::Schema) name the file and
/// the reason: a file too short for its header, bad magic, class, byte order or version, program headers
/// outside the file or smaller than the class requires, a segment whose bytes lie outside the file or
/// whose p_filesz exceeds p_memsz, no loadable bytes at all, two segments that overlap (naming both
/// program headers).
Result<Image> parseElf(std::string_view content, const std::string& fileName);

/// True when the content starts with the ELF magic (0x7f 'E' 'L' 'F').
bool hasElfMagic(std::string_view content);

} // namespace flashplan
