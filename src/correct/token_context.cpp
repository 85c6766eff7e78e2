#include "correct/token_context.h"

#include <algorithm>

#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

using text::is_gap;

bool is_single_quote(char32_t c) { return c == U'\'' || c == U'‘' || c == U'’'; }

bool is_stray_mark(char32_t c) {
    return c == U'.' || c == U',' || c == U'!' || c == U'\\' || c == U'/' || c == U':' || c == U';' ||
           c == U'^' || c == U'*' || c == U'|' || c == U'?' || c == U'"';
}

bool ends_sentence(std::string_view mark) { return mark == "." || mark == "!" || mark == "?"; }

bool all_small(std::u32string_view word) {
    return std::all_of(word.begin(), word.end(), [](char32_t c) { return text::is_lower(c); });
}

bool starts_small(std::string_view text, const text::TextToken& token) {
    return token.kind == text::TokenKind::word && text::is_lower(text::to_code_points(token.view(text))[0]);
}

bool after_title(std::string_view text, const Tokens& tokens, std::size_t at, const WordList& titles) {
    std::size_t k = at;
    if (k > 0 && tokens[k - 1].view(text) == ".") --k;
    if (k == 0 || tokens[k - 1].kind != text::TokenKind::word) return false;
    const std::string_view word = tokens[k - 1].view(text);
    const std::u32string points = text::to_code_points(word);
    if (points.size() == 1) return text::is_upper(points[0]);
    return LanguageFacts::contains(titles, word);
}

bool before_name(std::string_view text, const Tokens& tokens, std::size_t i) {
    std::size_t next = i + 1;
    if (next < tokens.size() && tokens[next].view(text) == ".") ++next;
    return next + 1 < tokens.size() && is_gap(tokens[next]) && tokens[next + 1].kind == text::TokenKind::word &&
           text::is_upper(text::to_code_points(tokens[next + 1].view(text))[0]);
}

bool quoted_nearby(std::string_view text, std::size_t begin, std::size_t end, std::size_t reach) {
    std::size_t from = begin > reach ? begin - reach : 0;
    if (const auto newline = text.rfind('\n', begin); newline != std::string_view::npos) from = std::max(from, newline + 1);
    std::size_t to = std::min(text.size(), end + reach);
    if (const auto newline = text.find('\n', end); newline != std::string_view::npos) to = std::min(to, newline);
    // Whole code points only: step off UTF-8 continuation bytes.
    auto continuation = [&](std::size_t at) { return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80; };
    while (from < begin && continuation(from)) ++from;
    while (to > end && continuation(to)) --to;
    const std::u32string line = text::to_code_points(text.substr(from, to - from));
    const std::size_t skip_from = text::to_code_points(text.substr(from, begin - from)).size();
    const std::size_t skip_to = skip_from + text::to_code_points(text.substr(begin, end - begin)).size();
    auto ends_word = [&](std::size_t k) { return k >= line.size() || text::is_space(line[k]); };
    for (std::size_t k = 0; k < line.size(); ++k) {
        if (k >= skip_from && k < skip_to) continue;
        if (!is_single_quote(line[k])) continue;
        const bool opens = (k == 0 || text::is_space(line[k - 1])) && k + 1 < line.size() && text::is_letter(line[k + 1]);
        const bool closes = k > 0 && !text::is_space(line[k - 1]) && ends_word(k + 1);
        if (opens || closes) return true;
    }
    return false;
}

}  // namespace ocrfix::correct
