#include "request_head.h"

#include <cctype>
#include <cstdlib>
#include <string_view>

#include "connection_server.h"
#include "json_answer.h"
#include "routes.h"

namespace ocrfix::server {

std::optional<std::pair<int, std::string>> framing_problem(const httplib::Request& request) {
    const std::size_t codings = request.get_header_value_count("Transfer-Encoding");
    const std::size_t lengths = request.get_header_value_count("Content-Length");
    if (codings > 0 && lengths > 0)
        return std::pair{400, std::string("the request has both Transfer-Encoding and Content-Length; send one of them")};
    if (codings > 0) {
        std::string coding = request.get_header_value("Transfer-Encoding");
        for (char& c : coding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (codings > 1 || coding != "chunked")
            return std::pair{501, std::string("the only Transfer-Encoding read is 'chunked', once; send the body "
                                              "uncompressed, chunked or with a Content-Length")};
    }
    const std::string length = request.get_header_value("Content-Length");
    for (std::size_t i = 0; i < lengths; ++i) {
        const std::string value = request.get_header_value("Content-Length", i);
        if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
            return std::pair{400, std::string("the Content-Length header is not a number")};
        if (value != length)
            return std::pair{400, std::string("the request has Content-Length headers that disagree; send one")};
    }
    return std::nullopt;
}

bool has_token(const httplib::Request& request, const std::string& token) {
    if (token.empty()) return true;
    const std::string header = request.get_header_value("Authorization");
    const std::string_view prefix = "Bearer ";
    if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return false;
    const std::string_view given = std::string_view(header).substr(prefix.size());
    // Every byte is compared, so the token cannot be guessed byte by byte from response times.
    unsigned char difference = given.size() == token.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i) difference |= given[i] ^ (i < token.size() ? token[i] : 0);
    return difference == 0;
}

bool refuse_from_head(const httplib::Request& request, httplib::Response& response, std::size_t max_body_bytes,
                      const std::string& token) {
    const Route* route = find_route(request.path);
    const std::string length = request.get_header_value("Content-Length");
    const bool has_body = request.has_header("Transfer-Encoding") || (request.has_header("Content-Length") && length != "0");
    const std::string what = request.method + " " + request.path;
    if (const auto problem = framing_problem(request)) {
        send_error(response, problem->first, reason_code(problem->first), problem->second);
        ConnectionServer::close_after_response(response);  // even where the length said 0
    } else if (!route) {
        send_error(response, 404, "not_found", "no route " + what + "; see /openapi.json");
    } else if (!allows(*route, request.method)) {
        response.set_header("Allow", std::string(allowed_methods(*route)));
        send_error(response, 405, "method_not_allowed",
                   what + " is not allowed; this route answers " + std::string(allowed_methods(*route)));
    } else if (route->needs_token && !has_token(request, token)) {
        response.set_header("WWW-Authenticate", "Bearer");
        send_error(response, 401, "unauthorized", "send the server's token as 'Authorization: Bearer <token>'");
    } else if (has_body && !takes_body(*route)) {
        send_error(response, 400, "invalid_request", what + " takes no request body; send it without one");
    } else if (length.size() > 18 || std::strtoull(length.c_str(), nullptr, 10) > max_body_bytes) {
        send_error(response, 413, "payload_too_large", kBodyTooLarge);
    } else if (request.is_multipart_form_data()) {
        send_error(response, 415, "unsupported_media_type",
                   "multipart bodies are not read; send application/json or text/plain");
    } else {
        return false;
    }
    if (has_body) ConnectionServer::close_after_response(response);
    return true;
}

}  // namespace ocrfix::server
