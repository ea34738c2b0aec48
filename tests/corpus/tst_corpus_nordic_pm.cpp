// SPDX-License-Identifier: Apache-2.0
// Every pm_static*.yml of the corpus (nRF Connect SDK, read with PyYAML for the truth): each partition's
// name, address, size, region, device, span and the other keys as the file wrote them, end_address, the
// containment that validation relies on, and import -> export -> import giving the same layout.
#include "CorpusSupport.h"
#include "db/DeviceDatabase.h"
#include "io/Format.h"
#include "io/nordic/PmRegions.h"
#include "io/nordic/PmYaml.h"

#include <QJsonArray>
#include <QSet>

using namespace flashplan;

namespace {

const DeviceDatabase& db() {
    static const DeviceDatabase instance = *DeviceDatabase::builtin();
    return instance;
}

/// A YAML value as PyYAML's safe_load gives it, in JSON terms (YAML 1.1 integers and booleans).
QJsonValue toJson(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const YAML::Node& item : node)
            a.append(toJson(item));
        return a;
    }
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto& kv : node)
            o.insert(QString::fromStdString(kv.first.Scalar()), toJson(kv.second));
        return o;
    }
    case YAML::NodeType::Scalar: {
        if (const auto n = pm::unsignedValue(node); n.ok())
            return QJsonValue(static_cast<double>(*n));
        const std::string& s = node.Scalar();
        if (node.Tag() == "?" && (s == "true" || s == "True" || s == "yes" || s == "on"))
            return true;
        if (node.Tag() == "?" && (s == "false" || s == "False" || s == "no" || s == "off"))
            return false;
        return QString::fromStdString(s);
    }
    default:
        return QJsonValue::Null;
    }
}

QJsonValue propertyJson(const Partition& p, const std::string& key) {
    const std::string* text = findProperty(p.properties, key);
    if (!text)
        return QJsonValue::Undefined;
    const auto node = pm::parseValue(*text);
    return node ? toJson(*node) : QJsonValue(QStringLiteral("<unparsable>"));
}

QString str(const QJsonValue& v) {
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

QStringList names(const QJsonValue& v) {
    QStringList out;
    if (v.isString())
        out << v.toString();
    for (const auto& item : v.toArray())
        out << item.toString();
    return out;
}

/// The truth's own account of containment: what a container spans, through spanned containers and the
/// `inside` lists of others; nothing of the importer is reused.
class TruthSpans {
public:
    explicit TruthSpans(const QJsonArray& parts) {
        for (const auto& v : parts) {
            const QJsonObject o = v.toObject();
            byName_.insert(o["name"].toString(), o);
        }
        for (const auto& v : parts) {
            const QJsonObject o = v.toObject();
            for (const QString& c : names(o["inside"]))
                extra_[c] << o["name"].toString();
        }
    }
    bool isContainer(const QString& n) const { return byName_.value(n).contains("span"); }
    QSet<QString> spanned(const QString& c) const {
        QSet<QString> out, seen;
        collect(c, seen, out);
        return out;
    }
    QSet<QString> leaves(const QString& c) const {
        QSet<QString> out;
        for (const QString& n : spanned(c))
            if (!isContainer(n))
                out << n;
        return out;
    }
    QStringList direct(const QString& c) const {
        QStringList out = names(byName_.value(c)["span"]) + extra_.value(c);
        out.removeIf([&](const QString& n) { return !byName_.contains(n) || n == c; });
        return out;
    }
    const QJsonObject& get(const QString& n) const { return byName_.find(n).value(); }

private:
    void collect(const QString& c, QSet<QString>& seen, QSet<QString>& out) const {
        if (seen.contains(c))
            return;
        seen << c;
        for (const QString& n : direct(c)) {
            out << n;
            if (isContainer(n))
                collect(n, seen, out);
        }
    }
    QHash<QString, QJsonObject> byName_;
    QHash<QString, QStringList> extra_;
};

QString regionOf(const QJsonObject& t) {
    return t.contains("region") ? t["region"].toString() : QStringLiteral("flash_primary");
}

bool within(const QJsonObject& outer, const QJsonObject& inner) {
    return regionOf(outer) == regionOf(inner) && outer["address"].toDouble() <= inner["address"].toDouble() &&
           inner["end"].toDouble() <= outer["end"].toDouble();
}

/// Empty when the partition matches its truth, else why not.
QString checkPartition(const Layout& l, const Partition& p, const QJsonObject& t, const TruthSpans& spans,
                       const std::vector<Diagnostic>& notes) {
    const QString name = QString::fromStdString(p.label);
    if (name != t["name"].toString())
        return "name " + name + " where the truth has " + t["name"].toString();
    const FlashDevice* d = l.deviceOf(p);
    if (!d)
        return name + ": no device";
    const double address = static_cast<double>(pm::regionBase(*d) + p.offset);
    if (address != t["address"].toDouble())
        return name + ": address " + QString::number(address, 'f', 0);
    if (static_cast<double>(p.size) != t["size"].toDouble())
        return name + ": size " + QString::number(p.size);
    if (QString::fromStdString(pm::regionOfDevice(l, *d)) != regionOf(t))
        return name + ": region " + QString::fromStdString(pm::regionOfDevice(l, *d));

    for (const char* key :
         {"device", "span", "orig_span", "placement", "inside", "share_size", "affiliation"}) {
        const QJsonValue want = t.contains(key) ? t[key] : QJsonValue(QJsonValue::Undefined);
        const QJsonValue have = propertyJson(p, std::string("pm.") + key);
        if (want != have)
            return name + ": " + key + " " + str(have) + " where the truth has " + str(want);
    }
    const QJsonObject other = t["other_keys"].toObject();
    for (auto it = other.begin(); it != other.end(); ++it)
        if (propertyJson(p, "pm." + it.key().toStdString()) != it.value())
            return name + ": " + it.key() + " not kept";

    const std::string* keys = findProperty(p.properties, "pm.keys");
    const bool listsEnd = keys && (" " + *keys + " ").find(" end_address ") != std::string::npos;
    if (t.contains("end_address") != listsEnd)
        return name + ": end_address presence not recorded in pm.keys";
    if (t.contains("end_address")) {
        const bool consistent = t["end_address_consistent"].toBool();
        const QJsonValue kept = propertyJson(p, "pm.end_address");
        if (consistent != kept.isUndefined() || (!consistent && kept != t["end_address"]))
            return name + ": end_address kept as " + str(kept);
        const bool noted = std::any_of(notes.begin(), notes.end(), [&](const Diagnostic& n) {
            return n.rule == "import.pm-end-address" &&
                   n.message.find(": " + p.label + ": ") != std::string::npos;
        });
        if (consistent == noted)
            return name + ": end_address note " + (noted ? "given" : "missing");
    }

    // Containment: a parent holds the partition by span and by range; a partition that a container spans
    // and covers has a parent.
    if (!p.parent.empty()) {
        const QString parent = QString::fromStdString(p.parent);
        if (!spans.isContainer(parent))
            return name + ": parent " + parent + " is not a container";
        const QJsonObject& c = spans.get(parent);
        const bool byName = spans.spanned(parent).contains(name) ||
                            (spans.isContainer(name) && !spans.leaves(name).isEmpty() &&
                             spans.leaves(parent).contains(spans.leaves(name)));
        if (!byName || !within(c, t))
            return name + ": parent " + parent + " does not hold it";
    } else {
        for (const auto& v : l.partitions) {
            const QString c = QString::fromStdString(v.label);
            if (spans.isContainer(c) && spans.direct(c).contains(name) && within(spans.get(c), t))
                return name + ": spanned and covered by " + c + " but has no parent";
        }
    }
    return {};
}

QString check(const corpus::Entry& entry) {
    const std::string text = corpus::readText(entry.input);
    const std::string fileName = entry.input.toStdString();
    const Format& format = *findFormat("pm-static-yml");
    ImportOptions options;
    options.db = &db();
    const auto imported = format.importer->read(text, fileName, options);
    if (!imported)
        return QString::fromStdString(imported.error().toString());
    const Layout& l = imported->layout;

    const QJsonArray truth = corpus::readJson(entry.truth)["partitions"].toArray();
    if (static_cast<qsizetype>(l.partitions.size()) != truth.size())
        return QStringLiteral("%1 partitions where the truth has %2")
            .arg(l.partitions.size())
            .arg(truth.size());
    const TruthSpans spans(truth);
    for (qsizetype i = 0; i < truth.size(); ++i)
        if (const QString why = checkPartition(l, l.partitions[static_cast<std::size_t>(i)],
                                               truth[i].toObject(), spans, imported->notes);
            !why.isEmpty())
            return why;

    const auto exported = format.exporter->write(l, "pm_static.yml", {});
    if (!exported)
        return "export: " + QString::fromStdString(exported.error().toString());
    const auto back = format.importer->read(exported->front().text, fileName, options);
    if (!back)
        return "re-import: " + QString::fromStdString(back.error().toString());
    if (!(back->layout == l))
        return QStringLiteral("import -> export -> import changed the layout");
    return {};
}

} // namespace

class TestCorpusNordicPm : public QObject {
    Q_OBJECT
private slots:
    void everyFileMatchesItsTruth() {
        FLASHPLAN_REQUIRE_CORPUS();
        corpus::Run run(QStringLiteral("import"));
        run.check({QStringLiteral("nordic-pm")},
                  [](const corpus::Entry& e) { return corpus::Verdict::differ(check(e)); });
        FLASHPLAN_CORPUS_VERIFY(run); // no known exceptions: every file must match
    }
};

QTEST_APPLESS_MAIN(TestCorpusNordicPm)
#include "tst_corpus_nordic_pm.moc"
