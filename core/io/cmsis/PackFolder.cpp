// SPDX-License-Identifier: Apache-2.0
#include "io/cmsis/PackFolder.h"

#include "io/TextFile.h"

#include <algorithm>
#include <cctype>

namespace flashplan::cmsis {

namespace {

Error fileError(Errc code, const std::filesystem::path& file, std::string message) {
    Error e = makeError(code, std::move(message));
    e.where.file = file.string();
    return e;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

} // namespace

Result<PackFolder> locatePack(const std::filesystem::path& input) {
    std::error_code ec;
    if (!std::filesystem::exists(input, ec))
        return fileError(Errc::NotFound, input, "no such file or folder");
    if (std::filesystem::is_directory(input, ec)) {
        std::vector<std::filesystem::path> found;
        for (const auto& entry : std::filesystem::directory_iterator(input, ec))
            if (entry.is_regular_file() && lower(entry.path().extension().string()) == ".pdsc")
                found.push_back(entry.path());
        if (ec)
            return fileError(Errc::Io, input, "cannot list the folder: " + ec.message());
        if (found.size() != 1)
            return fileError(Errc::NotFound, input,
                             found.empty()
                                 ? "no .pdsc file at the top of the folder: not an unpacked CMSIS-Pack"
                                 : "several .pdsc files at the top of the folder: name the one to read");
        return PackFolder{found.front(), input};
    }
    const std::string ext = lower(input.extension().string());
    if (ext == ".pack" || ext == ".zip")
        return fileError(Errc::NotSupported, input,
                         "a .pack is a zip archive, which Flashplan does not read yet: unzip it first "
                         "(unzip -d <folder> <file.pack>) and import the folder");
    if (ext != ".pdsc")
        return fileError(Errc::InvalidArgument, input,
                         "not a CMSIS-Pack: give a .pdsc file or an unpacked pack's folder");
    return PackFolder{input, input.has_parent_path() ? input.parent_path() : std::filesystem::path(".")};
}

Result<std::string> readPackFile(const std::filesystem::path& root, const std::string& path) {
    const std::filesystem::path relative(path);
    if (relative.is_absolute() || std::find(relative.begin(), relative.end(), "..") != relative.end())
        return fileError(Errc::InvalidArgument, path, "a pack's file must lie inside the pack");
    std::filesystem::path at = root;
    for (const auto& part : relative) {
        std::error_code ec;
        if (std::filesystem::exists(at / part, ec)) {
            at /= part;
            continue;
        }
        // The pack says CMSIS/Flash/X.flm, the file is X.FLM: take the one entry differing in case only.
        std::filesystem::path match;
        for (const auto& entry : std::filesystem::directory_iterator(at, ec))
            if (lower(entry.path().filename().string()) == lower(part.string()))
                match = entry.path();
        if (match.empty())
            return fileError(Errc::NotFound, root / relative, "no such file in the pack");
        at = match;
    }
    return readTextFile(at);
}

Result<PackImport> importPackFrom(const std::filesystem::path& input, std::span<const Board> known) {
    auto where = locatePack(input);
    if (!where)
        return where.error();
    auto text = readTextFile(where->pdsc);
    if (!text)
        return text.error();
    auto pack = readPdsc(*text, where->pdsc.string());
    if (!pack)
        return pack.error();
    const std::filesystem::path root = where->root;
    return importPack(
        *pack, [&](const std::string& path) { return readPackFile(root, path); }, known);
}

} // namespace flashplan::cmsis
