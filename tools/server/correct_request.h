// The body of POST /v1/correct, parsed and checked before any work is queued.
//
//   {"text": "Ths is a smple txt.", "tier": "balanced", "language": "en"}
//   {"texts": ["first", "second"]}                     a batch, answered as "results"
//   Content-Type: text/plain with the raw text as the body is the same as {"text": body}.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ocrfix::server {

// A request the server refuses: HTTP status, a stable code for programs, a message for people.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }

private:
    int status_;
    std::string code_;
};

struct CorrectRequest {
    std::vector<std::string> texts;
    bool batch = false;    // "texts" was used: answer with "results"
    std::string tier;      // empty: the server's configured tier
    std::string language;  // empty: the server's configured language
    std::string profile;   // empty: the server's configured profile
};

// True when `content_type` ("Text/Plain; charset=utf-8") is `media_type` (lower case), with
// or without parameters.
bool is_media_type(std::string_view content_type, std::string_view media_type);

// Throws ApiError(400) when `tier` (when not empty) is not fast, balanced or accurate, or
// `profile` (when not empty) is not a known profile; the names say how the client named them
// ("\"tier\"", "tier=").
void check_tier_and_profile(const std::string& tier, const std::string& profile, std::string_view tier_name,
                            std::string_view profile_name);

// Throws ApiError: 400 (malformed JSON, wrong field types, unknown fields, bad tier),
// 413 (more texts than `max_batch_texts`), 415 (neither JSON nor plain text).
CorrectRequest parse_correct_request(std::string_view content_type, std::string_view body,
                                     std::size_t max_batch_texts);

}  // namespace ocrfix::server
