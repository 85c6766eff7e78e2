// What the model store takes from users and from a hub it does not trust
// (store/hub_names.h): repo ids, revisions, file names, ETags and the file list of
// GET /api/models/{repo}/revision/{rev}.
//
// Input: five fields separated by NUL bytes: repo id, revision, file name, ETag header, and
// the rest is the file list's body.
//
// Invariants:
// - a repo id that passes is the hub's rule (letters, digits, '-', '_', '.', one '/', no ".."
//   or "--", at most 96), makes one folder directly in the cache, and needs no escaping
//   in a URL; one that fails makes check_repo_id throw invalid_argument with a printable
//   message;
// - a revision or ETag that passes is one path component, not "." or "..";
// - a file name that passes stays inside the folder it is joined to;
// - url_escape_path's output holds only unreserved bytes, '/' and %XX, and decodes back;
// - parse_repo_info returns names that all pass, or throws ocrfix::Error(download), and
//   nothing else.
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "ocrfix/error.h"
#include "store/hub_names.h"

namespace {

namespace fs = std::filesystem;
namespace hub = ocrfix::store::hub;

bool printable(std::string_view text) {
    for (const unsigned char c : text)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

bool one_component(std::string_view name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
           name.find('\0') == std::string_view::npos && fs::path(name).filename() == fs::path(name);
}

bool inside(const fs::path& folder, std::string_view relative) {
    const fs::path joined = (folder / fs::path(relative)).lexically_normal();
    const fs::path rest = joined.lexically_relative(folder);
    return !rest.empty() && *rest.begin() != ".." && !rest.is_absolute();
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void check_repo_id(std::string_view id) {
    const std::string problem = hub::repo_id_problem(id);
    bool threw = false;
    try {
        hub::check_repo_id(id);
    } catch (const ocrfix::Error& error) {
        threw = true;
        FUZZ_CHECK(error.category() == ocrfix::ErrorCategory::invalid_argument);
        FUZZ_CHECK(printable(error.what()));
    }
    FUZZ_CHECK(threw == !problem.empty());
    if (!problem.empty()) return;
    FUZZ_CHECK(!id.empty() && id.size() <= 96);
    FUZZ_CHECK(id.find("..") == std::string_view::npos && id.find("--") == std::string_view::npos);
    int slashes = 0;
    for (const unsigned char c : id) {
        FUZZ_CHECK(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/');
        slashes += c == '/';
    }
    FUZZ_CHECK(slashes <= 1);
    FUZZ_CHECK(hub::url_escape_path(id) == id);  // nothing to escape, nothing to reinterpret
    std::string folder = "models--";
    for (const char c : id) folder += c == '/' ? std::string("--") : std::string(1, c);
    FUZZ_CHECK(one_component(folder));
}

void check_url_escape(std::string_view path) {
    const std::string escaped = hub::url_escape_path(path);
    std::string decoded;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        const unsigned char c = escaped[i];
        if (c == '%') {
            FUZZ_CHECK(i + 2 < escaped.size());
            const int high = hex_value(escaped[i + 1]), low = hex_value(escaped[i + 2]);
            FUZZ_CHECK(high >= 0 && low >= 0);
            decoded += static_cast<char>(high * 16 + low);
            i += 2;
            continue;
        }
        FUZZ_CHECK(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/');
        decoded += static_cast<char>(c);
    }
    FUZZ_CHECK(decoded == path);
}

void check_repo_info(std::string_view body, std::string_view repo_id, std::string_view revision) {
    try {
        const hub::RepoInfo info = hub::parse_repo_info(body, repo_id, revision, "http://127.0.0.1:1");
        FUZZ_CHECK(hub::is_safe_revision(info.commit));
        for (const auto& file : info.files) FUZZ_CHECK(hub::is_safe_repo_file(file));
    } catch (const ocrfix::Error& error) {
        FUZZ_CHECK(error.category() == ocrfix::ErrorCategory::download);
        FUZZ_CHECK(printable(error.what()));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ocrfix::fuzz::ByteReader input(data, size);
    const std::string_view repo_id = input.until('\0');
    const std::string_view revision = input.until('\0');
    const std::string_view filename = input.until('\0');
    const std::string_view etag_header = input.until('\0');
    const std::string_view body = input.rest();

    check_repo_id(repo_id);
    if (hub::is_safe_revision(revision)) FUZZ_CHECK(one_component(revision));
    if (hub::is_safe_repo_file(filename)) {
        FUZZ_CHECK(inside("/cache/snapshots/commit", filename));
        FUZZ_CHECK(printable(filename) && filename.find('\\') == std::string_view::npos);
    }
    const std::string etag = hub::etag_from_header(etag_header);
    FUZZ_CHECK(etag.find('"') == std::string::npos);
    if (hub::is_safe_etag(etag)) FUZZ_CHECK(one_component(etag));
    check_url_escape(filename);
    const std::string shown = hub::printable_name(body);
    FUZZ_CHECK(printable(shown) && shown.size() <= 120);
    check_repo_info(body, repo_id.empty() ? "org/name" : repo_id, revision.empty() ? "main" : revision);
    return 0;
}
