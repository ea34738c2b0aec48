// SPDX-License-Identifier: Apache-2.0
#include "image/IntelHex.h"

#include "image/TextRecords.h"
#include "util/Numbers.h"

#include <span>

namespace flashplan {

using namespace records;

namespace {

enum RecordType : std::uint8_t {
    kData = 0x00,
    kEndOfFile = 0x01,
    kExtendedSegmentAddress = 0x02,
    kStartSegmentAddress = 0x03,
    kExtendedLinearAddress = 0x04,
    kStartLinearAddress = 0x05,
};

/// The data length each non-data record type must have.
int requiredLength(std::uint8_t type) {
    switch (type) {
    case kEndOfFile:
        return 0;
    case kExtendedSegmentAddress:
    case kExtendedLinearAddress:
        return 2;
    case kStartSegmentAddress:
    case kStartLinearAddress:
        return 4;
    default:
        return -1;
    }
}

std::uint32_t bigEndian(std::span<const std::uint8_t> bytes) {
    std::uint32_t v = 0;
    for (std::uint8_t b : bytes)
        v = (v << 8) | b;
    return v;
}

} // namespace

Result<Image> parseIntelHex(std::string_view text, const std::string& fileName) {
    ImageBuilder builder(fileName, "line");
    LineReader lines(text);
    std::string_view line;
    RecordBuffer record{};
    int endOfFileLine = 0;
    int lastRecordLine = 0;
    // The address data records are relative to, and whether it came from a type 02 record: segment
    // addressing wraps the offset within 64 KiB, linear addressing wraps the sum at 4 GiB.
    std::uint64_t base = 0;
    bool segmentAddressing = false;
    std::optional<std::uint64_t> start;

    while (lines.next(line)) {
        const int n = lines.lineNumber();
        if (line.empty())
            continue;
        if (endOfFileLine)
            return recordError(Errc::Schema,
                               "a record after the end-of-file record of line " +
                                   std::to_string(endOfFileLine),
                               fileName, n, 1);
        if (line.front() != ':')
            return recordError(Errc::Parse, "an Intel HEX record starts with ':'", fileName, n, 1);
        auto decoded = decodeHexPairs(line.substr(1), record, fileName, n, 2);
        if (!decoded)
            return decoded.error();
        const std::size_t size = *decoded;
        if (size < 5)
            return recordError(
                Errc::Parse,
                "a record has at least 5 bytes (count, address, type, checksum); this one has " +
                    std::to_string(size),
                fileName, n);
        const std::size_t count = record[0];
        if (size != count + 5)
            return recordError(Errc::Parse,
                               "the byte count says " + std::to_string(count) +
                                   " data bytes, the record has " + std::to_string(size - 5),
                               fileName, n, 2);
        std::uint8_t sum = 0;
        for (std::size_t i = 0; i + 1 < size; ++i)
            sum = static_cast<std::uint8_t>(sum + record[i]);
        const auto expected = static_cast<std::uint8_t>(0x100 - sum);
        if (record[size - 1] != expected)
            return recordError(Errc::Parse,
                               "wrong checksum " + formatHex(record[size - 1], 2) + ", expected " +
                                   formatHex(expected, 2),
                               fileName, n, static_cast<int>(2 * size));
        lastRecordLine = n;

        const std::uint8_t type = record[3];
        const std::uint32_t offset = (std::uint32_t(record[1]) << 8) | record[2];
        const std::span<const std::uint8_t> data(record.data() + 4, count);
        if (type != kData) {
            const int required = requiredLength(type);
            if (required < 0)
                return recordError(Errc::Schema,
                                   "unknown record type " + formatHex(type, 2) +
                                       " (Intel HEX has types 00 to 05)",
                                   fileName, n, 8);
            if (static_cast<int>(count) != required)
                return recordError(Errc::Schema,
                                   "a type " + formatHex(type, 2) + " record has " +
                                       std::to_string(required) + " data bytes, this one has " +
                                       std::to_string(count),
                                   fileName, n, 2);
        }
        switch (type) {
        case kData: {
            // The part up to the wrap point, then the rest from where the wrap takes it.
            const std::uint64_t room = segmentAddressing ? 0x10000 - offset : (1ull << 32) - (base + offset);
            const std::size_t first = static_cast<std::size_t>(std::min<std::uint64_t>(room, count));
            if (auto r = builder.add(base + offset, data.first(first), static_cast<std::uint64_t>(n)); !r)
                return r.error();
            const std::uint64_t wrapped = segmentAddressing ? base : 0;
            if (auto r = builder.add(wrapped, data.subspan(first), static_cast<std::uint64_t>(n)); !r)
                return r.error();
            break;
        }
        case kEndOfFile:
            endOfFileLine = n;
            break;
        case kExtendedSegmentAddress:
            base = std::uint64_t(bigEndian(data)) << 4;
            segmentAddressing = true;
            break;
        case kStartSegmentAddress:
            start = (std::uint64_t(bigEndian(data.first(2))) << 4) + bigEndian(data.subspan(2));
            break;
        case kExtendedLinearAddress:
            base = std::uint64_t(bigEndian(data)) << 16;
            segmentAddressing = false;
            break;
        case kStartLinearAddress:
            start = bigEndian(data);
            break;
        default:
            break;
        }
    }
    if (lastRecordLine == 0)
        return recordError(Errc::Schema, "no Intel HEX records: the file is empty", fileName, 0);
    if (!endOfFileLine)
        return recordError(Errc::Schema,
                           "no end-of-file record (:00000001FF) after the last record: the file may be "
                           "truncated",
                           fileName, lastRecordLine);
    auto image = std::move(builder).build(ImageFormat::IntelHex);
    if (image)
        image->startAddress = start;
    return image;
}

} // namespace flashplan
