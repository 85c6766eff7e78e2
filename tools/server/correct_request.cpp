#include "correct_request.h"

#include <nlohmann/json.hpp>

#include "ocrfix/error.h"
#include "ocrfix/settings.h"

namespace ocrfix::server {

bool is_media_type(std::string_view content_type, std::string_view media_type) {
    if (content_type.size() < media_type.size()) return false;
    for (std::size_t i = 0; i < media_type.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(content_type[i])) != media_type[i]) return false;
    return content_type.size() == media_type.size() || content_type[media_type.size()] == ';' ||
           content_type[media_type.size()] == ' ';
}

namespace {

[[noreturn]] void bad_request(const std::string& message) { throw ApiError(400, "invalid_request", message); }

std::string optional_string(const nlohmann::json& body, const char* name) {
    if (!body.contains(name) || body[name].is_null()) return {};
    if (!body[name].is_string()) bad_request(std::string("\"") + name + "\" must be a string");
    return body[name].get<std::string>();
}

}  // namespace

void check_tier_and_profile(const std::string& tier, const std::string& profile, std::string_view tier_name,
                            std::string_view profile_name) {
    if (!tier.empty() && tier != "fast" && tier != "balanced" && tier != "accurate")
        bad_request(std::string(tier_name) + " must be one of fast, balanced, accurate");
    if (!profile.empty()) try {
            ModelConfig probe;
            probe.profile = profile;
            validate(probe);
        } catch (const Error& error) {
            bad_request(std::string(profile_name) + ": " + error.what());
        }
}

CorrectRequest parse_correct_request(std::string_view content_type, std::string_view body,
                                     std::size_t max_batch_texts) {
    CorrectRequest request;
    if (is_media_type(content_type, "text/plain")) {
        request.texts.emplace_back(body);
        return request;
    }
    if (!content_type.empty() && !is_media_type(content_type, "application/json"))
        throw ApiError(415, "unsupported_media_type",
                       "send Content-Type: application/json ({\"text\": ...}), text/plain (the raw text), or "
                       "application/xml or application/xhtml+xml (an ALTO, PAGE or hOCR document)");

    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        bad_request("the body is not valid JSON (strings must be UTF-8); send {\"text\": \"...\"}");
    if (!json.is_object()) bad_request("the body must be a JSON object such as {\"text\": \"...\"}");
    for (const auto& [key, value] : json.items())
        if (key != "text" && key != "texts" && key != "tier" && key != "language" && key != "profile")
            bad_request("unknown field \"" + key + "\"; the fields are text, texts, tier, language, profile");

    const bool has_text = json.contains("text");
    const bool has_texts = json.contains("texts");
    if (has_text == has_texts) bad_request("send exactly one of \"text\" (a string) or \"texts\" (an array of strings)");
    if (has_text) {
        if (!json["text"].is_string()) bad_request("\"text\" must be a string");
        request.texts.push_back(json["text"].get<std::string>());
    } else {
        const auto& texts = json["texts"];
        if (!texts.is_array() || texts.empty()) bad_request("\"texts\" must be a non-empty array of strings");
        if (texts.size() > max_batch_texts)
            throw ApiError(413, "batch_too_large",
                           "a batch holds at most " + std::to_string(max_batch_texts) +
                               " texts; split it into several requests");
        for (const auto& text : texts) {
            if (!text.is_string()) bad_request("every item of \"texts\" must be a string");
            request.texts.push_back(text.get<std::string>());
        }
        request.batch = true;
    }
    request.tier = optional_string(json, "tier");
    request.language = optional_string(json, "language");
    request.profile = optional_string(json, "profile");
    check_tier_and_profile(request.tier, request.profile, "\"tier\"", "\"profile\"");
    return request;
}

}  // namespace ocrfix::server
