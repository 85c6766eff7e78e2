// Parsing POST /v1/correct bodies (no model, no HTTP): what is accepted, and the status and
// code of what is refused.
#include <gtest/gtest.h>

#include "correct_request.h"

namespace {

using ocrfix::server::ApiError;
using ocrfix::server::parse_correct_request;

int status_of(std::string_view content_type, std::string_view body) {
    try {
        parse_correct_request(content_type, body, 3);
    } catch (const ApiError& error) {
        return error.status();
    }
    return 200;
}

TEST(CorrectRequest, OneTextWithTierAndLanguage) {
    const auto request = parse_correct_request("application/json; charset=utf-8",
                                               R"({"text": "Ths", "tier": "fast", "language": "en"})", 3);
    EXPECT_EQ(request.texts, std::vector<std::string>{"Ths"});
    EXPECT_FALSE(request.batch);
    EXPECT_EQ(request.tier, "fast");
    EXPECT_EQ(request.language, "en");
}

TEST(CorrectRequest, AProfileByNameOnly) {
    EXPECT_EQ(parse_correct_request("application/json", R"({"text": "a", "profile": "hipe"})", 3).profile, "hipe");
    EXPECT_EQ(status_of("application/json", R"({"text": "a", "profile": "../../etc/passwd"})"), 400);
    EXPECT_EQ(status_of("application/json", R"({"text": "a", "profile": 3})"), 400);
}

TEST(CorrectRequest, BatchAndPlainText) {
    const auto batch = parse_correct_request("application/json", R"({"texts": ["a", "b"]})", 3);
    EXPECT_TRUE(batch.batch);
    EXPECT_EQ(batch.texts.size(), 2u);
    EXPECT_TRUE(batch.tier.empty());
    const auto plain = parse_correct_request("Text/Plain", "raw {not json}", 3);
    EXPECT_EQ(plain.texts, std::vector<std::string>{"raw {not json}"});
}

TEST(CorrectRequest, RefusalsCarryTheirStatus) {
    EXPECT_EQ(status_of("application/json", "{"), 400);
    EXPECT_EQ(status_of("application/json", R"({"text": "a", "texts": ["b"]})"), 400);
    EXPECT_EQ(status_of("application/json", R"({})"), 400);
    EXPECT_EQ(status_of("application/json", R"({"text": "a", "tier": "turbo"})"), 400);
    EXPECT_EQ(status_of("application/json", R"({"text": "a", "extra": 1})"), 400);
    EXPECT_EQ(status_of("application/json", R"({"texts": ["a", 2]})"), 400);
    EXPECT_EQ(status_of("application/json", R"({"texts": ["a", "b", "c", "d"]})"), 413);
    EXPECT_EQ(status_of("application/xml", "<a/>"), 415);
    EXPECT_EQ(status_of("application/json", "{\"text\": \"caf\xe9\"}"), 400);
}

}  // namespace
