// SPDX-License-Identifier: Apache-2.0
#include "io/nordic/PmYaml.h"
#include "util/Numbers.h"

#include <yaml-cpp/eventhandler.h>

#include <array>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace flashplan::pm {

namespace {

/// PyYAML's YAML 1.1 integer forms without the sign: 0b..., 0x..., 0 followed by octal digits, or
/// decimal; '_' may separate digits. nullopt when `s` is none of them (or does not fit 64 bits).
std::optional<std::uint64_t> parseYaml11Unsigned(std::string_view s) {
    unsigned base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'b')) {
        base = s[1] == 'x' ? 16 : 2;
        s.remove_prefix(2);
    } else if (s.size() > 1 && s[0] == '0') {
        base = 8;
        s.remove_prefix(1);
    } else if (s.empty() || s[0] == '_') {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    bool anyDigit = false;
    for (char c : s) {
        if (c == '_')
            continue;
        const int d = hexDigitValue(c);
        if (d < 0 || d >= static_cast<int>(base))
            return std::nullopt;
        if (value > (UINT64_MAX - static_cast<unsigned>(d)) / base)
            return std::nullopt;
        value = value * base + static_cast<unsigned>(d);
        anyDigit = true;
    }
    if (!anyDigit)
        return std::nullopt;
    return value;
}

bool looksLikeInteger(std::string_view s) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-'))
        s.remove_prefix(1);
    return parseYaml11Unsigned(s).has_value();
}

/// Words that PyYAML (YAML 1.1) reads as booleans or null when they are plain.
bool isReservedWord(std::string_view s) {
    static constexpr std::array kWords{"y",  "Y",    "yes",  "Yes",  "YES",   "n",     "N",     "no", "No",
                                       "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
                                       "ON", "off",  "Off",  "OFF",  "null",  "Null",  "NULL",  "~"};
    for (std::string_view w : kWords)
        if (s == w)
            return true;
    return false;
}

/// True when `s` can stand plain inside a flow collection and as a mapping key, reading back as the
/// same text. Deliberately stricter than YAML needs: anything doubtful is quoted.
bool plainSafe(std::string_view s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ')
        return false;
    static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
    if (kIndicators.find(s.front()) != std::string_view::npos)
        return s.front() == '-' && s.size() > 1 && s[1] != ' ' && s[1] != '-';
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == ':' ||
            c == '#' || c == '"' || c == '\'')
            return false;
    }
    return true;
}

std::string yamlQuoted(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
    return out + '"';
}

} // namespace

namespace {

/// Notes where each document starts and nothing else.
class DocumentStarts final : public YAML::EventHandler {
public:
    std::vector<YAML::Mark> starts;

    void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

Error yamlError(Errc code, std::string message, const YAML::Mark& mark) {
    Error e = makeError(code, std::move(message));
    e.where.line = mark.line >= 0 ? mark.line + 1 : 0;
    e.where.column = mark.column >= 0 ? mark.column + 1 : 0;
    return e;
}

} // namespace

Result<YAML::Node> loadSingleDocument(const std::string& text) {
    try {
        std::istringstream stream(text);
        YAML::Parser parser(stream);
        DocumentStarts documents;
        while (documents.starts.size() < 3 && parser.HandleNextDocument(documents)) {
            const auto& s = documents.starts;
            if (s.size() >= 2 && s[s.size() - 1].pos == s[s.size() - 2].pos)
                return yamlError(Errc::Parse, "not valid YAML: the parser cannot get past this point",
                                 s.back());
        }
        if (documents.starts.size() > 1)
            return yamlError(Errc::Schema,
                             "holds more than one YAML document; a pm_static.yml is one mapping",
                             documents.starts[1]);
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return yamlError(Errc::Parse, "not valid YAML: " + e.msg, e.mark);
    }
}

Result<std::uint64_t> unsignedValue(const YAML::Node& node) {
    if (!node.IsScalar())
        return makeError(Errc::Parse,
                         "expected an integer, found " + std::string(node.IsSequence() ? "a list"
                                                                     : node.IsMap()    ? "a mapping"
                                                                                       : "nothing"));
    const std::string& text = node.Scalar();
    // A quoted scalar is a string to PyYAML, whatever its text: the Partition Manager would not add it.
    if (node.Tag() != "?" && node.Tag() != "tag:yaml.org,2002:int")
        return makeError(Errc::Parse, "expected an integer, found the string " + yamlQuoted(text));
    std::string_view s = text;
    if (!s.empty() && s.front() == '-' && looksLikeInteger(s))
        return makeError(Errc::Parse, "'" + text + "' is negative");
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    const auto value = parseYaml11Unsigned(s);
    if (!value)
        return makeError(Errc::Parse,
                         "'" + text + "' is not an integer (YAML 1.1: decimal, 0x hex, 0 octal)");
    return *value;
}

std::string scalarText(const std::string& text) {
    if (plainSafe(text) && !looksLikeInteger(text) && !isReservedWord(text) &&
        !(text.front() >= '0' && text.front() <= '9') && text.front() != '.' && text.front() != '+')
        return text;
    return yamlQuoted(text);
}

namespace {

/// Appends the flow text of `node`; false when the value breaks kMaxDepth or kMaxText.
bool appendFlow(std::string& out, const YAML::Node& node, int depth) {
    if (depth > kMaxDepth || out.size() > kMaxText)
        return false;
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        out += '[';
        for (std::size_t i = 0; i < node.size(); ++i) {
            out += i ? ", " : "";
            if (!appendFlow(out, node[i], depth + 1))
                return false;
        }
        out += ']';
        return true;
    case YAML::NodeType::Map: {
        out += '{';
        bool first = true;
        for (const auto& kv : node) {
            out += first ? "" : ", ";
            first = false;
            if (!appendFlow(out, kv.first, depth + 1))
                return false;
            out += ": ";
            if (!appendFlow(out, kv.second, depth + 1))
                return false;
        }
        out += '}';
        return true;
    }
    case YAML::NodeType::Scalar:
        // A plain scalar keeps its text (so 0x1000 stays hex); a quoted one stays a string.
        out += node.Tag() == "?" && plainSafe(node.Scalar()) ? node.Scalar() : yamlQuoted(node.Scalar());
        return true;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    out += "null";
    return true;
}

} // namespace

Result<std::string> flowText(const YAML::Node& node) {
    std::string out;
    if (!appendFlow(out, node, 0) || out.size() > kMaxText)
        return makeError(Errc::Parse, "the value is nested deeper than " + std::to_string(kMaxDepth) +
                                          " levels or longer than " + std::to_string(kMaxText / 1024) +
                                          " KiB once its aliases are resolved");
    return out;
}

Result<YAML::Node> parseValue(const std::string& text) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return makeError(Errc::Parse, "'" + text + "' is not a YAML value: " + e.msg);
    }
}

int lineOf(const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    return m.line >= 0 ? m.line + 1 : 0;
}

} // namespace flashplan::pm
