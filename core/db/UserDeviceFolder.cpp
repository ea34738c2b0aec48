// SPDX-License-Identifier: Apache-2.0
#include "db/UserDeviceFolder.h"

#include "io/BoardXml.h"
#include "io/TextFile.h"

#include <pugixml.hpp>

#include <sstream>

#include <algorithm>

namespace flashplan {

std::filesystem::path userDeviceFolder(const char* xdgDataHome, const char* home) {
    std::filesystem::path data;
    if (xdgDataHome && std::filesystem::path(xdgDataHome).is_absolute())
        data = xdgDataHome;
    else if (home && *home)
        data = std::filesystem::path(home) / ".local" / "share";
    else
        return {};
    return data / "flashplan" / "devices";
}

std::vector<Error> addUserDevices(DeviceDatabase& db, const std::filesystem::path& folder) {
    std::error_code ec;
    if (folder.empty() || !std::filesystem::is_directory(folder, ec))
        return {}; // nothing imported yet
    return db.addEachFile(folder);
}

std::filesystem::path userPackFile(const std::filesystem::path& folder, const std::string& vendor,
                                   const std::string& pack) {
    std::string name = vendor + "." + pack;
    // A file name from a pack's own words: keep it to one name in the folder.
    std::replace_if(
        name.begin(), name.end(), [](char c) { return c == '/' || c == '\\' || c == '\0'; }, '_');
    return folder / (name + ".xml");
}

Result<void> writeUserBoards(const std::filesystem::path& file, const std::vector<Board>& boards) {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("flashplan-devices");
    root.append_attribute("schema") = 1;
    for (const Board& b : boards)
        writeBoardXml(root, b);
    std::ostringstream text;
    doc.save(text, "  ", pugi::format_default, pugi::encoding_utf8);

    // Load what the folder will hold once the file is replaced: the compiled-in boards, the folder's
    // other files, then the new file, whose ids must clash with none of them.
    auto db = DeviceDatabase::builtin();
    if (!db)
        return db.error();
    std::error_code ec;
    if (std::filesystem::is_directory(file.parent_path(), ec))
        if (auto others = DeviceDatabase::boardFiles(file.parent_path()))
            for (const auto& other : *others)
                if (other.filename() != file.filename())
                    (void)db->addFile(other); // a broken file is its own error, reported at start
    if (auto r = db->addXml(text.str(), file.string()); !r) {
        Error e = r.error();
        e.code = Errc::InvalidArgument;
        e.message += "; nothing written";
        return e;
    }
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
        Error e = makeError(Errc::Io, "cannot make the device folder: " + ec.message());
        e.where.file = file.parent_path().string();
        return e;
    }
    return writeFileAtomically(file, text.str());
}

} // namespace flashplan
