// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace flashplan {

/// The one error vocabulary of the core. Each code maps to exactly one errno for the flash_area C API
/// (toErrno), so a cause keeps its identity from the simulator up to the C caller.
enum class Errc {
    InvalidArgument, ///< a parameter makes no sense (null buffer, zero-sized run...)      -> EINVAL
    OutOfRange,      ///< an offset or length reaches outside the device or area            -> EINVAL
    Misaligned,      ///< not on a write-block or sector boundary                           -> EINVAL
    NotFound,        ///< no such id, label, board or file                                  -> ENOENT
    NoFlashMap,      ///< the flash_area API was used with no flash map installed            -> EACCES
    NoDevice,        ///< the area's device has no driver bound                              -> ENODEV
    NoMemory,        ///< the caller's buffer is too small                                   -> ENOMEM
    NotSupported,    ///< the device cannot do this (erase on a device without erase)        -> ENOSYS
    ProgramConflict, ///< programming would flip a bit back to its erased state (NOR)        -> EIO
    Io,              ///< the operating system refused a read or write                       -> EIO
    Parse,           ///< malformed input text (XML syntax, number syntax)                   -> EINVAL
    Schema,          ///< well-formed input that breaks the file format's rules              -> EINVAL
    Cancelled,       ///< the user stopped the operation                                     -> ECANCELED
    Timeout,         ///< a device or process did not answer in time                         -> ETIMEDOUT
};

const char* to_string(Errc code);

/// The positive errno value that the flash_area API returns (negated) for this code.
int toErrno(Errc code);

/// Where in an input file an error was found. line/column are 1-based; 0 means unknown.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

/// An error as a value: what went wrong, where, and in which field.
struct Error {
    Errc code = Errc::InvalidArgument;
    std::string message;
    SourceLocation where;
    std::string field; ///< the attribute, element or key the message is about, if any

    /// "file:line:col: field: message", leaving out the parts that are unknown.
    std::string toString() const;
};

inline Error makeError(Errc code, std::string message) {
    return Error{code, std::move(message), {}, {}};
}

} // namespace flashplan
