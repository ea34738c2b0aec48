// SPDX-License-Identifier: Apache-2.0
#include "image/SRecord.h"

#include "image/TextRecords.h"
#include "util/Numbers.h"

#include <span>

namespace flashplan {

using namespace records;

namespace {

/// Address bytes of each record type S0..S9; 0 for the reserved S4.
constexpr int kAddressLength[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

std::uint64_t bigEndian(std::span<const std::uint8_t> bytes) {
    std::uint64_t v = 0;
    for (std::uint8_t b : bytes)
        v = (v << 8) | b;
    return v;
}

/// An S0 header's text as people read it: printable ASCII kept, trailing NULs and blanks dropped.
std::string headerText(std::span<const std::uint8_t> bytes) {
    std::string text;
    for (std::uint8_t b : bytes)
        if (b >= 0x20 && b < 0x7f)
            text += static_cast<char>(b);
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

} // namespace

Result<Image> parseSRecord(std::string_view text, const std::string& fileName) {
    ImageBuilder builder(fileName, "line");
    LineReader lines(text);
    std::string_view line;
    RecordBuffer record{};
    int terminationLine = 0;
    int lastRecordLine = 0;
    std::uint64_t dataRecords = 0;
    std::optional<std::uint64_t> start;
    std::string header;

    while (lines.next(line)) {
        const int n = lines.lineNumber();
        if (line.empty())
            continue;
        if (terminationLine)
            return recordError(Errc::Schema,
                               "a record after the termination record of line " +
                                   std::to_string(terminationLine),
                               fileName, n, 1);
        if (line.front() != 'S')
            return recordError(Errc::Parse, "an S-record starts with 'S'", fileName, n, 1);
        if (line.size() < 2 || line[1] < '0' || line[1] > '9' || line[1] == '4')
            return recordError(Errc::Schema,
                               line.size() < 2 ? std::string("the record type is missing")
                                               : "unknown record type 'S" + std::string(1, line[1]) +
                                                     "' (S-records have S0-S3 and S5-S9)",
                               fileName, n, 2);
        const int type = line[1] - '0';
        auto decoded = decodeHexPairs(line.substr(2), record, fileName, n, 3);
        if (!decoded)
            return decoded.error();
        const std::size_t size = *decoded;
        if (size == 0)
            return recordError(Errc::Parse, "the record has no byte count", fileName, n, 3);
        const std::size_t count = record[0];
        if (count != size - 1)
            return recordError(Errc::Parse,
                               "the byte count says " + std::to_string(count) +
                                   " bytes follow it, the record has " + std::to_string(size - 1),
                               fileName, n, 3);
        const auto addressLength = static_cast<std::size_t>(kAddressLength[type]);
        if (count < addressLength + 1)
            return recordError(
                Errc::Schema,
                "an S" + std::to_string(type) + " record has a " + std::to_string(addressLength) +
                    "-byte address and a checksum; this one counts only " + std::to_string(count) + " bytes",
                fileName, n, 3);
        std::uint8_t sum = 0;
        for (std::size_t i = 0; i + 1 < size; ++i)
            sum = static_cast<std::uint8_t>(sum + record[i]);
        const auto expected = static_cast<std::uint8_t>(~sum);
        if (record[size - 1] != expected)
            return recordError(Errc::Parse,
                               "wrong checksum " + formatHex(record[size - 1], 2) + ", expected " +
                                   formatHex(expected, 2),
                               fileName, n, static_cast<int>(2 * size + 1));
        lastRecordLine = n;

        const std::span<const std::uint8_t> all(record.data(), size);
        const std::uint64_t address = bigEndian(all.subspan(1, addressLength));
        const std::span<const std::uint8_t> data = all.subspan(1 + addressLength, count - addressLength - 1);
        switch (type) {
        case 0:
            if (header.empty())
                header = headerText(data);
            break;
        case 1:
        case 2:
        case 3:
            ++dataRecords;
            if (auto r = builder.add(address, data, static_cast<std::uint64_t>(n)); !r)
                return r.error();
            break;
        case 5:
        case 6:
            if (address != dataRecords)
                return recordError(Errc::Schema,
                                   "the S" + std::to_string(type) + " count record says " +
                                       std::to_string(address) + " data records, the file has " +
                                       std::to_string(dataRecords) + " before it",
                                   fileName, n, 5);
            break;
        default: // S7, S8, S9
            start = address;
            terminationLine = n;
            break;
        }
    }
    if (lastRecordLine == 0)
        return recordError(Errc::Schema, "no S-records: the file is empty", fileName, 0);
    if (!terminationLine)
        return recordError(Errc::Schema,
                           "no termination record (S7, S8 or S9) after the last record: the file may be "
                           "truncated",
                           fileName, lastRecordLine);
    auto image = std::move(builder).build(ImageFormat::SRecord);
    if (image) {
        image->startAddress = start;
        if (!header.empty())
            image->detail = "S0 header: " + header;
    }
    return image;
}

} // namespace flashplan
