// The routes the server answers, listed once: the check made before a request's body is read
// (404, 405 with Allow, 401), and the metrics' route labels read this table.
#pragma once

#include <string_view>

namespace ocrfix::server {

struct Route {
    std::string_view path;
    std::string_view method;  // "GET" (HEAD too) or "POST"
    bool needs_token;         // when the server has one
};

inline constexpr Route kRoutes[] = {
    {"/v1/correct", "POST", true},
    {"/v1/ocr", "POST", true},
    {"/v1/models", "GET", true},
    {"/healthz", "GET", false},
    {"/metrics", "GET", true},
    {"/openapi.json", "GET", false},
    {"/", "GET", false},
    {"/index.html", "GET", false},
    {"/app.js", "GET", false},
    {"/style.css", "GET", false},
};

// The route at `path` exactly; nullptr when there is none.
constexpr const Route* find_route(std::string_view path) {
    for (const Route& route : kRoutes)
        if (route.path == path) return &route;
    return nullptr;
}

constexpr bool allows(const Route& route, std::string_view method) {
    return method == route.method || (route.method == "GET" && method == "HEAD");
}

// Only POST routes read a body; any other request that carries one is refused unread.
constexpr bool takes_body(const Route& route) { return route.method == "POST"; }

// The Allow header of a 405 on `route`.
constexpr std::string_view allowed_methods(const Route& route) {
    return route.method == "GET" ? "GET, HEAD" : route.method;
}

}  // namespace ocrfix::server
