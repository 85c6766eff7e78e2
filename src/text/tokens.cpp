#include "text/tokens.h"

#include <utf8proc.h>

#include <array>

#include "text/utf8.h"

namespace ocrfix::text {

namespace {

// The categories of ASCII, looked up once: most text is ASCII, and the tokeniser and the
// proposer ask for every code point several times.
const std::array<utf8proc_category_t, 128> kAsciiCategories = [] {
    std::array<utf8proc_category_t, 128> table{};
    for (std::size_t c = 0; c < table.size(); ++c) table[c] = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return table;
}();

utf8proc_category_t category(char32_t c) noexcept {
    if (c < kAsciiCategories.size()) return kAsciiCategories[c];
    return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

bool is_mark(char32_t c) noexcept {
    const auto cat = category(c);
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

bool is_word_char(char32_t c) noexcept { return is_letter(c) || is_digit(c) || is_mark(c); }

bool is_apostrophe(char32_t c) noexcept { return c == U'\'' || c == U'\u2019'; }

}  // namespace

bool is_letter_beyond_ascii(char32_t c) noexcept {
    const auto cat = category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool is_upper_beyond_ascii(char32_t c) noexcept { return category(c) == UTF8PROC_CATEGORY_LU; }
bool is_lower_beyond_ascii(char32_t c) noexcept { return category(c) == UTF8PROC_CATEGORY_LL; }

bool is_digit_beyond_ascii(char32_t c) noexcept { return category(c) == UTF8PROC_CATEGORY_ND; }

bool is_space_beyond_ascii(char32_t c) noexcept {
    const auto cat = category(c);
    return c == U'\t' || c == U'\n' || c == U'\r' || c == U'\v' || c == U'\f' ||
           cat == UTF8PROC_CATEGORY_ZS || c == U'\u2028' || c == U'\u2029';
}

std::vector<TextToken> tokenize(std::string_view input) {
    std::vector<TextToken> tokens;
    std::size_t pos = 0;
    while (pos < input.size()) {
        const std::size_t begin = pos;
        const char32_t c = next_code_point(input, pos);
        if (c == U'\n' || c == U'\r') {
            if (c == U'\r' && pos < input.size() && input[pos] == '\n') ++pos;
            tokens.push_back({begin, pos, TokenKind::newline});
        } else if (is_space(c)) {
            std::size_t probe = pos;
            while (probe < input.size()) {
                std::size_t next = probe;
                const char32_t d = next_code_point(input, next);
                if (!is_space(d) || d == U'\n' || d == U'\r') break;
                probe = next;
            }
            pos = probe;
            tokens.push_back({begin, pos, TokenKind::space});
        } else if (is_word_char(c)) {
            bool has_letter = is_letter(c);
            std::size_t probe = pos;
            while (probe < input.size()) {
                std::size_t next = probe;
                const char32_t d = next_code_point(input, next);
                if (is_word_char(d)) {
                    has_letter = has_letter || is_letter(d);
                    probe = next;
                    continue;
                }
                // An apostrophe between two word characters stays inside the word.
                if (is_apostrophe(d) && next < input.size()) {
                    std::size_t after = next;
                    if (is_word_char(next_code_point(input, after))) {
                        probe = next;
                        continue;
                    }
                }
                break;
            }
            pos = probe;
            tokens.push_back({begin, pos, has_letter ? TokenKind::word : TokenKind::number});
        } else {
            tokens.push_back({begin, pos, TokenKind::punctuation});
        }
    }
    return tokens;
}

}  // namespace ocrfix::text
