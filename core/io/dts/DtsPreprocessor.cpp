// SPDX-License-Identifier: Apache-2.0
#include "io/dts/DtsPreprocessor.h"

#include "io/cpp/Preprocessor.h"

#include <filesystem>
#include <vector>

namespace flashplan::dts {

namespace {

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
    for (const auto& candidate : candidates)
        if (auto text = readImportFile(options, candidate))
            return std::optional<cpp::IncludedFile>(
                cpp::IncludedFile{candidate.lexically_normal().string(), std::move(*text)});
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
    auto r = cpp::preprocess(text, fileName, zephyrOptions(options));
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
