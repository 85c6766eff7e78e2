#include "correct/word_case.h"

#include <utf8proc.h>

#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

struct CaseCounts {
    bool first_upper = false;  // the first letter
    int upper = 0, lower = 0;  // the letters after it
};

CaseCounts count_case(std::u32string_view word) {
    CaseCounts counts;
    bool first = true;
    for (const char32_t c : word) {
        if (!text::is_letter(c)) continue;
        if (first) counts.first_upper = text::is_upper(c), first = false;
        else if (text::is_upper(c)) ++counts.upper;
        else ++counts.lower;
    }
    return counts;
}

}  // namespace

char32_t to_upper(char32_t c) { return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c))); }
char32_t to_lower(char32_t c) { return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))); }

std::u32string_view case_stem(std::u32string_view word) {
    if (const auto quote = word.find_last_of(U"'’"); quote != std::u32string_view::npos) word.remove_prefix(quote + 1);
    for (const std::u32string_view prefix : {std::u32string_view(U"Mac"), std::u32string_view(U"Mc")})
        if (word.size() > prefix.size() && word.substr(0, prefix.size()) == prefix && text::is_upper(word[prefix.size()]))
            word.remove_prefix(prefix.size());
    return word;
}

bool mostly_upper(std::u32string_view word) {
    const CaseCounts counts = count_case(word);
    const bool all_upper = counts.first_upper && counts.upper > 0 && counts.lower == 0;
    return all_upper || (counts.upper >= 2 && counts.upper > counts.lower);
}

bool small_capitals(std::u32string_view word) {
    if (word.size() < 4 || !text::is_upper(word[0])) return false;
    for (std::size_t k = 1; k < word.size(); ++k)
        if (word[k] >= U'A' && word[k] <= U'Z' && word[k] != U'S' && text::is_lower(word[k - 1])) return true;
    return false;
}

bool is_camel_case(std::string_view word) {
    const std::u32string points = text::to_code_points(word);
    const std::u32string_view stem = case_stem(points);
    std::u32string letters;
    for (const char32_t c : stem)
        if (text::is_letter(c)) letters += c;
    if (letters.size() < 2 || !text::is_upper(letters[0])) return false;
    bool inner_capital = false;
    for (std::size_t i = 1; i < letters.size(); ++i) {
        if (!text::is_upper(letters[i])) continue;
        if (i + 2 >= letters.size() || text::is_upper(letters[i - 1]) || text::is_upper(letters[i + 1]) ||
            text::is_upper(letters[i + 2]))
            return false;
        inner_capital = true;
    }
    return inner_capital;
}

bool has_broken_case(std::string_view word) {
    const std::u32string points = text::to_code_points(word);
    const std::u32string_view stem = case_stem(points);
    if (stem.empty() || !text::is_letter(stem[0])) return false;
    const CaseCounts counts = count_case(stem);
    return counts.upper > 0 && (counts.lower > 0 || !counts.first_upper);
}

bool keeps_capitals(std::u32string_view word, std::string_view reading) {
    const std::u32string target = text::to_code_points(reading);
    for (std::size_t k = 1; k < word.size(); ++k) {
        if (!text::is_upper(word[k])) continue;
        bool kept = false;
        for (std::size_t j = k - 1; j <= k + 1 && j < target.size(); ++j)
            kept = kept || to_lower(target[j]) == to_lower(word[k]);
        if (!kept) return false;
    }
    return true;
}

std::string capitalise(std::string_view word) {
    std::u32string points = text::to_code_points(word);
    if (!points.empty()) points[0] = to_upper(points[0]);
    return text::to_utf8(points);
}

std::string restore_case(std::string_view original, std::string_view folded) {
    const std::u32string source = text::to_code_points(original);
    std::u32string target = text::to_code_points(folded);
    if (source.empty() || target.empty()) return std::string(folded);
    // A word in small capitals keeps them where the reading is the word itself: its
    // capitals are then letters, not misreadings (`MayoR` is MAYOR, `GeneraK` is General).
    const bool case_only = text::fold_for_lookup(original) == folded;
    const bool plain_stem = case_stem(source).size() == source.size();  // no Mc, Mac or O' prefix
    if (mostly_upper(source) || (case_only && plain_stem && small_capitals(source))) {
        for (auto& c : target) c = to_upper(c);
    } else if (text::is_upper(source[0])) {
        target[0] = to_upper(target[0]);
        // A name's inner capital after a Mc/Mac prefix or a short elided one (O', D', L',
        // Qu'), where the candidate has the same prefix (`McOrath` -> `McGrath`, `O'Brlen` ->
        // `O'Brien`). Not after a longer word's apostrophe: `Lord'B` is a misread `Lord's`.
        const std::size_t stem = source.size() - case_stem(source).size();
        const bool elision = stem >= 2 && (source[stem - 1] == U'\'' || source[stem - 1] == U'’');
        if (stem > 0 && stem < target.size() && (!elision || stem <= 3) && text::is_upper(source[stem]) &&
            text::fold_for_lookup(text::to_utf8(target.substr(0, stem))) ==
                text::fold_for_lookup(text::to_utf8(source.substr(0, stem))))
            target[stem] = to_upper(target[stem]);
    }
    // The lexicon folds ß to ss; a word the page spelt with ß keeps it.
    if (source.find(U'ß') != std::u32string::npos)
        if (const auto at = target.find(U"ss"); at != std::u32string::npos) {
            target[at] = U'ß';
            target.erase(at + 1, 1);
        }
    return text::to_utf8(target);
}

}  // namespace ocrfix::correct
