#include "store/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ocrfix/error.h"

namespace ocrfix::store {

FileLock::FileLock(const std::filesystem::path& path, const std::function<void()>& on_wait) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw Error(ErrorCategory::io, "cannot create the lock file " + path.string() + ": " +
                                           std::strerror(errno) +
                                           ". Check that the model cache folder is writable (HF_HUB_CACHE).");
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (on_wait) on_wait();
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int saved = errno;
        ::close(fd_);
        throw Error(ErrorCategory::io, "cannot lock " + path.string() + ": " + std::strerror(saved));
    }
}

FileLock::~FileLock() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace ocrfix::store
