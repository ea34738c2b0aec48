// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test-only: compile devicetree source with the real dtc and read the partitions back from the DTB with
// libfdt, so that an exported overlay is judged by the tools Zephyr uses, not by Flashplan's own reader.
// The product never runs dtc.

#include <libfdt.h>

#include <QByteArray>
#include <QProcess>
#include <QStandardPaths>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dtb {

/// dtc's path, or empty when it is not installed.
inline QString dtcProgram() {
    return QStandardPaths::findExecutable(QStringLiteral("dtc"));
}

/// Compiles DTS text (with -@, so that labels land in __symbols__). Returns the blob, or an empty one
/// with dtc's messages in `errors`.
inline QByteArray compile(const QByteArray& dts, QString* errors) {
    QProcess p;
    p.start(dtcProgram(), {"-q", "-@", "-I", "dts", "-O", "dtb", "-o", "-", "-"});
    if (!p.waitForStarted(10000)) {
        *errors = QStringLiteral("dtc did not start");
        return {};
    }
    p.write(dts);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *errors = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    return p.readAllStandardOutput();
}

/// Compiles each `file.dts` of `files` to `file.dts.dtb`, running up to `parallel` dtc at once (the
/// corpus has a hundred boards; CI has two cores). Returns dtc's messages per file, empty when it
/// succeeded.
inline QStringList compileFiles(const QStringList& files, int parallel) {
    QStringList errors(files.size());
    std::vector<std::pair<int, std::unique_ptr<QProcess>>> running;
    const auto finishOldest = [&] {
        auto& [index, p] = running.front();
        if (!p->waitForFinished(120000) || p->exitStatus() != QProcess::NormalExit || p->exitCode() != 0)
            errors[index] = "dtc failed: " + QString::fromUtf8(p->readAllStandardError());
        running.erase(running.begin());
    };
    for (int i = 0; i < files.size(); ++i) {
        if (static_cast<int>(running.size()) >= std::max(1, parallel))
            finishOldest();
        auto p = std::make_unique<QProcess>();
        p->start(dtcProgram(), {"-q", "-@", "-I", "dts", "-O", "dtb", "-o", files[i] + ".dtb", files[i]});
        running.emplace_back(i, std::move(p));
    }
    while (!running.empty())
        finishOldest();
    return errors;
}

/// One partition as the DTB has it, offsets made device-relative.
struct Partition {
    std::string name;
    std::vector<std::string> labels; ///< from __symbols__, in its order
    std::optional<std::string> labelProperty;
    std::vector<std::string> compatible;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    bool readOnly = false;
    std::vector<Partition> children;
};

/// The partitions of one flash node.
struct Table {
    std::string flashPath;
    std::vector<Partition> partitions;
};

class Reader {
public:
    explicit Reader(const QByteArray& blob) : blob_(blob), fdt_(blob_.constData()) {
        ok_ = fdt_check_header(fdt_) == 0;
        if (!ok_)
            return;
        const int symbols = fdt_path_offset(fdt_, "/__symbols__");
        if (symbols >= 0) {
            int prop = 0;
            fdt_for_each_property_offset(prop, fdt_, symbols) {
                const char* name = nullptr;
                int len = 0;
                const char* value = static_cast<const char*>(fdt_getprop_by_offset(fdt_, prop, &name, &len));
                if (value && len > 0)
                    labels_[std::string(value, strnlen(value, static_cast<std::size_t>(len)))].push_back(
                        name);
            }
        }
    }

    bool ok() const { return ok_; }

    /// Every table: each fixed-partitions node (its parent is the flash), and each flash that holds
    /// zephyr,mapped-partition nodes (offsets through a `partitions { ranges; }` container taken as reg).
    std::vector<Table> tables() const {
        std::vector<Table> out;
        int depth = 0;
        for (int node = fdt_next_node(fdt_, -1, &depth); node >= 0;
             node = fdt_next_node(fdt_, node, &depth)) {
            if (fdt_node_check_compatible(fdt_, node, "fixed-partitions") == 0) {
                Table t;
                t.flashPath = path(fdt_parent_offset(fdt_, node));
                int child = 0;
                fdt_for_each_subnode(child, fdt_, node) {
                    if (fdt_getprop(fdt_, child, "reg", nullptr))
                        t.partitions.push_back(partition(child, node, false, 0, 0));
                }
                out.push_back(std::move(t));
            } else if (fdt_node_check_compatible(fdt_, node, "zephyr,mapped-partition") == 0) {
                const int parent = fdt_parent_offset(fdt_, node);
                if (fdt_node_check_compatible(fdt_, parent, "zephyr,mapped-partition") == 0)
                    continue; // nested: read with its parent
                const std::string name = fdt_get_name(fdt_, parent, nullptr);
                const int flash = name.rfind("partitions", 0) == 0 ? fdt_parent_offset(fdt_, parent) : parent;
                const std::string flashPath = path(flash);
                if (out.empty() || out.back().flashPath != flashPath)
                    out.push_back(Table{flashPath, {}});
                out.back().partitions.push_back(partition(node, parent, false, 0, 0));
            }
        }
        return out;
    }

    /// chosen properties that are node paths: name -> path.
    std::map<std::string, std::string> chosen() const {
        std::map<std::string, std::string> out;
        const int node = fdt_path_offset(fdt_, "/chosen");
        if (node < 0)
            return out;
        int prop = 0;
        fdt_for_each_property_offset(prop, fdt_, node) {
            const char* name = nullptr;
            int len = 0;
            const char* value = static_cast<const char*>(fdt_getprop_by_offset(fdt_, prop, &name, &len));
            if (value && len > 0 && value[0] == '/')
                out[name] = std::string(value, strnlen(value, static_cast<std::size_t>(len)));
        }
        return out;
    }

    std::vector<std::string> labelsOf(const std::string& nodePath) const {
        const auto it = labels_.find(nodePath);
        return it == labels_.end() ? std::vector<std::string>{} : it->second;
    }

private:
    std::string path(int node) const {
        char buf[1024];
        return fdt_get_path(fdt_, node, buf, sizeof buf) == 0 ? std::string(buf) : std::string();
    }

    std::vector<std::uint64_t> cells(int node, const char* name) const {
        int len = 0;
        const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt_, node, name, &len));
        std::vector<std::uint64_t> out;
        for (int k = 0; p && k < len / 4; ++k)
            out.push_back(fdt32_to_cpu(p[k]));
        return out;
    }

    static std::uint64_t combine(const std::vector<std::uint64_t>& c, std::size_t first, std::size_t count) {
        std::uint64_t v = 0;
        for (std::size_t k = 0; k < count && first + k < c.size(); ++k)
            v = (v << 32) | c[first + k];
        return v;
    }

    /// The partition at `node` in `container`: a table, or (`nested`) a partition whose reg address is
    /// `containerReg` at device offset `containerOffset`.
    Partition partition(int node, int container, bool nested, std::uint64_t containerOffset,
                        std::uint64_t containerReg) const {
        Partition p;
        p.name = fdt_get_name(fdt_, node, nullptr);
        p.labels = labelsOf(path(node));
        int len = 0;
        if (const char* l = static_cast<const char*>(fdt_getprop(fdt_, node, "label", &len)); l && len > 0)
            p.labelProperty = std::string(l, strnlen(l, static_cast<std::size_t>(len)));
        if (const char* c = static_cast<const char*>(fdt_getprop(fdt_, node, "compatible", &len)); c)
            for (int at = 0; at < len;) {
                const std::string s(c + at);
                p.compatible.push_back(s);
                at += static_cast<int>(s.size()) + 1;
            }
        p.readOnly = fdt_getprop(fdt_, node, "read-only", nullptr) != nullptr;
        const std::size_t ac = static_cast<std::size_t>(fdt_address_cells(fdt_, container));
        const std::size_t sc = static_cast<std::size_t>(fdt_size_cells(fdt_, container));
        const auto reg = cells(node, "reg");
        const std::uint64_t address = combine(reg, 0, ac);
        p.size = combine(reg, ac, sc);
        // A nested partition's reg goes through its parent's ranges; without ranges it is relative.
        const auto ranges = cells(container, "ranges");
        if (!nested) {
            p.offset = address;
        } else if (fdt_getprop(fdt_, container, "ranges", nullptr) == nullptr) {
            p.offset = containerOffset + address;
        } else if (ranges.empty()) {
            p.offset = containerOffset + (address - containerReg);
        } else {
            const std::size_t pac =
                static_cast<std::size_t>(fdt_address_cells(fdt_, fdt_parent_offset(fdt_, container)));
            const std::uint64_t child = combine(ranges, 0, ac);
            const std::uint64_t parentAddress = combine(ranges, ac, pac);
            p.offset = containerOffset + (parentAddress + (address - child) - containerReg);
        }
        int child = 0;
        fdt_for_each_subnode(child, fdt_, node) {
            if (fdt_getprop(fdt_, child, "reg", nullptr))
                p.children.push_back(partition(child, node, true, p.offset, address));
        }
        return p;
    }

    QByteArray blob_;
    const void* fdt_;
    bool ok_ = false;
    std::map<std::string, std::vector<std::string>> labels_; // node path -> labels
};

} // namespace dtb
