// The Hugging Face hub's HTTP API as the model store uses it, and the environment that
// configures it (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE), read the way huggingface_hub does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ocrfix::store::hub {

// $HF_ENDPOINT without a trailing '/', else the public hub.
std::string endpoint();
// HF_HUB_OFFLINE is 1, true, yes or on (any case).
bool offline();
// $HF_TOKEN, else the file $HF_TOKEN_PATH, else $HF_HOME/token; "" when there is none.
std::string token();

struct RepoInfo {
    std::string commit;              // the revision's commit hash (names the snapshot)
    std::vector<std::string> files;  // every file of the repo at that commit
};
// GET {endpoint}/api/models/{repo}/revision/{revision}. Throws ocrfix::Error naming the repo
// (model_not_found for 404, download for 401/403, network errors and anything else).
RepoInfo repo_info(std::string_view repo_id, std::string_view revision = "main");

struct FileInfo {
    std::string etag;        // the LFS sha256 for large files, else the git blob id
    std::uint64_t size = 0;  // 0 when the hub did not say
    std::string url;         // the resolve URL to GET (it may redirect to a CDN)
};
// HEAD {endpoint}/{repo}/resolve/{revision}/{filename} without following the redirect to
// the CDN, so that the hub's X-Linked-Etag / X-Linked-Size are read.
FileInfo file_info(std::string_view repo_id, std::string_view revision, std::string_view filename);

// True when `etag` is a sha256 (64 hex digits): the hub's etag for LFS files.
bool is_sha256(std::string_view etag);

// Throws the ocrfix::Error that an HTTP failure deserves: it names the repo, the file and
// what to do next. `status` 0 means a transport error described by `transport_error`.
[[noreturn]] void throw_http_error(long status, const std::string& transport_error, std::string_view repo_id,
                                   std::string_view filename, std::string_view url);

}  // namespace ocrfix::store::hub
