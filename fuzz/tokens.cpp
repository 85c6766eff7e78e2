// Tokenization (text/tokens.h) and white-space splitting (text/normalize.h). Input: any
// bytes; the checks on kinds and code points run on the longest valid UTF-8 prefix.
//
// Invariants of tokenize():
// - tokens are non-empty, contiguous and cover the input: concatenated, they give it back
//   (also for invalid UTF-8, which must never lead outside the input);
// - on valid text every token starts and ends on a code point boundary;
// - a newline token is "\n", "\r\n" or "\r", and "\r\n" is never split;
// - a space token holds white space only, no line break, and is never followed by another;
// - a word holds a letter, a number none; both hold letters, digits and marks, with
//   apostrophes only between two of those; two of them never follow each other;
// - punctuation is one code point that could start no other kind.
// Invariants of split_whitespace(): views into the input, in order, non-empty, free of
// white space, and every non-space code point lies in one.
#include <utf8proc.h>

#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace {

using ocrfix::text::TextToken;
using ocrfix::text::TokenKind;

bool is_continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

bool is_word_or_number(const TextToken& token) {
    return token.kind == TokenKind::word || token.kind == TokenKind::number;
}

std::vector<char32_t> code_points_of(std::string_view text) {
    std::vector<char32_t> out;
    for (std::size_t pos = 0; pos < text.size();) out.push_back(ocrfix::text::next_code_point(text, pos));
    return out;
}

bool is_line_break(char32_t c) { return c == U'\n' || c == U'\r'; }
bool is_apostrophe(char32_t c) { return c == U'\'' || c == U'\u2019'; }
// Letters, digits and marks: what a word is made of.
bool is_word_char(char32_t c) {
    const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return ocrfix::text::is_letter(c) || ocrfix::text::is_digit(c) || category == UTF8PROC_CATEGORY_MN ||
           category == UTF8PROC_CATEGORY_MC || category == UTF8PROC_CATEGORY_ME;
}
// White space as Python's str.split() sees it, which split_whitespace() follows.
bool is_python_space(char32_t c) {
    return ocrfix::text::is_space(c) || (c >= 0x1C && c <= 0x1F) || c == 0x85;
}

void check_cover(std::string_view input, const std::vector<TextToken>& tokens) {
    std::size_t cursor = 0;
    std::string joined;
    for (const auto& token : tokens) {
        FUZZ_CHECK(token.begin == cursor);
        FUZZ_CHECK(token.end > token.begin && token.end <= input.size());
        joined += token.view(input);
        cursor = token.end;
    }
    FUZZ_CHECK(cursor == input.size());
    FUZZ_CHECK(joined == input);
}

void check_kinds(std::string_view input, const std::vector<TextToken>& tokens) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const TextToken& token = tokens[i];
        const std::string_view view = token.view(input);
        FUZZ_CHECK(!is_continuation(input[token.begin]));
        FUZZ_CHECK(token.end == input.size() || !is_continuation(input[token.end]));
        const auto points = code_points_of(view);
        const TextToken* next = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
        switch (token.kind) {
            case TokenKind::newline:
                FUZZ_CHECK(view == "\n" || view == "\r\n" || view == "\r");
                FUZZ_CHECK(!(view == "\r" && next && input[next->begin] == '\n'));
                break;
            case TokenKind::space:
                for (const char32_t c : points) FUZZ_CHECK(ocrfix::text::is_space(c) && !is_line_break(c));
                FUZZ_CHECK(!next || next->kind != TokenKind::space);
                break;
            case TokenKind::word:
            case TokenKind::number: {
                bool has_letter = false;
                for (std::size_t k = 0; k < points.size(); ++k) {
                    has_letter = has_letter || ocrfix::text::is_letter(points[k]);
                    if (is_apostrophe(points[k]))
                        FUZZ_CHECK(k > 0 && k + 1 < points.size() && is_word_char(points[k - 1]) &&
                                   is_word_char(points[k + 1]));
                    else
                        FUZZ_CHECK(is_word_char(points[k]));
                }
                FUZZ_CHECK(has_letter == (token.kind == TokenKind::word));
                FUZZ_CHECK(!next || !is_word_or_number(*next));
                break;
            }
            case TokenKind::punctuation:
                FUZZ_CHECK(points.size() == 1);
                FUZZ_CHECK(!ocrfix::text::is_space(points[0]) && !is_word_char(points[0]));
                break;
        }
    }
}

void check_split(std::string_view input) {
    const auto words = ocrfix::text::split_whitespace(input);
    const char* cursor = input.data();
    std::size_t covered = 0;
    for (const auto word : words) {
        FUZZ_CHECK(!word.empty());
        FUZZ_CHECK(word.data() >= cursor && word.data() + word.size() <= input.data() + input.size());
        for (const char32_t c : code_points_of(word)) FUZZ_CHECK(!is_python_space(c));
        cursor = word.data() + word.size();
        covered += word.size();
    }
    std::size_t non_space = 0;
    for (std::size_t pos = 0; pos < input.size();) {
        const std::size_t before = pos;
        const char32_t c = ocrfix::text::next_code_point(input, pos);
        if (!is_python_space(c)) non_space += pos - before;
    }
    FUZZ_CHECK(covered == non_space);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_cover(input, ocrfix::text::tokenize(input));
    (void)ocrfix::text::split_whitespace(input);

    const std::size_t valid_size = ocrfix::text::find_invalid_utf8(input).value_or(input.size());
    const std::string_view valid = input.substr(0, valid_size);
    const auto tokens = ocrfix::text::tokenize(valid);
    check_cover(valid, tokens);
    check_kinds(valid, tokens);
    check_split(valid);
    return 0;
}
