// Text normalisations: case folding for lexicon lookup, and the HIPE-OCRepair scoring view.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ocrfix::text {

// Unicode case folding plus the historical/typographic variants a lexicon lookup should
// see through: ſ->s, ß->ss, ligatures ﬁ/ﬂ/ﬀ expanded, ’->'. For lookup only, never output.
std::string fold_for_lookup(std::string_view word);

// Lower-cases with Unicode simple mappings.
std::string to_lower(std::string_view text);

// The HIPE-OCRepair normalisation as ../shared/tools/cer.py applies it: lower case; ß->ss,
// ꝛ->r, œ->oe, æ->ae, a/o/u + combining e -> ä/ö/ü; "—\n" and "¬\n" removed; every
// character that is not a letter or number becomes a space; runs of spaces collapse.
std::string hipe_normalize(std::string_view text);

// Splits at white space the way Python's str.split() does.
std::vector<std::string_view> split_whitespace(std::string_view text);

// The code points of valid UTF-8.
std::u32string to_code_points(std::string_view text);
std::string to_utf8(std::u32string_view code_points);
// `c` in UTF-8 at the end of `out` (inline for ASCII, which most letters are).
void append_utf8_multibyte(std::string& out, char32_t c);
inline void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) out.push_back(static_cast<char>(c));
    else append_utf8_multibyte(out, c);
}

}  // namespace ocrfix::text
