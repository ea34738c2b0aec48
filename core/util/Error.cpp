// SPDX-License-Identifier: Apache-2.0
#include "util/Error.h"

#include <cerrno>

namespace flashplan {

const char* to_string(Errc code) {
    switch (code) {
    case Errc::InvalidArgument:
        return "invalid argument";
    case Errc::OutOfRange:
        return "out of range";
    case Errc::Misaligned:
        return "misaligned";
    case Errc::NotFound:
        return "not found";
    case Errc::NoFlashMap:
        return "no flash map installed";
    case Errc::NoDevice:
        return "no device driver";
    case Errc::NoMemory:
        return "buffer too small";
    case Errc::NotSupported:
        return "not supported by the device";
    case Errc::ProgramConflict:
        return "program conflict";
    case Errc::Io:
        return "I/O error";
    case Errc::Parse:
        return "parse error";
    case Errc::Schema:
        return "schema error";
    case Errc::Cancelled:
        return "cancelled";
    case Errc::Timeout:
        return "timed out";
    }
    return "unknown error";
}

int toErrno(Errc code) {
    switch (code) {
    case Errc::InvalidArgument:
    case Errc::OutOfRange:
    case Errc::Misaligned:
    case Errc::Parse:
    case Errc::Schema:
        return EINVAL;
    case Errc::NotFound:
        return ENOENT;
    case Errc::NoFlashMap:
        return EACCES;
    case Errc::NoDevice:
        return ENODEV;
    case Errc::NoMemory:
        return ENOMEM;
    case Errc::NotSupported:
        return ENOSYS;
    case Errc::ProgramConflict:
    case Errc::Io:
        return EIO;
    case Errc::Cancelled:
        return ECANCELED;
    case Errc::Timeout:
        return ETIMEDOUT;
    }
    return EINVAL;
}

std::string Error::toString() const {
    std::string out;
    if (!where.file.empty()) {
        out += where.file;
        if (where.line > 0) {
            out += ':' + std::to_string(where.line);
            if (where.column > 0)
                out += ':' + std::to_string(where.column);
        }
        out += ": ";
    }
    if (!field.empty())
        out += field + ": ";
    out += message;
    return out;
}

} // namespace flashplan
