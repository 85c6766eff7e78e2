// The names that reach the model store from users and from the hub: repo ids, revisions,
// file names and ETags, and the hub's answers that carry them. Each becomes part of a URL
// and of a path in the cache, so each is checked here, in one place, before it is used for
// either. Pure functions (no network, no files): fuzz/hub.cpp feeds them any bytes.
//
// A mirror behind HF_ENDPOINT is not trusted: a file name "/etc/x" or "../../x", a commit
// "../x" or an ETag "../x" would otherwise write outside the cache.
#pragma once

#include <string>
#include <string_view>

#include "store/hub.h"

namespace ocrfix::store::hub {

// "" when `repo_id` is a valid hub repo id, else why not. The hub's own rule: NAME or
// ORG/NAME, each part of letters, digits, '-', '_' and '.', not starting or ending with
// '-' or '.', no "--" or "..", at most 96 characters in all.
std::string repo_id_problem(std::string_view repo_id);
// Throws ocrfix::Error(invalid_argument) naming the id and the rule it breaks.
void check_repo_id(std::string_view repo_id);

// A commit hash (40 lower-case hex digits) or a branch or tag name of letters, digits,
// '-', '_' and '.' (not "." or ".."), at most 128 characters: safe as one path component.
bool is_safe_revision(std::string_view revision);

// A relative path inside a repo: '/'-separated components, none empty, "." or "..", no
// backslash, NUL or other control character, not absolute, at most 512 bytes.
bool is_safe_repo_file(std::string_view filename);

// An ETag usable as a blob's file name: 1 to 128 of letters, digits, '-', '_' and '.',
// not "." or "..". The hub's are hashes; a plain web server's look like "65a1b2c3-1f4".
bool is_safe_etag(std::string_view etag);

// The ETag header's value without W/ and quotes.
std::string etag_from_header(std::string_view header);

// The file list of GET /api/models/{repo}/revision/{revision}: {"sha", "siblings":
// [{"rfilename"}]}. Throws ocrfix::Error(download) when the body is not that, or when a
// name in it is unsafe (is_safe_revision, is_safe_repo_file); `endpoint` is named in the
// message.
RepoInfo parse_repo_info(std::string_view body, std::string_view repo_id, std::string_view revision,
                         std::string_view endpoint);

// Throws ocrfix::Error(download): the hub at `endpoint` sent `what` for `repo_id`.
[[noreturn]] void throw_untrusted(std::string_view endpoint, std::string_view repo_id, const std::string& what);

// `text` cut to `limit` bytes with control characters shown as '?': safe to put in a message.
std::string printable_name(std::string_view text, std::size_t limit = 120);

// `path` with every byte outside RFC 3986's unreserved set and '/' percent-encoded.
std::string url_escape_path(std::string_view path);

}  // namespace ocrfix::store::hub
