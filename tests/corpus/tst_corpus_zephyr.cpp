// SPDX-License-Identifier: Apache-2.0
// The Zephyr corpus (../shared/corpus/visible, sources "zephyr" and "zephyr-overlay"): every board
// devicetree imported and compared with its truth.json (derived by dtc, not by Flashplan); every import
// exported as an overlay, compiled with the board by the real dtc and read back with libfdt; the raw
// board files' includes and macros against what cpp did. dtc and libfdt are test tools only.
#include "CorpusSupport.h"
#include "DtbSupport.h"
#include "PropertiesFirst.h"
#include "db/DeviceDatabase.h"
#include "io/LayoutFile.h"
#include "io/TextFile.h"
#include "io/dts/DtsExporter.h"
#include "io/dts/DtsImporter.h"
#include "io/dts/DtsKeys.h"
#include "io/dts/DtsPreprocessor.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>

#include <filesystem>
#include <set>

using namespace flashplan;

namespace {

const QStringList kSources{"zephyr", "zephyr-overlay"};

/// What the importer makes of a node name without a label: an identifier.
std::string sanitized(const QString& name) {
    std::string out;
    for (const QChar c : name)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == '_' ? static_cast<char>(c.unicode()) : '_';
    if (out.empty() || (out[0] >= '0' && out[0] <= '9'))
        out.insert(out.begin(), '_');
    return out;
}

std::string str(const QJsonValue& v) {
    return v.toString().toStdString();
}

/// The device id the importer gives a truth table's flash node: its first label, else its name.
std::string deviceOf(const QJsonObject& flash) {
    const QJsonArray labels = flash.value("labels").toArray();
    if (!labels.isEmpty())
        return str(labels.first());
    return sanitized(flash.value("path").toString().section('/', -1));
}

struct Expected {
    std::string label, device, parent;
    std::optional<std::string> labelProperty;
    std::string moreLabels;
    bool unlabeled = false;
    bool readOnly = false;
    quint64 offset = 0, size = 0;
};

/// The label the importer gives a partition without a DT label: its node name with the unit address
/// that its reg gives (the one an export writes), made an identifier.
std::string unlabeledName(const QJsonObject& p, int addressCells) {
    const QJsonArray reg = p.value("reg_cells").toArray();
    quint64 address = 0;
    for (int k = 0; k < addressCells && k < reg.size(); ++k)
        address = (address << 32) | static_cast<quint64>(reg[k].toDouble());
    return sanitized(p.value("node_name").toString().section('@', 0, 0) + "@" + QString::number(address, 16));
}

void flatten(const QJsonArray& partitions, int addressCells, const std::string& device,
             const std::string& parent, std::vector<Expected>& out) {
    for (const auto& v : partitions) {
        const QJsonObject p = v.toObject();
        const QJsonArray labels = p.value("labels").toArray();
        Expected e;
        e.label = labels.isEmpty() ? unlabeledName(p, addressCells) : str(labels.first());
        e.device = device;
        e.parent = parent;
        if (p.value("label_property").isString())
            e.labelProperty = str(p.value("label_property"));
        for (int k = 1; k < labels.size(); ++k)
            e.moreLabels += (k > 1 ? " " : "") + str(labels[k]);
        e.unlabeled = labels.isEmpty();
        e.readOnly = p.value("read_only").toBool();
        e.offset = static_cast<quint64>(p.value("offset").toDouble());
        e.size = static_cast<quint64>(p.value("size").toDouble());
        out.push_back(e);
        flatten(p.value("subpartitions").toArray(), p.value("address_cells").toInt(1), device, e.label, out);
    }
}

QString hex(quint64 v) {
    return "0x" + QString::number(v, 16);
}

/// Every difference between an imported layout and the truth: partitions (offset, size, label, read-only,
/// nesting, device), the devices' sizes, kinds and erase blocks, the chosen partitions. Partitions are
/// matched by label, not by position: for a node deleted and defined again dtc (the truth) keeps the old
/// place where Zephyr's dtlib (and Flashplan, whose order is the flash_area order) puts it last.
QStringList differences(const Layout& l, const QJsonObject& truth) {
    QStringList out;
    std::vector<Expected> expected;
    const QJsonArray tables = truth.value("partition_tables").toArray();
    for (const auto& t : tables)
        flatten(t.toObject().value("partitions").toArray(), t.toObject().value("address_cells").toInt(1),
                deviceOf(t.toObject().value("flash").toObject()), "", expected);
    if (l.partitions.size() != expected.size())
        out << QString("%1 partitions imported, %2 in the truth")
                   .arg(l.partitions.size())
                   .arg(expected.size());
    for (const Expected& e : expected) {
        const int i = l.indexOf(e.label);
        if (i < 0) {
            out << QString("no partition %1").arg(QString::fromStdString(e.label));
            continue;
        }
        const Partition& p = l.partitions[static_cast<std::size_t>(i)];
        const std::string* lp = findProperty(p.properties, dts::key::kLabelProperty);
        const std::string* more = findProperty(p.properties, dts::key::kMoreLabels);
        const bool unlabeled = findProperty(p.properties, dts::key::kUnlabeled) != nullptr;
        const auto check = [&](bool ok, const QString& what) {
            if (!ok)
                out << QString::fromStdString(e.label) + ": " + what;
        };
        check(p.offset == e.offset, QString("offset %1, truth %2").arg(hex(p.offset), hex(e.offset)));
        check(p.size == e.size, QString("size %1, truth %2").arg(hex(p.size), hex(e.size)));
        check(p.device == e.device, QString("device %1, truth %2").arg(p.device.c_str(), e.device.c_str()));
        check(p.parent == e.parent,
              QString("parent '%1', truth '%2'").arg(p.parent.c_str(), e.parent.c_str()));
        check(p.readOnly == e.readOnly, "read-only differs");
        check((lp ? std::optional<std::string>(*lp) : std::nullopt) == e.labelProperty,
              "label property differs");
        check((more ? *more : std::string()) == e.moreLabels, "further labels differ");
        check(unlabeled == e.unlabeled, "labelled/unlabelled differs");
    }
    for (const auto& t : tables) {
        const QJsonObject flash = t.toObject().value("flash").toObject();
        const std::string id = deviceOf(flash);
        const FlashDevice* d = l.board.device(id);
        if (!d) {
            out << QString("no device %1").arg(id.c_str());
            continue;
        }
        const bool bits = flash.contains("size");
        const quint64 size =
            bits ? static_cast<quint64>(flash.value("size").toDouble()) / 8
                 : static_cast<quint64>(
                       flash.value("reg").toObject().value("entries")[0].toObject().value("size").toDouble());
        if (size != 0 && d->size() != size)
            out << QString("device %1 is %2 bytes, truth %3").arg(id.c_str()).arg(d->size()).arg(size);
        const bool internal = flash.value("compatible").toArray().contains(QJsonValue("soc-nv-flash"));
        if (internal != (d->kind == FlashKind::Internal))
            out << QString("device %1 kind %2").arg(id.c_str(), QString::fromUtf8(to_string(d->kind).data()));
        if (flash.value("erase_block_size").isDouble() &&
            d->sectors.runs().front().size !=
                static_cast<quint64>(flash.value("erase_block_size").toDouble()))
            out << QString("device %1 sectors %2").arg(id.c_str(), d->sectors.toString().c_str());
    }
    std::map<std::string, std::string> chosen;
    const QJsonObject truthChosen = truth.value("chosen").toObject();
    for (auto it = truthChosen.begin(); it != truthChosen.end(); ++it)
        if (it->toObject().value("is_partition").toBool())
            chosen[std::string(dts::key::kChosenPrefix) + it.key().toStdString()] =
                str(it->toObject().value("partition_labels").toArray().first());
    std::map<std::string, std::string> got;
    for (const auto& [k, v] : l.properties)
        if (k.starts_with(dts::key::kChosenPrefix))
            got[k] = v;
    if (got != chosen)
        out << QString("chosen partitions differ (%1 imported, %2 in the truth)")
                   .arg(got.size())
                   .arg(chosen.size());
    return out;
}

/// The DTB partition that stands for a truth partition: same labels, or unlabelled at the same offset.
const dtb::Partition* counterpart(const QJsonObject& p, const std::vector<dtb::Partition>& got) {
    std::set<std::string> labels;
    for (const auto& l : p.value("labels").toArray())
        labels.insert(str(l));
    for (const dtb::Partition& g : got) {
        const std::set<std::string> gl(g.labels.begin(), g.labels.end());
        if (labels.empty() ? (gl.empty() && g.offset == static_cast<quint64>(p.value("offset").toDouble()))
                           : gl == labels)
            return &g;
    }
    return nullptr;
}

void compareDtbPartitions(const QJsonArray& truth, const std::vector<dtb::Partition>& got,
                          const QString& where, QStringList& out) {
    if (static_cast<std::size_t>(truth.size()) != got.size())
        out << QString("%1: %2 partitions in the DTB, %3 in the truth")
                   .arg(where)
                   .arg(got.size())
                   .arg(truth.size());
    for (const auto& v : truth) {
        const QJsonObject p = v.toObject();
        const QString name = where + "/" + p.value("node_name").toString();
        const dtb::Partition* g = counterpart(p, got);
        if (!g) {
            out << name + ": not in the DTB";
            continue;
        }
        if (g->offset != static_cast<quint64>(p.value("offset").toDouble()) ||
            g->size != static_cast<quint64>(p.value("size").toDouble()))
            out << QString("%1: %2+%3 in the DTB").arg(name, hex(g->offset), hex(g->size));
        if (g->readOnly != p.value("read_only").toBool())
            out << name + ": read-only differs";
        const std::optional<std::string> lp = p.value("label_property").isString()
                                                  ? std::optional<std::string>(str(p.value("label_property")))
                                                  : std::nullopt;
        if (g->labelProperty != lp)
            out << name + ": label property differs";
        compareDtbPartitions(p.value("subpartitions").toArray(), g->children, name, out);
    }
}

/// Every difference between the partitions of a compiled DTB and the truth.
QStringList dtbDifferences(const dtb::Reader& dtb, const QJsonObject& truth) {
    QStringList out;
    const auto tables = dtb.tables();
    const QJsonArray truthTables = truth.value("partition_tables").toArray();
    if (static_cast<std::size_t>(truthTables.size()) != tables.size())
        out << QString("%1 tables in the DTB, %2 in the truth").arg(tables.size()).arg(truthTables.size());
    for (const auto& v : truthTables) {
        const QJsonObject t = v.toObject();
        const std::string flash = str(t.value("flash").toObject().value("path"));
        const auto it = std::find_if(tables.begin(), tables.end(),
                                     [&](const dtb::Table& d) { return d.flashPath == flash; });
        if (it == tables.end()) {
            out << QString("no table on %1 in the DTB").arg(flash.c_str());
            continue;
        }
        compareDtbPartitions(t.value("partitions").toArray(), it->partitions, QString::fromStdString(flash),
                             out);
    }
    const auto chosen = dtb.chosen();
    const QJsonObject truthChosen = truth.value("chosen").toObject();
    for (auto it = truthChosen.begin(); it != truthChosen.end(); ++it) {
        if (!it->toObject().value("is_partition").toBool())
            continue;
        const auto c = chosen.find(it.key().toStdString());
        const std::string label = str(it->toObject().value("partition_labels").toArray().first());
        const auto labels = c == chosen.end() ? std::vector<std::string>{} : dtb.labelsOf(c->second);
        if (std::find(labels.begin(), labels.end(), label) == labels.end())
            out << QString("chosen %1 does not name %2").arg(it.key(), label.c_str());
    }
    return out;
}

/// An index entry whose folder holds another entry's files: the corpus put two particle_xenon overlay
/// entries in one folder, so only the last one's input and truth are on disk. Such an entry cannot be
/// checked, and is reported as a known exception with this reason, never skipped silently.
QString corpusDefect(const corpus::Entry& e, const QJsonObject& truth) {
    const QJsonArray mine = e.raw.value("overlays").toArray();
    const QJsonArray theirs = truth.value("overlays").toArray();
    if (mine == theirs)
        return {};
    return QString(
               "known exception: the index puts this entry (overlays %1) in a folder whose truth.json is for "
               "overlays %2: two index entries share the folder, and this one's input is not on disk")
        .arg(QString::fromUtf8(QJsonDocument(mine).toJson(QJsonDocument::Compact)),
             QString::fromUtf8(QJsonDocument(theirs).toJson(QJsonDocument::Compact)));
}

} // namespace

class TestCorpusZephyr : public QObject {
    Q_OBJECT

    /// Each input is imported once, for every test that needs it (the suite stays fast under ASan too).
    std::map<QString, Result<ImportResult>> imported_;
    QTemporaryDir tmp_;

    const Result<ImportResult>& importFile(const QString& path) {
        auto it = imported_.find(path);
        if (it == imported_.end()) {
            const auto text = readTextFile(path.toStdString());
            it = imported_
                     .emplace(path, text ? DtsImporter().read(*text, path.toStdString(), {})
                                         : Result<ImportResult>(text.error()))
                     .first;
        }
        return it->second;
    }

private slots:
    void initTestCase() { FLASHPLAN_REQUIRE_CORPUS(); }

    /// (a) Each entry's input (for zephyr-overlay the board with its overlays, as the index says: the
    /// corpus ran cpp with -include board -include overlay) against its truth.
    void importMatchesTheTruth() {
        QElapsedTimer timer;
        timer.start();
        corpus::Run run(QStringLiteral("import"));
        run.check(kSources, [&](const corpus::Entry& e) {
            const QJsonObject truth = corpus::readJson(e.truth);
            if (const QString defect = corpusDefect(e, truth); !defect.isEmpty())
                return corpus::Verdict::known(defect);
            const auto& imported = importFile(e.input);
            return corpus::Verdict::differ(
                imported ? differences(imported->layout, truth)
                         : QStringList{QString::fromStdString(imported.error().toString())});
        });
        qInfo("import of the corpus: %lld ms", static_cast<long long>(timer.elapsed()));
        FLASHPLAN_CORPUS_VERIFY(run);
    }

    /// (b) Each import exported as an overlay, appended to the original devicetree, compiled with dtc and
    /// read back with libfdt: its partitions must be the truth's. The 28 boards with properties after
    /// subnodes, which dtc 1.6.1 refuses, are first put in the order dtc wants by the same rule the corpus
    /// used for its truth (PropertiesFirst.h): only the order inside blocks changes, not the tree.
    void exportedOverlaysCompileWithDtcToTheTruth() {
        if (dtb::dtcProgram().isEmpty())
            QSKIP("dtc is not installed (Debian: device-tree-compiler)");
        QVERIFY(tmp_.isValid());
        QElapsedTimer timer;
        timer.start();
        // Every file is written first and compiled in one batch (dtc in parallel); the verdicts follow.
        struct Job {
            corpus::Entry entry;
            QString dts;
            QJsonObject truth;
            QStringList diffs;
        };
        std::vector<Job> jobs;
        corpus::Run run(QStringLiteral("dtc round trip"));
        for (const QString& source : kSources) {
            for (const corpus::Entry& e : corpus::entries(source)) {
                Job job{e, {}, corpus::readJson(e.truth), {}};
                if (const QString defect = corpusDefect(e, job.truth); !defect.isEmpty()) {
                    run.add(e, corpus::Verdict::known(defect));
                    continue;
                }
                const auto& imported = importFile(e.input);
                const auto overlay =
                    imported ? writeDtsOverlay(imported->layout, {}) : Result<std::string>(Error{});
                if (!imported) {
                    job.diffs << QString::fromStdString(imported.error().toString());
                } else if (!overlay) {
                    job.diffs << QString::fromStdString(overlay.error().toString());
                } else {
                    std::string base = *readTextFile(e.input.toStdString());
                    if (job.truth.value("derivation_note").isString())
                        base = corpus::propertiesFirst(base);
                    job.dts = tmp_.filePath(QString("%1.dts").arg(jobs.size()));
                    QFile f(job.dts);
                    const std::string text = base + "\n" + *overlay;
                    if (!f.open(QIODevice::WriteOnly) ||
                        f.write(text.data(), qint64(text.size())) != qint64(text.size()))
                        job.diffs << "cannot write " + job.dts;
                }
                jobs.push_back(std::move(job));
            }
        }
        QStringList files;
        for (const Job& j : jobs)
            if (j.diffs.isEmpty())
                files << j.dts;
        const QStringList errors = dtb::compileFiles(files, std::max(2, QThread::idealThreadCount()));
        for (Job& j : jobs) {
            if (j.diffs.isEmpty()) {
                const QString error = errors[files.indexOf(j.dts)];
                QFile blob(j.dts + ".dtb");
                if (!error.isEmpty() || !blob.open(QIODevice::ReadOnly))
                    j.diffs << error.left(500);
                else
                    j.diffs = dtbDifferences(dtb::Reader(blob.readAll()), j.truth);
            }
            run.add(j.entry, corpus::Verdict::differ(j.diffs));
        }
        qInfo("dtc round trip of the corpus: %lld ms", static_cast<long long>(timer.elapsed()));
        FLASHPLAN_CORPUS_VERIFY(run);
    }

    /// (b') Each import exported, appended to its input and imported again gives the same layout (but for
    /// the facts the export writes in normal form: unit addresses, mapped partitions out of their
    /// container); and each import saved as a .flashplan file and loaded again is the same layout, whose
    /// overlay keeps every partition.
    void everyEntryRoundTrips() {
        const DeviceDatabase db = *DeviceDatabase::builtin();
        corpus::Run run(QStringLiteral("round trip"));
        run.check(kSources, [&](const corpus::Entry& e) {
            if (const QString defect = corpusDefect(e, corpus::readJson(e.truth)); !defect.isEmpty())
                return corpus::Verdict::known(defect);
            const auto& first = importFile(e.input);
            if (!first)
                return corpus::Verdict::differ("import: " + QString::fromStdString(first.error().toString()));
            QStringList diffs;
            Layout expected = first->layout;
            for (Partition& p : expected.partitions)
                std::erase_if(p.properties, [](const auto& kv) {
                    return kv.first == dts::key::kUnitAddress || kv.first == dts::key::kUnderFlash;
                });
            const std::string text = *readTextFile(e.input.toStdString());
            const auto overlay = writeDtsOverlay(first->layout, {});
            const auto again = overlay ? DtsImporter().read(text + "\n" + *overlay, e.input.toStdString(), {})
                                       : Result<ImportResult>(overlay.error());
            if (!again)
                diffs << QString::fromStdString(again.error().toString());
            else if (!(again->layout == expected))
                diffs << "import -> export -> import changed the layout";
            const auto loaded =
                LayoutFile::parse(LayoutFile::serialize(first->layout), "saved.flashplan", db);
            if (!loaded)
                diffs << "as .flashplan: " + QString::fromStdString(loaded.error().toString());
            else if (!(*loaded == first->layout))
                diffs << "the .flashplan file changed the layout";
            else if (const auto fromFile = writeDtsOverlay(*loaded, {}); !fromFile || *fromFile != *overlay)
                diffs << "the overlay of the loaded .flashplan differs";
            return corpus::Verdict::differ(diffs);
        });
        FLASHPLAN_CORPUS_VERIFY(run);
    }

    /// (c) The raw overlay files (original/..., with DT_SIZE_K/M and /delete-node/), whose include chains
    /// are complete, read after the board as Zephyr's build reads them (ImportOptions::overlays, what
    /// `flashplan-cli import board.dts app.overlay` does). The board part is preprocessed.dts, which
    /// already holds the overlay: no raw board chain in the corpus is complete (the SoC .dtsi and the
    /// dt-bindings headers are not in original/), so the overlay is applied a second time, which must
    /// leave the truth as it is; a wrong macro expansion would change a reg.
    void rawOverlaysReadAfterTheBoard() {
        corpus::Run run(QStringLiteral("raw overlays"));
        run.check({QStringLiteral("zephyr-overlay")}, [&](const corpus::Entry& e) {
            const QJsonObject truth = corpus::readJson(e.truth);
            if (const QString defect = corpusDefect(e, truth); !defect.isEmpty())
                return corpus::Verdict::known(defect);
            const QString dir = QFileInfo(e.input).absolutePath();
            ImportOptions options;
            for (const auto& o : e.raw.value("overlays").toArray())
                options.overlays.emplace_back((dir + "/original/" + o.toString()).toStdString());
            if (options.overlays.empty())
                return corpus::Verdict::differ("the index names no overlay");
            const auto r = flashplan::importFile(e.input.toStdString(), nullptr, options);
            return corpus::Verdict::differ(r ? differences(r->layout, truth)
                                             : QStringList{QString::fromStdString(r.error().toString())});
        });
        FLASHPLAN_CORPUS_VERIFY(run);
    }

    /// (d) Each raw board file preprocessed with the corpus's include roots, the files it lacks (SoC
    /// .dtsi, dt-bindings headers, HAL files) standing in as empty: every file found must be one cpp read
    /// (truth include_chain), in cpp's order, every file Flashplan could not find must be one that cpp
    /// found and the corpus left out, and no file of original/ that an include names may be missed.
    void rawBoardIncludesFollowCpp() {
        corpus::Run run(QStringLiteral("raw include chains"));
        run.check({QStringLiteral("zephyr")}, [&](const corpus::Entry& e) {
            const QJsonObject truth = corpus::readJson(e.truth);
            const QString original = QFileInfo(e.input).absolutePath() + "/original";
            const QString raw = corpus::visibleDir() + "/" + e.raw.value("raw_path").toString();
            const std::string arch = str(truth.value("arch"));
            const std::filesystem::path boardDir = QFileInfo(raw).absolutePath().toStdString();
            const std::filesystem::path base = original.toStdString();
            ImportOptions options;
            // As the corpus ran cpp: the board folder, then ZEPHYR_BASE, each with these sub-folders.
            for (const std::filesystem::path& root : {boardDir, base})
                for (const char* sub : {"include", "include/zephyr", "dts/common", "", "dts"})
                    options.includeDirs.push_back(*sub == '\0' ? root / "dts" / arch : root / sub);
            std::vector<std::string> opened;  // relative to original/
            std::vector<std::string> stubbed; // include names that no root held
            options.readFile = [&](const std::filesystem::path& p) -> Result<std::string> {
                auto text = readTextFile(p, includedTextLimit());
                if (text)
                    opened.push_back(p.lexically_normal().lexically_relative(base).string());
                return text;
            };
            std::string text = *readTextFile(raw.toStdString());
            QStringList diffs;
            // Run, and for each include the corpus lacks, stand in an empty file and run again.
            for (int round = 0; round < 200; ++round) {
                opened.clear();
                auto r = dts::preprocess(text, raw.toStdString(), options);
                if (r)
                    break;
                const std::string& m = r.error().message;
                const auto open = m.find_first_of("<\""), close = m.find_first_of(">\"", open + 1);
                if (r.error().code != Errc::NotFound || open == std::string::npos ||
                    close == std::string::npos) {
                    diffs << QString::fromStdString(r.error().toString());
                    break;
                }
                const std::string name = m.substr(open + 1, close - open - 1);
                stubbed.push_back(name);
                const auto previous = options.readFile;
                options.readFile = [previous, name](const std::filesystem::path& p) -> Result<std::string> {
                    if (p.string().ends_with("/" + name))
                        return std::string();
                    return previous(p);
                };
            }
            std::vector<std::string> chain;
            for (const auto& c : truth.value("include_chain").toArray())
                chain.push_back(str(c.toObject().value("upstream_path")));
            std::set<std::string> present;
            for (const auto& f : e.raw.value("raw_files").toArray())
                present.insert(str(f.toObject().value("upstream_path")));
            // Files found: in the chain, in its order (the stand-ins were never read from disk).
            std::vector<std::string> found{std::filesystem::path(raw.toStdString())
                                               .lexically_normal()
                                               .lexically_relative(base)
                                               .string()};
            for (const std::string& f : opened)
                if (std::find(found.begin(), found.end(), f) == found.end() && present.count(f))
                    found.push_back(f);
            std::size_t at = 0;
            for (const std::string& f : found) {
                const auto it = std::find(chain.begin() + static_cast<long>(at), chain.end(), f);
                if (it == chain.end())
                    diffs << QString("read %1, which cpp did not read there").arg(f.c_str());
                else
                    at = static_cast<std::size_t>(it - chain.begin()) + 1;
            }
            // Files not found: each is a file of cpp's chain that the corpus does not hold.
            for (std::string name : stubbed) {
                while (name.starts_with("../") || name.starts_with("./"))
                    name.erase(0, name.find('/') + 1); // "../cc1352r1_launchxl/x.dtsi": a board folder's file

                const bool inChain = std::any_of(chain.begin(), chain.end(), [&](const std::string& c) {
                    return c == name || c.ends_with("/" + name);
                });
                const bool held = std::any_of(present.begin(), present.end(), [&](const std::string& c) {
                    return c == name || c.ends_with("/" + name);
                });
                if (!inChain || held)
                    diffs << QString("could not find %1 (%2)")
                                 .arg(name.c_str(), inChain ? "the corpus has it" : "cpp did not read it");
            }
            if (!diffs.isEmpty())
                diffs.prepend("in " + raw + ":");
            return corpus::Verdict::differ(diffs);
        });
        FLASHPLAN_CORPUS_VERIFY(run);
    }
};

QTEST_APPLESS_MAIN(TestCorpusZephyr)
#include "tst_corpus_zephyr.moc"
