#include "json_answer.h"

namespace ocrfix::server {

std::string to_body(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_json(httplib::Response& response, int status, const nlohmann::json& value) {
    response.status = status;
    response.set_content(to_body(value), "application/json");
}

void send_error(httplib::Response& response, int status, std::string_view code, std::string_view message) {
    send_json(response, status, {{"error", {{"code", code}, {"message", message}}}});
}

const char* reason_code(int status) {
    switch (status) {
        case 400: return "invalid_request";
        case 401: return "unauthorized";
        case 404: return "not_found";
        case 405: return "method_not_allowed";
        case 413: return "payload_too_large";
        case 429: return "queue_full";
        case 501: return "not_implemented";
        case 503: return "unavailable";
        case 504: return "timeout";
        default: return status >= 500 ? "internal_error" : "error";
    }
}

}  // namespace ocrfix::server
