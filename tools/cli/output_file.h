// Where `ocrfix correct` writes: stdout, or the file -o names, written so that a failed run
// never leaves half a result where a complete one is expected, and so that -o writes INTO
// what it names rather than replacing it:
//   - a regular file (or a new one) is written to a fresh temporary file beside it
//     (created exclusively, with the old file's mode and owner) and renamed over it;
//   - a symlink is followed: its target is written, the link stays;
//   - a device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written directly.
// Every write and the final flush are checked: a full disk or a closed pipe is an error
// (ocrfix::Error io, exit 4), on stdout too. A run stopped by Ctrl-C or SIGTERM removes its
// temporary file before it stops.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace ocrfix::cli {

class OutputFile {
public:
    // What a symlink at the path means: -o writes into what it names (follow); a file of an
    // output folder replaces a link (or a FIFO, a device) planted there instead of writing
    // where it points.
    enum class Links { follow, replace };

    // "" is stdout. Throws ocrfix::Error(io) when the path cannot be written.
    explicit OutputFile(const std::string& path, Links links = Links::follow);
    ~OutputFile();  // without commit(): the temporary file is removed, the target untouched
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    void write(std::string_view bytes);
    // Flushes, checks, and puts the file in place.
    void commit();
    bool is_stdout() const { return path_.empty(); }

private:
    [[noreturn]] void fail(const std::string& what, int error_number);

    std::string path_;       // as given
    std::string target_;     // what is written: the path with its symlinks followed
    std::string temporary_;  // "" when writing directly
    int watched_ = -1;       // its slot among the files a Ctrl-C or SIGTERM removes
    std::FILE* file_ = nullptr;
};

}  // namespace ocrfix::cli
