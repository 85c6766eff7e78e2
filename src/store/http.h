// A small blocking HTTP client over libcurl, for the model store only. curl.h stays in
// http.cpp; callers see plain structs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>

namespace ocrfix::store::http {

struct Request {
    std::string url;
    std::string bearer_token;       // sent as "Authorization: Bearer ..." when not empty
    bool follow_redirects = true;   // a HEAD for metadata sets false to read the hub's headers
    std::uint64_t resume_from = 0;  // > 0 sends "Range: bytes=N-"
    long connect_timeout_s = 30;
    long stall_timeout_s = 60;  // abort when less than 1 byte/s arrives for this long
};

struct Response {
    long status = 0;                             // 0 when no HTTP answer came (see transport_error)
    std::map<std::string, std::string> headers;  // of the last response, names in lower case
    std::string body;                            // for get(); empty for head() and download()
    std::string transport_error;                 // curl's message when the transfer failed
    std::string effective_url;                   // after redirects
    std::uint64_t bytes_written = 0;             // by download(), this call only
    int write_errno = 0;                         // download(): why writing the file failed (ENOSPC...)

    bool ok() const { return transport_error.empty() && status >= 200 && status < 300; }
    std::string header(const std::string& lower_case_name) const;
};

// Progress of one transfer: bytes of this transfer and its announced size (0 = unknown).
using TransferProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

Response head(const Request& request);
Response get(const Request& request);
// GETs into `file` (appending at its current position); a 2xx body is written only when
// the status is 200 or 206, so an error page never lands in a model file.
Response download(const Request& request, std::FILE* file, const TransferProgress& progress);

}  // namespace ocrfix::store::http
