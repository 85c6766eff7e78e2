#include "text/tokens.h"

#include <gtest/gtest.h>

#include <random>

using namespace ocrfix::text;

namespace {

std::vector<std::string> words(std::string_view input) {
    std::vector<std::string> out;
    for (const auto& token : tokenize(input))
        if (token.kind == TokenKind::word) out.emplace_back(token.view(input));
    return out;
}

}  // namespace

TEST(Tokens, SplitsWordsPunctuationAndSpaces) {
    const std::string input = "Ths is a smple txt.\r\nl'homme, 1842!";
    const auto tokens = tokenize(input);
    EXPECT_EQ(words(input), (std::vector<std::string>{"Ths", "is", "a", "smple", "txt", "l'homme"}));
    ASSERT_GE(tokens.size(), 10u);
    EXPECT_EQ(tokens[9].kind, TokenKind::punctuation);  // the full stop
    EXPECT_EQ(tokens[10].kind, TokenKind::newline);
    EXPECT_EQ(tokens[10].view(input), "\r\n");
}

TEST(Tokens, KeepsUnicodeWordsWhole) {
    EXPECT_EQ(words("Größe ſeyn Ελληνικά naïve"), (std::vector<std::string>{"Größe", "ſeyn", "Ελληνικά", "naïve"}));
    const std::string numbers = "1842 3rd";
    const auto tokens = tokenize(numbers);
    EXPECT_EQ(tokens[0].kind, TokenKind::number);
    EXPECT_EQ(tokens[2].kind, TokenKind::word);  // "3rd" holds letters
}

TEST(Tokens, CoverTheInputExactly) {
    std::mt19937 random(7);
    const std::vector<std::string> pieces = {"a", "é", " ", "\n", "\r\n", ".", "'", "😀", "\t", "ſ", "-", "9"};
    for (int round = 0; round < 200; ++round) {
        std::string input;
        for (int i = 0; i < 30; ++i) input += pieces[random() % pieces.size()];
        std::string rebuilt;
        std::size_t cursor = 0;
        for (const auto& token : tokenize(input)) {
            ASSERT_EQ(token.begin, cursor);
            ASSERT_LT(token.begin, token.end);
            rebuilt += token.view(input);
            cursor = token.end;
        }
        ASSERT_EQ(rebuilt, input);
    }
}

TEST(Tokens, AsciiIsAnsweredAsUnicodesCategoriesAnswerIt) {
    // The inline ASCII answers must be the category table's (is_*_beyond_ascii reads it).
    for (char32_t c = 0; c < 0x80; ++c) {
        EXPECT_EQ(is_letter(c), is_letter_beyond_ascii(c)) << static_cast<int>(c);
        EXPECT_EQ(is_upper(c), is_upper_beyond_ascii(c)) << static_cast<int>(c);
        EXPECT_EQ(is_lower(c), is_lower_beyond_ascii(c)) << static_cast<int>(c);
        EXPECT_EQ(is_digit(c), is_digit_beyond_ascii(c)) << static_cast<int>(c);
        EXPECT_EQ(is_space(c), is_space_beyond_ascii(c)) << static_cast<int>(c);
    }
    EXPECT_TRUE(is_letter(U'ſ'));
    EXPECT_TRUE(is_upper(U'Ä'));
    EXPECT_TRUE(is_space(U'\u2028'));
    EXPECT_FALSE(is_space(U'\x1c'));
}
