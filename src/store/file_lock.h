// An exclusive lock between processes on a lock file (flock), so that concurrent processes
// download a model once: the second waits, then finds the finished file.
#pragma once

#include <filesystem>
#include <functional>

namespace ocrfix::store {

class FileLock {
public:
    // Creates the lock file (and its folder) and blocks until the lock is held. `on_wait`
    // runs once if another process holds it, before blocking. Throws ocrfix::Error(io).
    explicit FileLock(const std::filesystem::path& path, const std::function<void()>& on_wait = {});
    ~FileLock();  // releases the lock; the file stays (removing it would race with waiters)
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace ocrfix::store
