// The server's parsing of POST /v1/correct (tools/server/correct_request.h).
//
// Input: a byte for the batch limit (1 to 8 texts), the Content-Type up to the first
// newline, then the body.
//
// Invariants:
// - a request is either parsed or refused with ApiError, a 4xx status, a code and a
//   message; no other exception escapes (a type error from the JSON library would be a 500);
// - a parsed request holds at least one text, exactly one unless it is a batch, never more
//   than the limit, and a tier that is empty or one of fast, balanced, accurate;
// - a text/plain body is the one text, byte for byte;
// - every string read from JSON is valid UTF-8, and the request written back as JSON
//   parses to the same request.
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include "correct_request.h"
#include "fuzz_support.h"
#include "text/utf8.h"

namespace {

using ocrfix::server::ApiError;
using ocrfix::server::CorrectRequest;
using ocrfix::server::parse_correct_request;

bool is_valid(std::string_view text) { return !ocrfix::text::find_invalid_utf8(text); }

bool same(const CorrectRequest& a, const CorrectRequest& b) {
    return a.texts == b.texts && a.batch == b.batch && a.tier == b.tier && a.language == b.language &&
           a.profile == b.profile;
}

nlohmann::json to_json(const CorrectRequest& request) {
    nlohmann::json body = nlohmann::json::object();
    if (request.batch)
        body["texts"] = request.texts;
    else
        body["text"] = request.texts.front();
    if (!request.tier.empty()) body["tier"] = request.tier;
    if (!request.language.empty()) body["language"] = request.language;
    if (!request.profile.empty()) body["profile"] = request.profile;
    return body;
}

bool is_plain_text(std::string_view content_type) {
    std::string lower;
    for (const char c : content_type.substr(0, 10))
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == "text/plain" &&
           (content_type.size() == 10 || content_type[10] == ';' || content_type[10] == ' ');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ocrfix::fuzz::ByteReader reader(data, size);
    const std::size_t max_batch_texts = 1 + reader.byte() % 8;
    const std::string_view content_type = reader.until('\n');
    const std::string_view body = reader.rest();

    CorrectRequest request;
    try {
        request = parse_correct_request(content_type, body, max_batch_texts);
    } catch (const ApiError& error) {
        FUZZ_CHECK(error.status() >= 400 && error.status() < 500);
        FUZZ_CHECK(!error.code().empty() && std::string_view(error.what()).size() > 0);
        return 0;
    }
    FUZZ_CHECK(!request.texts.empty());
    FUZZ_CHECK(request.batch ? request.texts.size() <= max_batch_texts : request.texts.size() == 1);
    FUZZ_CHECK(request.tier.empty() || request.tier == "fast" || request.tier == "balanced" ||
               request.tier == "accurate");
    if (is_plain_text(content_type)) {
        FUZZ_CHECK(!request.batch && request.texts.front() == body);
        return 0;
    }
    for (const auto& text : request.texts) FUZZ_CHECK(is_valid(text));
    FUZZ_CHECK(is_valid(request.language) && is_valid(request.profile));
    const std::string written = to_json(request).dump();
    try {
        FUZZ_CHECK(same(parse_correct_request("application/json", written, max_batch_texts), request));
    } catch (const ApiError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        FUZZ_CHECK(!"the request written back as JSON was refused");
    }
    return 0;
}
