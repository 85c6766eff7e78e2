// Files served by the server as they are (the web page and the OpenAPI document), embedded
// into the binary at build time by embed_files.cmake, so `ocrfix serve` needs no files
// beside it and the page has no build step.
#pragma once

#include <string_view>
#include <vector>

namespace ocrfix::server {

struct WebAsset {
    std::string_view path;          // URL path: "/index.html", "/app.js", "/openapi.json"
    std::string_view content_type;  // "text/html; charset=utf-8"
    std::string_view body;
};

const std::vector<WebAsset>& web_assets();
const WebAsset* find_web_asset(std::string_view path);

}  // namespace ocrfix::server
