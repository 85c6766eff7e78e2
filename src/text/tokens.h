// Splitting text into tokens (words, numbers, punctuation, spaces, line breaks) with byte
// offsets into the input, so that every later step can point back at the original bytes.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace ocrfix::text {

enum class TokenKind { word, number, punctuation, space, newline };

struct TextToken {
    std::size_t begin = 0;  // byte offsets into the input
    std::size_t end = 0;
    TokenKind kind = TokenKind::word;

    std::string_view view(std::string_view input) const { return input.substr(begin, end - begin); }
};

// A space or a line break between two tokens.
inline bool is_gap(const TextToken& token) { return token.kind == TokenKind::space || token.kind == TokenKind::newline; }

// Tokens cover the input exactly: concatenating them gives the input back. A word is a run
// of letters, marks and digits that holds at least one letter, with inner apostrophes
// (l'homme stays one token only when no space follows the apostrophe). `newline` is one
// "\n", "\r\n" or "\r"; `space` is a run of other white space.
std::vector<TextToken> tokenize(std::string_view input);

// Unicode's categories (letters: Lu, Ll, Lt, Lm, Lo; digits: Nd; spaces: Zs and the
// ASCII and Unicode line and tab controls). ASCII is answered inline: most text is.
bool is_letter_beyond_ascii(char32_t c) noexcept;
bool is_upper_beyond_ascii(char32_t c) noexcept;
bool is_lower_beyond_ascii(char32_t c) noexcept;
bool is_digit_beyond_ascii(char32_t c) noexcept;
bool is_space_beyond_ascii(char32_t c) noexcept;
inline bool is_letter(char32_t c) noexcept {
    return c < 0x80 ? (c | 0x20) >= U'a' && (c | 0x20) <= U'z' : is_letter_beyond_ascii(c);
}
inline bool is_upper(char32_t c) noexcept { return c < 0x80 ? c >= U'A' && c <= U'Z' : is_upper_beyond_ascii(c); }
inline bool is_lower(char32_t c) noexcept { return c < 0x80 ? c >= U'a' && c <= U'z' : is_lower_beyond_ascii(c); }
inline bool is_digit(char32_t c) noexcept { return c < 0x80 ? c >= U'0' && c <= U'9' : is_digit_beyond_ascii(c); }
inline bool is_space(char32_t c) noexcept {
    return c < 0x80 ? c == U' ' || (c >= U'\t' && c <= U'\r') : is_space_beyond_ascii(c);
}

}  // namespace ocrfix::text
