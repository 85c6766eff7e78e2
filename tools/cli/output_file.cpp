#include "output_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
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

// A run stopped by Ctrl-C or SIGTERM removes the temporary files it is writing: the default
// action would leave them, hidden, beside their targets (a long correction holds one open
// from start to end). Only where nobody else handles the signal (the batch and the server
// do); the handler then stops the process as the signal would have.
constexpr int kWatchedFiles = 4;
char g_temporaries[kWatchedFiles][4096];
std::atomic<int> g_watched[kWatchedFiles] = {};  // lock-free: read in the handler, in any thread
static_assert(std::atomic<int>::is_always_lock_free);
struct sigaction g_previous_int {}, g_previous_term {};
bool g_handlers_installed = false;

extern "C" void remove_temporaries_then_stop(int signal) {
    for (int i = 0; i < kWatchedFiles; ++i)
        if (g_watched[i].load(std::memory_order_acquire)) ::unlink(g_temporaries[i]);
    ::sigaction(signal, signal == SIGINT ? &g_previous_int : &g_previous_term, nullptr);
    ::raise(signal);
}

// Before a temporary file is made, so that no signal finds it made and not yet watched.
void install_signal_handlers() {
    if (!g_handlers_installed) {
        for (const int signal : {SIGINT, SIGTERM}) {
            struct sigaction current {};
            if (::sigaction(signal, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) continue;
            struct sigaction action {};
            action.sa_handler = remove_temporaries_then_stop;
            sigemptyset(&action.sa_mask);  // the other signal waits while one is handled
            sigaddset(&action.sa_mask, SIGINT);
            sigaddset(&action.sa_mask, SIGTERM);
            ::sigaction(signal, &action, signal == SIGINT ? &g_previous_int : &g_previous_term);
        }
        g_handlers_installed = true;
    }
}

// The slot the temporary file `path` is watched in, or -1 when none is free.
int watch_temporary(const std::string& path) {
    for (int i = 0; i < kWatchedFiles; ++i) {
        if (g_watched[i].load(std::memory_order_relaxed) || path.size() >= sizeof g_temporaries[i]) continue;
        std::memcpy(g_temporaries[i], path.c_str(), path.size() + 1);
        g_watched[i].store(1, std::memory_order_release);  // the name is whole before it is watched
        return i;
    }
    return -1;
}

void unwatch_temporary(int slot) {
    if (slot >= 0) g_watched[slot].store(0, std::memory_order_release);
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
    // In an output folder, anything there but a file or a folder (a link, a FIFO that would
    // block the run, a device) is replaced, as if there were no file.
    const bool exists = (links == Links::follow ? ::stat(target_.c_str(), &existing)
                                                : ::lstat(target_.c_str(), &existing)) == 0 &&
                        (links == Links::follow || S_ISREG(existing.st_mode) || S_ISDIR(existing.st_mode));
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
    // Made and watched with Ctrl-C and SIGTERM held back in this thread: one that comes
    // between the two is handled once the file is watched. (A thread of the engine's that
    // takes the signal in that instant leaves the file; the window is a few instructions.)
    install_signal_handlers();
    sigset_t held, previous;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &held, &previous);
    const int fd = ::mkstemp(temporary_.data());  // O_EXCL: never follows a planted link
    const int error_number = errno;
    if (fd >= 0) watched_ = watch_temporary(temporary_);
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (fd < 0) {
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
        ::unlink(temporary_.c_str());
        temporary_.clear();
        unwatch_temporary(watched_);
        watched_ = -1;
        fail("cannot open", error_number);
    }
}

OutputFile::~OutputFile() {
    if (file_ && file_ != stdout) std::fclose(file_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    unwatch_temporary(watched_);
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
    unwatch_temporary(watched_);  // after the rename: a signal before it removes the temporary file
    watched_ = -1;
}

}  // namespace ocrfix::cli
