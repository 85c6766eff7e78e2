// The server's JSON answers: a body that never throws while it is written, and the error
// shape every route shares ({"error": {"code", "message"}}).
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ocrfix::server {

// `value` as a response body. Invalid UTF-8 can only come from our own bugs here, but a
// server must never throw while answering: bad bytes are replaced instead.
std::string to_body(const nlohmann::json& value);

void send_json(httplib::Response& response, int status, const nlohmann::json& value);
void send_error(httplib::Response& response, int status, std::string_view code, std::string_view message);

// The error code a bare status gets ("invalid_request" for 400, ...).
const char* reason_code(int status);

inline constexpr const char* kBodyTooLarge =
    "the request body is larger than the server's limit (--max-body); send less text per request";

}  // namespace ocrfix::server
