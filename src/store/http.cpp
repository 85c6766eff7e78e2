#include "store/http.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace ocrfix::store::http {

namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Transfer {
    Response* response = nullptr;
    std::FILE* file = nullptr;
    const TransferProgress* progress = nullptr;
    bool restart_if_full = false;  // a Range was asked: a 200 means the server sends all again
};

std::string trim(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    std::size_t start = 0;
    while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
    return text.substr(start);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::string line(data, size * count);
    if (line.starts_with("HTTP/")) {
        // A new response starts (after a redirect); on_body needs its status before
        // curl_easy_perform returns.
        transfer->response->headers.clear();
        const auto space = line.find(' ');
        transfer->response->status = space == std::string::npos ? 0 : std::atol(line.c_str() + space + 1);
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        transfer->response->headers[name] = trim(line.substr(colon + 1));
    }
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    if (!transfer->file) {
        transfer->response->body.append(data, bytes);
        return bytes;
    }
    // Only a successful body goes to the file: an HTML error page must not become "model".
    if (transfer->response->status != 200 && transfer->response->status != 206) return bytes;
    if (transfer->restart_if_full) {
        transfer->restart_if_full = false;
        if (transfer->response->status == 200) {  // Range ignored: drop what we had, take it all
            std::fflush(transfer->file);
            if (::ftruncate(::fileno(transfer->file), 0) != 0) {
                transfer->response->write_errno = errno;
                return 0;
            }
            std::fseek(transfer->file, 0, SEEK_SET);
        }
    }
    errno = 0;
    const size_t written = std::fwrite(data, 1, bytes, transfer->file);
    transfer->response->bytes_written += written;
    if (written != bytes) transfer->response->write_errno = errno ? errno : EIO;
    return written;  // short write aborts the transfer with CURLE_WRITE_ERROR (disk full)
}

int on_progress(void* user, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t) {
    auto* transfer = static_cast<Transfer*>(user);
    if (transfer->progress && *transfer->progress)
        (*transfer->progress)(static_cast<std::uint64_t>(done), static_cast<std::uint64_t>(total));
    return 0;
}

Response perform(const Request& request, bool head_only, std::FILE* file, const TransferProgress* progress) {
    global_init();
    Response response;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        response.transport_error = "curl_easy_init failed";
        return response;
    }
    Transfer transfer{&response, file, progress, request.resume_from > 0};
    std::unique_ptr<curl_slist, ListDeleter> headers;
    auto add_header = [&headers](const std::string& header) {
        headers.reset(curl_slist_append(headers.release(), header.c_str()));
    };
    if (!request.bearer_token.empty()) add_header("Authorization: Bearer " + request.bearer_token);
    // Sizes and etags must describe the bytes on disk, not a compressed stream.
    add_header("Accept-Encoding: identity");
    add_header("User-Agent: ocrfix/0.1");

    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_s);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
    if (head_only) curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    if (request.resume_from > 0)
        curl_easy_setopt(handle, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(request.resume_from));
    if (progress) {
        curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &transfer);
        curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    }
    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK) response.transport_error = curl_easy_strerror(code);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    if (status != 0) response.status = status;
    char* effective = nullptr;
    curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective);
    if (effective) response.effective_url = effective;
    return response;
}

}  // namespace

std::string Response::header(const std::string& lower_case_name) const {
    const auto found = headers.find(lower_case_name);
    return found == headers.end() ? std::string() : found->second;
}

Response head(const Request& request) {
    return perform(request, true, nullptr, nullptr);
}
Response get(const Request& request) {
    return perform(request, false, nullptr, nullptr);
}
Response download(const Request& request, std::FILE* file, const TransferProgress& progress) {
    return perform(request, false, file, &progress);
}

}  // namespace ocrfix::store::http
