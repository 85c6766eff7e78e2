#include "store/hub.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "ocrfix/error.h"
#include "store/http.h"
#include "store/hub_names.h"

namespace ocrfix::store::hub {

namespace {

// huggingface_hub's default; HF_ENDPOINT points elsewhere (a company mirror, a test server).
constexpr std::string_view kDefaultEndpoint = "https://huggingface.co";

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::string file_label(std::string_view repo_id, std::string_view filename) {
    return filename.empty() ? "repo " + std::string(repo_id)
                            : std::string(repo_id) + "/" + std::string(filename);
}

}  // namespace

std::string endpoint() {
    std::string value = env("HF_ENDPOINT");
    if (value.empty()) value = kDefaultEndpoint;
    while (value.ends_with('/')) value.pop_back();
    return value;
}

bool offline() {
    std::string value = env("HF_HUB_OFFLINE");
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return value == "1" || value == "true" || value == "yes" || value == "on";
}

std::string token() {
    if (auto value = env("HF_TOKEN"); !value.empty()) return value;
    std::string path = env("HF_TOKEN_PATH");
    if (path.empty() && !env("HF_HOME").empty()) path = env("HF_HOME") + "/token";
    if (path.empty()) return "";
    std::ifstream file(path);
    std::string value;
    std::getline(file, value);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
    return value;
}

bool is_sha256(std::string_view etag) {
    return etag.size() == 64 && std::all_of(etag.begin(), etag.end(), [](unsigned char c) {
               return std::isxdigit(c) && !std::isupper(c);
           });
}

void throw_http_error(long status, const std::string& transport_error, std::string_view repo_id,
                      std::string_view filename, std::string_view url) {
    const std::string what = file_label(repo_id, filename);
    const std::string where = " (" + std::string(url) + ")";
    if (status == 0)
        throw Error(ErrorCategory::download,
                    "could not download " + what + ": the hub at " + endpoint() +
                        " did not answer: " + transport_error +
                        ". Check the network, or set HF_ENDPOINT to a reachable mirror, or " +
                        "set HF_HUB_OFFLINE=1 and pass a local GGUF file with file_model_path (-m).");
    if (status == 401 || status == 403)
        throw Error(
            ErrorCategory::download,
            "the hub refused " + what + " with HTTP " + std::to_string(status) + where +
                ": the repo is private or gated. " +
                (token().empty() ? "Set HF_TOKEN to an access token that may read it."
                                 : "The token in HF_TOKEN has no access to it: accept the model's terms "
                                   "on the hub or use a token that may read it."));
    if (status == 404)
        throw Error(ErrorCategory::model_not_found,
                    "the hub has no " + what + " (HTTP 404" + where +
                        "). Check the repo id and the quantization (hugging_face_repo_id, "
                        "hugging_face_quantization), and HF_ENDPOINT if you use a mirror.");
    throw Error(ErrorCategory::download, "downloading " + what + " failed with HTTP " +
                                             std::to_string(status) + where +
                                             ". Try again later, or set HF_ENDPOINT to another mirror.");
}

RepoInfo repo_info(std::string_view repo_id, std::string_view revision) {
    check_repo_id(repo_id);
    if (!is_safe_revision(revision))
        throw Error(ErrorCategory::invalid_argument, "'" + printable_name(revision) + "' is not a revision name");
    const std::string url =
        endpoint() + "/api/models/" + std::string(repo_id) + "/revision/" + std::string(revision);
    const http::Response response = http::get({.url = url, .bearer_token = token()});
    if (!response.ok())
        throw_http_error(response.transport_error.empty() ? response.status : 0, response.transport_error,
                         repo_id, "", url);
    return parse_repo_info(response.body, repo_id, revision, endpoint());
}

FileInfo file_info(std::string_view repo_id, std::string_view revision, std::string_view filename) {
    check_repo_id(repo_id);
    if (!is_safe_revision(revision) || !is_safe_repo_file(filename))
        throw Error(ErrorCategory::invalid_argument,
                    "'" + printable_name(revision) + "/" + printable_name(filename) + "' is not a revision and file of a repo");
    FileInfo info;
    info.url = endpoint() + "/" + std::string(repo_id) + "/resolve/" + std::string(revision) + "/" +
               url_escape_path(filename);
    std::string url = info.url;
    http::Response response;
    // Follow relative redirects only (a renamed repo); an absolute one goes to the CDN, whose
    // headers no longer carry the hub's etag.
    for (int hop = 0; hop < 5; ++hop) {
        response = http::head({.url = url, .bearer_token = token(), .follow_redirects = false});
        const std::string location = response.header("location");
        if (response.status >= 300 && response.status < 400 && response.header("x-linked-etag").empty() &&
            location.starts_with('/')) {
            url = endpoint() + location;
            continue;
        }
        break;
    }
    const bool redirected = response.status >= 300 && response.status < 400;
    if (!response.transport_error.empty() || (!response.ok() && !redirected))
        throw_http_error(response.transport_error.empty() ? response.status : 0, response.transport_error,
                         repo_id, filename, url);
    info.etag = etag_from_header(!response.header("x-linked-etag").empty() ? response.header("x-linked-etag")
                                                                         : response.header("etag"));
    const std::string size = !response.header("x-linked-size").empty() ? response.header("x-linked-size")
                             : redirected ? std::string()  // the length of the redirect's own body
                                          : response.header("content-length");
    info.size = size.empty() ? 0 : std::strtoull(size.c_str(), nullptr, 10);
    if (info.etag.empty())
        throw Error(ErrorCategory::download,
                    "the hub sent no ETag for " + file_label(repo_id, filename) +
                        ", so the download cannot be verified. Check that HF_ENDPOINT "
                        "points at a Hugging Face hub or a mirror that keeps its headers.");
    if (!is_safe_etag(info.etag))
        throw_untrusted(endpoint(), repo_id, "the ETag '" + printable_name(info.etag) + "' for " + std::string(filename) +
                                     ", which cannot name a file");
    return info;
}

}  // namespace ocrfix::store::hub
