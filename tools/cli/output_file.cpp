#include "output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ocrfix/error.h"

namespace ocrfix::cli {

namespace fs = std::filesystem;

namespace {

// `path` with its symlinks followed as open(2) would, even when the last one dangles
// (then the file it names is created, as a shell's `>` does).
std::string follow_links(const std::string& path) {
    fs::path current = path;
    for (int hop = 0; hop < 40; ++hop) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(current, ec))) return current.string();
        const fs::path target = fs::read_symlink(current, ec);
        if (ec) return current.string();
        current = target.is_absolute() ? target : current.parent_path() / target;
    }
    return current.string();  // a loop: open() reports ELOOP below
}

mode_t current_umask() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

}  // namespace

OutputFile::OutputFile(const std::string& path, Links links) : path_(path) {
    if (path_.empty()) return;
    target_ = links == Links::follow ? follow_links(path_) : path_;
    struct stat existing {};
    const bool exists = (links == Links::follow ? ::stat(target_.c_str(), &existing)
                                                : ::lstat(target_.c_str(), &existing)) == 0 &&
                        !S_ISLNK(existing.st_mode);  // a link to replace: as if there were no file
    if (exists && S_ISDIR(existing.st_mode))
        throw Error(ErrorCategory::io, "cannot write '" + path_ + "': it is a folder; name a file with -o");
    if (exists && !S_ISREG(existing.st_mode)) {  // a device, FIFO or socket: write into it
        file_ = std::fopen(target_.c_str(), "wb");
        if (!file_) fail("cannot open", errno);
        return;
    }
    const fs::path target(target_);
    std::string hidden(".");  // built in steps: GCC 12 warns wrongly (-Wrestrict) on "." + string
    hidden += target.filename().string();
    hidden += ".ocrfix-XXXXXX";
    temporary_ = (target.parent_path() / hidden).string();
    const int fd = ::mkstemp(temporary_.data());  // O_EXCL: never follows a planted link
    if (fd < 0) {
        const int error_number = errno;
        temporary_.clear();
        fail("cannot create a file in the folder of", error_number);
    }
    if (exists) {
        ::fchmod(fd, existing.st_mode & 07777);
        if (::fchown(fd, existing.st_uid, existing.st_gid) != 0) {
            // Not ours to give away (not root): the file becomes the user's, as with any editor.
        }
    } else {
        ::fchmod(fd, 0666 & ~current_umask());
    }
    file_ = ::fdopen(fd, "wb");
    if (!file_) {
        const int error_number = errno;
        ::close(fd);
        fail("cannot open", error_number);
    }
}

OutputFile::~OutputFile() {
    if (file_ && file_ != stdout) std::fclose(file_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void OutputFile::fail(const std::string& what, int error_number) {
    const std::string where = path_.empty() ? std::string("standard output") : "'" + path_ + "'";
    const std::string hint = error_number == ENOSPC   ? "; free some space and run again"
                             : error_number == EPIPE  ? "; the program reading the output stopped"
                             : error_number == EACCES ? "; check the permissions"
                                                      : "";
    throw Error(ErrorCategory::io, what + " " + where + ": " + std::strerror(error_number) + hint);
}

void OutputFile::write(std::string_view bytes) {
    std::FILE* stream = file_ ? file_ : stdout;
    if (std::fwrite(bytes.data(), 1, bytes.size(), stream) != bytes.size()) fail("writing to", errno);
}

void OutputFile::commit() {
    if (path_.empty()) {
        errno = 0;
        if (std::fflush(stdout) != 0 || std::ferror(stdout)) fail("writing to", errno ? errno : EIO);
        return;
    }
    const bool flushed = std::fflush(file_) == 0 && !std::ferror(file_);
    int error_number = flushed ? 0 : errno;
    if (flushed && !temporary_.empty() && ::fsync(::fileno(file_)) != 0) error_number = errno;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!flushed || error_number != 0 || !closed) fail("writing to", error_number ? error_number : errno);
    if (temporary_.empty()) return;
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail("cannot replace", errno);
    temporary_.clear();
}

}  // namespace ocrfix::cli
