#include "text/utf8.h"

#include <gtest/gtest.h>

#include "ocrfix/error.h"

using ocrfix::text::find_invalid_utf8;

TEST(Utf8, AcceptsValidTextInManyScripts) {
    EXPECT_FALSE(find_invalid_utf8(""));
    EXPECT_FALSE(find_invalid_utf8("plain ASCII\n"));
    EXPECT_FALSE(find_invalid_utf8("Größe, élève, Ελληνικά, 日本語, emoji 😀"));
}

TEST(Utf8, FindsTheFirstBadByte) {
    EXPECT_EQ(find_invalid_utf8("ab\xff"), 2u);                 // never valid
    EXPECT_EQ(find_invalid_utf8("ab\xc3"), 2u);                 // truncated sequence
    EXPECT_EQ(find_invalid_utf8("\xc0\xaf"), 0u);               // overlong '/'
    EXPECT_EQ(find_invalid_utf8("x\xed\xa0\x80"), 1u);          // UTF-16 surrogate
    EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u);       // above U+10FFFF
    EXPECT_EQ(find_invalid_utf8(std::string("a\0b\xe2\x82", 5)), 3u);  // NUL is valid, the tail is not
}

TEST(Utf8, ErrorNamesOffsetAndLine) {
    try {
        ocrfix::text::require_valid_utf8("line one\nline \xff two", "page.txt");
        FAIL() << "expected an error";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::invalid_input);
        const std::string message = error.what();
        EXPECT_NE(message.find("page.txt"), std::string::npos);
        EXPECT_NE(message.find("offset 14"), std::string::npos);
        EXPECT_NE(message.find("line 2"), std::string::npos);
    }
}

TEST(Utf8, CountsCodePoints) {
    EXPECT_EQ(ocrfix::text::count_code_points("Größe 😀"), 7u);
    std::string text = "aé😀";
    std::size_t pos = 0;
    EXPECT_EQ(ocrfix::text::next_code_point(text, pos), U'a');
    EXPECT_EQ(ocrfix::text::next_code_point(text, pos), U'é');
    EXPECT_EQ(ocrfix::text::next_code_point(text, pos), U'😀');
    EXPECT_EQ(pos, text.size());
}
