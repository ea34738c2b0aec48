// SPDX-License-Identifier: Apache-2.0
#include "db/DeviceDatabase.h"

#include "builtin/EmbeddedFile.h"
#include "io/BoardXml.h"
#include "io/TextFile.h"

#include <algorithm>
#include <numeric>

namespace flashplan {

namespace {
constexpr int kSchemaVersion = 1;
}

Result<DeviceDatabase> DeviceDatabase::builtin() {
    DeviceDatabase db;
    for (const builtin::EmbeddedFile& f : builtin::deviceDatabaseFiles())
        if (auto r = db.addXml(f.text(), std::string("devices/") + f.name); !r)
            return r.error();
    for (const Board& b : db.boards_)
        db.builtinIds_.push_back(b.id); // sorted, as boards_ is
    return db;
}

bool DeviceDatabase::isBuiltin(std::string_view id) const {
    return std::binary_search(builtinIds_.begin(), builtinIds_.end(), id);
}

Result<void> DeviceDatabase::addXml(std::string_view text, const std::string& fileName) {
    auto doc = XmlDocument::parse(text, fileName);
    if (!doc)
        return doc.error();
    const pugi::xml_node root = doc->root();
    if (std::string_view(root.name()) != "flashplan-devices")
        return doc->error(root, root.name(), "expected a <flashplan-devices> document");
    if (auto r = doc->onlyAttributes(root, {"schema"}); !r)
        return r;
    if (auto r = doc->onlyChildren(root, {"board"}); !r)
        return r;
    auto schema = doc->requiredNumber(root, "schema");
    if (!schema)
        return schema.error();
    if (*schema != kSchemaVersion)
        return doc->error(root, "schema",
                          "schema " + std::to_string(*schema) + " is not supported (this version reads " +
                              std::to_string(kSchemaVersion) + ")");

    std::vector<Board> added;
    for (const pugi::xml_node n : root.children("board")) {
        auto board = readBoardXml(*doc, n);
        if (!board)
            return board.error();
        const auto sameId = [&](const Board& b) { return b.id == board->id; };
        if (std::any_of(added.begin(), added.end(), sameId))
            return doc->error(n, "id", "board '" + board->id + "' appears twice in this file");
        if (const auto it = std::find_if(boards_.begin(), boards_.end(), sameId); it != boards_.end())
            return doc->error(n, "id",
                              "board '" + board->id + "' is already defined in " +
                                  files_[static_cast<std::size_t>(it - boards_.begin())]);
        added.push_back(std::move(*board));
    }
    for (Board& b : added) {
        boards_.push_back(std::move(b));
        files_.push_back(fileName);
    }
    // Keep boards_ sorted by id with files_ in step.
    std::vector<std::size_t> order(boards_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return boards_[a].id < boards_[b].id; });
    std::vector<Board> boards;
    std::vector<std::string> files;
    for (std::size_t i : order) {
        boards.push_back(std::move(boards_[i]));
        files.push_back(std::move(files_[i]));
    }
    boards_ = std::move(boards);
    files_ = std::move(files);
    return {};
}

Result<std::vector<std::filesystem::path>> DeviceDatabase::boardFiles(const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".xml")
            files.push_back(entry.path());
    if (ec) {
        Error e = makeError(Errc::Io, "cannot list device folder: " + ec.message());
        e.where.file = dir.string();
        return e;
    }
    std::sort(files.begin(), files.end());
    return files;
}

Result<void> DeviceDatabase::addFile(const std::filesystem::path& file) {
    InputLimit limit = layoutTextLimit(); // board XML is layout text too: a .flashplan holds one inline
    limit.what = "a device database file";
    auto text = readTextFile(file, limit);
    if (!text)
        return text.error();
    return addXml(*text, file.string());
}

Result<void> DeviceDatabase::addDirectory(const std::filesystem::path& dir) {
    auto files = boardFiles(dir);
    if (!files)
        return files.error();
    for (const auto& f : *files)
        if (auto r = addFile(f); !r)
            return r;
    return {};
}

std::vector<Error> DeviceDatabase::addEachFile(const std::filesystem::path& dir) {
    auto files = boardFiles(dir);
    if (!files)
        return {files.error()};
    std::vector<Error> errors;
    for (const auto& f : *files)
        if (auto r = addFile(f); !r)
            errors.push_back(r.error());
    return errors;
}

const Board* DeviceDatabase::find(std::string_view id) const {
    const auto it = std::lower_bound(boards_.begin(), boards_.end(), id,
                                     [](const Board& b, std::string_view key) { return b.id < key; });
    return it != boards_.end() && it->id == id ? &*it : nullptr;
}

} // namespace flashplan
