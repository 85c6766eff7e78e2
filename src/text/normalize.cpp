#include "text/normalize.h"

#include <utf8proc.h>

#include "text/tokens.h"
#include "text/utf8.h"

namespace ocrfix::text {

void append_utf8_multibyte(std::string& out, char32_t c) {
    utf8proc_uint8_t buffer[4];
    const auto size = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
}

namespace {

bool is_python_space(char32_t c) {
    return is_space(c) || (c >= 0x1C && c <= 0x1F) || c == 0x85;
}

bool is_letter_or_number(char32_t c) {
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

}  // namespace

std::u32string to_code_points(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) out.push_back(next_code_point(text, i));
    return out;
}

std::string to_utf8(std::u32string_view code_points) {
    std::string out;
    out.reserve(code_points.size());
    for (const char32_t c : code_points) append_utf8(out, c);
    return out;
}

std::string to_lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();)
        append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(next_code_point(text, i)))));
    return out;
}

std::string fold_for_lookup(std::string_view word) {
    std::string out;
    out.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
        const auto byte = static_cast<unsigned char>(word[i]);
        if (byte < 0x80) {  // what utf8proc_tolower makes of ASCII
            out += static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte);
            ++i;
            continue;
        }
        const char32_t c = next_code_point(word, i);
        switch (c) {
            case U'ſ': out += 's'; break;
            case U'ß': case U'ẞ': out += "ss"; break;
            case U'ﬁ': out += "fi"; break;
            case U'ﬂ': out += "fl"; break;
            case U'ﬀ': out += "ff"; break;
            case U'ﬃ': out += "ffi"; break;
            case U'ﬄ': out += "ffl"; break;
            case U'’': out += '\''; break;
            default: append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
        }
    }
    return out;
}

std::string hipe_normalize(std::string_view text) {
    std::u32string s = to_code_points(to_lower(text));
    std::u32string replaced;
    replaced.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char32_t c = s[i];
        const char32_t next = i + 1 < s.size() ? s[i + 1] : 0;
        if (c == U'ß') { replaced += U"ss"; continue; }
        if (c == U'ꝛ') { replaced += U'r'; continue; }
        if (c == U'œ') { replaced += U"oe"; continue; }
        if (c == U'æ') { replaced += U"ae"; continue; }
        if (next == 0x0364 && (c == U'a' || c == U'o' || c == U'u')) {
            replaced += c == U'a' ? U'ä' : c == U'o' ? U'ö' : U'ü';
            ++i;
            continue;
        }
        if ((c == U'—' || c == U'¬') && next == U'\n') { ++i; continue; }
        replaced += c;
    }
    std::string out;
    bool pending_space = false;
    for (const char32_t c : replaced) {
        if (!is_letter_or_number(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty()) out += ' ';
        pending_space = false;
        append_utf8(out, c);
    }
    return out;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0, start = std::string_view::npos;
    while (i < text.size()) {
        const std::size_t at = i;
        const char32_t c = next_code_point(text, i);
        if (is_python_space(c)) {
            if (start != std::string_view::npos) words.push_back(text.substr(start, at - start));
            start = std::string_view::npos;
        } else if (start == std::string_view::npos) {
            start = at;
        }
    }
    if (start != std::string_view::npos) words.push_back(text.substr(start));
    return words;
}

}  // namespace ocrfix::text
