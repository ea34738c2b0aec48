// SPDX-License-Identifier: Apache-2.0
#pragma once
// Flashplan's one C preprocessor. The devicetree importer runs it as Zephyr runs GCC's cpp on board files
// (`cpp -x assembler-with-cpp -P -undef`) and parses the expanded text; the wolfBoot target.h importer
// runs it for the macro table a header leaves (`cpp -dM`). It reads no file itself: #include goes
// through a hook that the caller resolves against its include folders.

#include "io/cpp/MacroTable.h"
#include "io/cpp/TextOutput.h"
#include "util/Result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashplan::cpp {

enum class Language {
    C,
    /// `-x assembler-with-cpp`, the language of devicetree sources: a line whose '#' starts no directive
    /// (#address-cells = <1>;) is text, '#' in a macro may name no parameter, '$' is no identifier.
    AssemblerWithCpp,
};

enum class Mode {
    Expand,     ///< the expanded text, as `cpp -P` writes it
    MacrosOnly, ///< directives only, the text between them skipped: a header's macros, as `cpp -dM`
};

/// An #include to resolve.
struct IncludeRequest {
    std::string name;          ///< as written between the quotes or the angle brackets
    bool angled = false;       ///< <name>
    std::string includingFile; ///< the path of the file that has the #include
    SourceLocation where;      ///< the file and line of the #include
};

/// A file to read in place of an #include: its path (the identity #pragma once remembers) and text.
struct IncludedFile {
    std::string path;
    std::string text;
};

/// Resolves an #include: a file, nothing (the include is satisfied without text), or the Error to stop
/// with (which should name request.where).
using IncludeHook = std::function<Result<std::optional<IncludedFile>>(const IncludeRequest&)>;

struct Options {
    Language language = Language::C;
    Mode mode = Mode::Expand;
    IncludeHook include; ///< empty: every #include is an error
    /// Read `# 12 "file"` line markers (of a file preprocessed before) so that later lines are named as
    /// the marker says. C always reads them; assembler (and GCC) would leave them to dtc, which reads them.
    bool lineMarkers = false;
    MacroTable predefined; ///< what is defined before the first line (as -D)
};

/// What #warning says, and #error in Mode::MacrosOnly (a header read for its macros is not compiled).
struct Note {
    SourceLocation where;
    std::string message;
};

struct Preprocessed {
    std::vector<std::string> files; ///< the names that OutputLine::file indexes
    std::vector<OutputLine> lines;  ///< Mode::Expand: the expanded text
    MacroTable macros;              ///< what is defined at the end
    std::vector<Note> notes;

    /// The lines, each ended by a newline.
    std::string text() const;
};

/// Preprocesses `text`, the contents of `fileName`:
///  - comments, backslash-newlines, string and character literals, numbers with C's suffixes;
///  - #define (object-like and function-like, '#', '##', variadic with __VA_ARGS__ or GNU's args...,
///    GNU's ", ## __VA_ARGS__"), #undef, a macro never expanded inside itself; __FILE__ and __LINE__;
///  - #if / #ifdef / #ifndef / #elif / #else / #endif, with `defined X` and `defined(X)` and C's integer
///    rules (Dialect::Condition);
///  - #include "x" and <x> through options.include, #pragma once (other pragmas are ignored), a depth of
///    200 at most (as GCC);
///  - #line and line markers; #error (an error in Mode::Expand), #warning (a note).
/// Not supported: digraphs, __VA_OPT__, __has_include, _Pragma, __COUNTER__.
/// Errors (Errc::Parse; what the hook returns for an #include) name the file and line: an #if without
/// #endif, #else/#elif/#endif out of place, a condition that does not evaluate, a malformed #define, a
/// macro call with the wrong number of arguments or never closed, #error, an unknown directive (C only), a
/// comment never closed.
Result<Preprocessed> preprocess(std::string_view text, const std::string& fileName, const Options& options);

} // namespace flashplan::cpp
