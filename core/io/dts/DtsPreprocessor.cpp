// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsPreprocessor.h"

#include "io/cpp/Preprocessor.h"

#include <filesystem>
#include <vector>

namespace flashplan::dts {

namespace {

/// What GCC calls the text that -include options stand for.
constexpr std::string_view kCommandLine = "<command-line>";

/// Resolves an #include as cpp does for Zephyr: "x" in the including file's folder first, then every
/// include folder; <x> in the include folders. A <mem.h> that no folder holds is satisfied by the
/// built-in DT_SIZE_K/DT_SIZE_M.
Result<std::optional<cpp::IncludedFile>> resolveInclude(const cpp::IncludeRequest& request,
                                                        const ImportOptions& options) {
    const std::filesystem::path name(request.name);
    std::vector<std::filesystem::path> candidates;
    if (name.is_absolute()) {
        candidates.push_back(name);
    } else {
        if (!request.angled)
            candidates.push_back(std::filesystem::path(request.includingFile).parent_path() / name);
        for (const auto& dir : options.includeDirs)
            candidates.push_back(dir / name);
    }
    for (const auto& candidate : candidates) {
        auto text = readImportFile(options, candidate);
        if (text)
            return std::optional<cpp::IncludedFile>(
                cpp::IncludedFile{candidate.lexically_normal().string(), std::move(*text)});
        // A file that is there but refused (a folder, a device, past the size limit) is the answer, not a
        // reason to look further: "cannot find" would hide why.
        if (text.error().code == Errc::InvalidArgument)
            return text.error();
    }
    if (name == "mem.h")
        return std::optional<cpp::IncludedFile>();
    std::string searched;
    for (const auto& candidate : candidates) {
        const std::string dir = candidate.parent_path().lexically_normal().string();
        searched += (searched.empty() ? "" : ", ") + (dir.empty() ? std::string(".") : dir);
    }
    const std::string spelled = request.angled ? "<" + request.name + ">" : "\"" + request.name + "\"";
    return Error{Errc::NotFound,
                 "cannot find include file " + spelled + " (searched " +
                     (searched.empty() ? std::string("no folder: pass -I") : searched) + ")",
                 request.where,
                 {}};
}

cpp::Options zephyrOptions(const ImportOptions& importOptions) {
    cpp::Options o;
    o.language = cpp::Language::AssemblerWithCpp;
    o.lineMarkers = true;
    o.include = [&importOptions](const cpp::IncludeRequest& r) { return resolveInclude(r, importOptions); };
    // As Zephyr's build: -D__DTS__, and dts/common/mem.h, which every board reaches through its SoC .dtsi.
    for (const char* d : {"__DTS__ 1", "DT_SIZE_K(x) ((x) * 1024)", "DT_SIZE_M(x) (DT_SIZE_K(x) * 1024)"})
        (void)o.predefined.define(d);
    return o;
}

} // namespace

Result<PreprocessedSource> preprocess(std::string_view text, const std::string& fileName,
                                      const ImportOptions& options) {
    cpp::Options cppOptions = zephyrOptions(options);
    Result<cpp::Preprocessed> r = Error{};
    if (options.overlays.empty()) {
        r = cpp::preprocess(text, fileName, cppOptions);
    } else {
        // Zephyr's build preprocesses an empty file with `-include board.dts -include app.overlay...`:
        // one run, so that an overlay sees the board's macros and each file is named in its own
        // errors. The stand-in for that empty file includes them by number; its includes resolve here,
        // every other one as the board's would.
        std::string commandLine = "#include \"0\"\n";
        for (std::size_t k = 1; k <= options.overlays.size(); ++k)
            commandLine += "#include \"" + std::to_string(k) + "\"\n";
        const cpp::IncludeHook boardIncludes = cppOptions.include;
        cppOptions.include =
            [&](const cpp::IncludeRequest& request) -> Result<std::optional<cpp::IncludedFile>> {
            if (request.includingFile != kCommandLine)
                return boardIncludes(request);
            const std::size_t k = std::stoul(request.name);
            if (k == 0)
                return std::optional<cpp::IncludedFile>(cpp::IncludedFile{fileName, std::string(text)});
            const std::filesystem::path& overlay = options.overlays[k - 1];
            auto overlayText = readImportFile(options, overlay);
            if (!overlayText)
                return overlayText.error();
            return std::optional<cpp::IncludedFile>(
                cpp::IncludedFile{overlay.lexically_normal().string(), std::move(*overlayText)});
        };
        r = cpp::preprocess(commandLine, std::string(kCommandLine), cppOptions);
    }
    if (!r)
        return r.error();
    PreprocessedSource out;
    std::vector<std::uint32_t> index; // cpp's file index -> out's
    for (const std::string& f : r->files)
        index.push_back(out.fileIndex(f));
    if (r->files.empty())
        out.fileIndex(fileName);
    for (const cpp::OutputLine& l : r->lines)
        out.appendLine(l.text, index[l.file], static_cast<std::uint32_t>(std::max(1, l.line)));
    return out;
}

} // namespace flashplan::dts
