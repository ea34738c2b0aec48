// SPDX-License-Identifier: Apache-2.0
#pragma once
// flashplan-cli's text output goes through one filter: names and messages quote input files, whose bytes
// may be binary garbage or terminal controls (an escape sequence that clears the screen or retitles the
// window), and none of those reach the terminal raw.

#include <ostream>
#include <streambuf>
#include <string>

namespace flashplan::cli {

/// A stream buffer in front of another (stdout's, stderr's) that writes everything through
/// escapeForTerminal(): control characters but tab and line feed, and bytes that are not UTF-8, become
/// \xNN. It holds a line until its end, a flush or 4 KiB, and never splits a UTF-8 character: a character
/// written in two pieces is passed whole.
class EscapingStreambuf : public std::streambuf {
public:
    explicit EscapingStreambuf(std::streambuf* target) : target_(target) {}
    ~EscapingStreambuf() override;
    EscapingStreambuf(const EscapingStreambuf&) = delete;
    EscapingStreambuf& operator=(const EscapingStreambuf&) = delete;

protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    /// Writes what is held; `all`: a partial character at its end too (escaped), as nothing follows.
    bool pass(bool all);
    std::streambuf* target_;
    std::string held_;
};

/// An ostream over an EscapingStreambuf.
class EscapingStream : public std::ostream {
public:
    explicit EscapingStream(std::ostream& target) : std::ostream(nullptr), buffer_(target.rdbuf()) {
        rdbuf(&buffer_);
    }

private:
    EscapingStreambuf buffer_;
};

} // namespace flashplan::cli
