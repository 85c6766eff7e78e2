// Downloading one file of a hub repo into the local cache, the way huggingface_hub lays it
// out: blobs/<etag> holds the bytes, snapshots/<commit>/<file> links to it.
//
// The bytes go to blobs/<etag>.incomplete first (resumed with Range after a dropped
// connection or an interrupted process), are checked against the hub's sha256, then
// renamed into place atomically. A lock file under <cache>/.locks makes concurrent
// processes download once: the others wait and then use the finished blob.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

namespace ocrfix::store {

struct DownloadProgress {
    std::string_view filename;
    std::uint64_t bytes_done = 0;   // of the whole file, resumed bytes included
    std::uint64_t bytes_total = 0;  // 0 when the server did not say
};
using ProgressCallback = std::function<void(const DownloadProgress&)>;

// Downloads `filename` of `repo_id` at `commit` unless it is cached already, and returns
// its snapshot path. Throws ocrfix::Error (download, model_not_found, io) whose message
// names the repo, the file and what to do next.
std::filesystem::path download_to_cache(std::string_view repo_id, std::string_view commit,
                                        std::string_view filename, const ProgressCallback& progress = {});

}  // namespace ocrfix::store
