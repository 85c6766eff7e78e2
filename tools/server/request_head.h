// What the server answers from a request's head alone, before any of its body is read:
// how the body is framed, the route and method, the token, the declared size.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace ocrfix::server {

// How the request says where its body ends (RFC 9112, 6.1 and 6.3). A request framed two
// ways, or in a way httplib would guess at, would be read one way here and another by a proxy
// in front: the rest of its body would pass for a second request (request smuggling). Returns
// the status (400, or 501 for a transfer coding other than one `chunked`) and the message, or
// nothing when the framing is sound.
std::optional<std::pair<int, std::string>> framing_problem(const httplib::Request& request);

// Whether the request carries `token` as "Authorization: Bearer <token>" (always, when
// `token` is empty), compared in time independent of where the strings differ.
bool has_token(const httplib::Request& request, const std::string& token);

// Answers what must not reach a handler: a bad framing (framing_problem), an unknown route
// (404), a wrong method (405, with Allow), a missing token (401), a body where none is taken
// (400), one declared larger than `max_body_bytes` (413), a multipart body (415). A body the
// request carries is then left unread, and the connection closes after the answer. Returns
// whether it answered.
bool refuse_from_head(const httplib::Request& request, httplib::Response& response, std::size_t max_body_bytes,
                      const std::string& token);

}  // namespace ocrfix::server
