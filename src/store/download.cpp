#include "store/download.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "ocrfix/error.h"
#include "store/file_lock.h"
#include "store/http.h"
#include "store/hub.h"
#include "store/hub_names.h"
#include "store/model_store.h"
#include "store/sha256.h"

namespace ocrfix::store {

namespace fs = std::filesystem;

namespace {

// Tries per file; each retry resumes where the previous one stopped.
constexpr int kAttempts = 5;

std::string label(std::string_view repo_id, std::string_view filename) {
    return std::string(repo_id) + "/" + std::string(filename);
}

std::uint64_t size_or_zero(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

// Appends the rest of `url` to `partial`, retrying dropped connections with Range.
void fetch_into(const fs::path& partial, const hub::FileInfo& info, std::string_view repo_id,
                std::string_view filename, const ProgressCallback& progress) {
    std::string last_error;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        std::uint64_t offset = size_or_zero(partial);
        if (info.size > 0 && offset > info.size) {  // not the file we expect: start over
            fs::remove(partial);
            offset = 0;
        }
        if (info.size > 0 && offset == info.size) return;
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(partial.c_str(), "ab"), &std::fclose);
        if (!file)
            throw Error(ErrorCategory::io, "cannot write " + partial.string() + " while downloading " +
                                               label(repo_id, filename) +
                                               ". Check free space and that HF_HUB_CACHE is writable.");
        const http::TransferProgress on_bytes = [&](std::uint64_t done, std::uint64_t total) {
            if (progress)
                progress(
                    {filename, offset + done, info.size > 0 ? info.size : (total > 0 ? offset + total : 0)});
        };
        const http::Response response = http::download(
            {.url = info.url, .bearer_token = hub::token(), .resume_from = offset}, file.get(), on_bytes);
        // A write that failed is no network trouble: retrying cannot help, the user can.
        const int write_errno =
            response.write_errno ? response.write_errno : (std::fflush(file.get()) != 0 ? errno : 0);
        file.reset();
        if (write_errno != 0)
            throw Error(ErrorCategory::io,
                        "writing " + partial.string() + " failed: " + std::strerror(write_errno) +
                            " (disk full or over a file-size limit?). The " + std::to_string(size_or_zero(partial)) +
                            " bytes received are kept there, and the next try resumes from them once there is "
                            "space; set HF_HUB_CACHE to a folder on another disk otherwise.");
        if (response.status == 416) {  // the server has nothing past our offset: our bytes are stale
            fs::remove(partial);
            last_error = "HTTP 416 for a resumed range";
            continue;
        }
        if (response.status >= 400) hub::throw_http_error(response.status, "", repo_id, filename, info.url);
        if (response.ok() && (info.size == 0 || size_or_zero(partial) == info.size)) return;
        last_error =
            response.transport_error.empty() ? "the connection closed early" : response.transport_error;
        if (attempt < kAttempts) std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
    throw Error(ErrorCategory::download,
                "downloading " + label(repo_id, filename) + " from " + hub::endpoint() + " failed " +
                    std::to_string(kAttempts) + " times (" + last_error + "). The " +
                    std::to_string(size_or_zero(partial)) + " bytes received are kept in " +
                    partial.string() +
                    " and the next try resumes from there; check the network or HF_ENDPOINT.");
}

// Deletes the repo folder when a failed download leaves no file in it, so that a failure
// leaves the cache as it was.
void remove_if_empty(const fs::path& repo_dir) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(repo_dir, ec))
        if (!entry.is_directory(ec)) return;
    fs::remove_all(repo_dir, ec);
}

void link_snapshot(const fs::path& pointer, const fs::path& blob) {
    fs::create_directories(pointer.parent_path());
    const fs::path staging = pointer.string() + ".linking";
    std::error_code ec;
    fs::remove(staging, ec);
    fs::create_symlink(fs::relative(blob, pointer.parent_path()), staging, ec);
    if (ec) fs::copy_file(blob, staging, ec);  // filesystems without symlinks get a copy
    if (ec) throw Error(ErrorCategory::io, "cannot create " + pointer.string() + ": " + ec.message());
    fs::rename(staging, pointer);  // atomic: readers see no link or the whole link
}

}  // namespace

fs::path download_to_cache(std::string_view repo_id, std::string_view commit, std::string_view filename,
                           const ProgressCallback& progress) {
    // hub.cpp checks what the hub sends; checked again here, where the names become paths.
    hub::check_repo_id(repo_id);
    if (!hub::is_safe_revision(commit) || !hub::is_safe_repo_file(filename))
        throw Error(ErrorCategory::invalid_argument, "refusing to cache '" + hub::printable_name(commit) + "/" +
                                                         hub::printable_name(filename) +
                                                         "': not a revision and a file inside a repo");
    const fs::path repo_dir = repo_cache_dir(repo_id);
    const fs::path pointer = repo_dir / "snapshots" / std::string(commit) / std::string(filename);
    std::error_code ec;
    if (fs::exists(pointer, ec)) return pointer;

    const hub::FileInfo info = hub::file_info(repo_id, commit, filename);
    const fs::path blob = repo_dir / "blobs" / info.etag;
    const fs::path lock_path = hub_cache_dir() / ".locks" / repo_dir.filename() / (info.etag + ".lock");
    FileLock lock(lock_path, [&] {
        std::cerr << "ocrfix: another process is downloading " << label(repo_id, filename)
                  << "; waiting for it\n";
    });
    if (!fs::exists(blob, ec)) {  // a process that held the lock before us may have finished it
        fs::create_directories(blob.parent_path());
        const fs::path partial = blob.string() + ".incomplete";
        try {
            fetch_into(partial, info, repo_id, filename, progress);
        } catch (const Error&) {
            // Received bytes stay for the next try to resume; an empty start leaves no trace.
            if (size_or_zero(partial) == 0) {
                fs::remove(partial, ec);
                remove_if_empty(repo_dir);
            }
            throw;
        }
        // A size or checksum failure poisons the file: delete it, so nothing bad is cached.
        auto reject = [&](const std::string& message) {
            fs::remove(partial, ec);
            remove_if_empty(repo_dir);
            throw Error(ErrorCategory::download, message);
        };
        if (info.size > 0 && size_or_zero(partial) != info.size)
            reject(label(repo_id, filename) + ": received " + std::to_string(size_or_zero(partial)) +
                   " bytes but the hub announced " + std::to_string(info.size) +
                   "; the file was deleted. Try again, or check HF_ENDPOINT.");
        if (hub::is_sha256(info.etag)) {
            const std::string actual = sha256_file(partial);
            if (actual != info.etag)
                reject(label(repo_id, filename) + ": the downloaded file's sha256 " + actual +
                       " does not match the hub's " + info.etag +
                       "; the file was deleted and nothing was cached. Try again; if it keeps failing, the "
                       "mirror at " +
                       hub::endpoint() + " serves a corrupt copy.");
        }
        fs::rename(partial, blob);
    }
    link_snapshot(pointer, blob);
    return pointer;
}

}  // namespace ocrfix::store
