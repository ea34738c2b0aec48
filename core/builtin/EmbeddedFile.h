// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace flashplan::builtin {

/// A resource file compiled into the library (see cmake/EmbedFiles.cmake).
struct EmbeddedFile {
    const char* name; ///< path relative to its folder, e.g. "st.xml"
    const unsigned char* data;
    std::size_t size;

    std::string_view text() const { return {reinterpret_cast<const char*>(data), size}; }
};

/// resources/devices/*.xml
std::span<const EmbeddedFile> deviceDatabaseFiles();
/// layouts/*.flashplan
std::span<const EmbeddedFile> exampleLayoutFiles();

} // namespace flashplan::builtin
