// UTF-8 validation and code point iteration.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ocrfix::text {

// Byte offset of the first invalid UTF-8 sequence (overlong, surrogate, truncated, > U+10FFFF),
// or nullopt when `text` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept;

// Throws ocrfix::Error(invalid_input) naming the byte offset and line of the first invalid
// sequence. `what` names the input in the message ("stdin", a file name).
void require_valid_utf8(std::string_view text, std::string_view what);

// Decodes the code point starting at `pos` of valid UTF-8 and advances `pos` past it.
// Inline: the lexical proposer decodes every word, and most of their letters are ASCII.
inline char32_t next_code_point(std::string_view text, std::size_t& pos) noexcept {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    std::size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
    if (length > text.size() - pos) length = text.size() - pos;
    char32_t value = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
    for (std::size_t k = 1; k < length; ++k)
        value = (value << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
    pos += length;
    return value;
}

// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace ocrfix::text
