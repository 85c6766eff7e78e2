#include "correct/spelling_variants.h"

#include <algorithm>
#include <cstdlib>
#include <utf8proc.h>

namespace ocrfix::correct {

// Spelling variants that are right in their time and place (rothe/rote, sey/sei,
// studiren/studieren, realise/realize, colour/color, goe/go, himselfe/himself,
// keepe/keep, chaunce/chance, countrey/country, haue/have, vnto/unto) fold to one key
// here; a candidate with the original's key would modernise, not correct. `v` is folded
// to `u` first, so that `haue` and `have` meet before `au` folds to `a` (`chaunce`). That
// also makes `aec` (`avec` with its `v` lost) a variant of `avec`; folding only `aun` to
// `an` avoids it, but lost more on the dev set than it saved: the `au` fold is what keeps
// `aäuf` and `auf` apart, so that the speck is read (dta19: 4 raw edits; docs/BENCHMARKS.md).
// The folds are the language's facts (languages/*.txt), in this order.
std::string spelling_key(std::string_view folded, const ReadingList& folds) {
    std::string key(folded);
    for (const auto& [from, to] : folds)
        for (std::size_t at = key.find(from); at != std::string::npos; at = key.find(from, at + to.size()))
            key.replace(at, from.size(), to);
    // Doubled letters and a final e come and go between spellings.
    std::string collapsed;
    for (const char c : key)
        if (collapsed.empty() || collapsed.back() != c || static_cast<unsigned char>(c) >= 0x80) collapsed += c;
    if (collapsed.size() > 2 && collapsed.back() == 'e') collapsed.pop_back();
    return collapsed;
}

// Early modern English spelled many words with an e that came and went (`yeares`, `knowen`,
// `breakefast`, `countrey`, `entred`): two English words that differ only there are spellings
// of one word, not a misreading. OCR seldom adds an e, but often loses one (`aftr`, `numbr`).
std::string without_inner_e(std::string_view folded) {
    std::string key(folded.substr(0, 1));
    for (const char c : folded.substr(std::min<std::size_t>(1, folded.size())))
        if (c != 'e') key += c;
    return key;
}

namespace {

// A letter's base letter and whether it carries a diaeresis (canonical decomposition).
struct Decomposed {
    char32_t base;
    bool umlaut;
};

Decomposed decompose(char32_t c) {
    utf8proc_int32_t parts[4];
    int last = 0;
    const auto count = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), parts, 4,
                                               static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE), &last);
    if (count < 1 || count > 4) return {c, false};
    bool umlaut = false;
    for (utf8proc_ssize_t k = 1; k < count; ++k) umlaut = umlaut || parts[k] == 0x308;
    return {static_cast<char32_t>(parts[0]), umlaut};
}

}  // namespace

bool drops_doubled_umlaut(std::u32string_view original, std::u32string_view candidate) {
    if (original.size() != candidate.size() + 1) return false;
    std::size_t at = 0;  // the first place they differ: the dropped letter is there or just before
    while (at < candidate.size() && original[at] == candidate[at]) ++at;
    if (original.substr(at + 1) != candidate.substr(at)) return false;
    // Dropping either letter of a pair of equal letters gives the same word: look at both
    // neighbours of the dropped one.
    const Decomposed dropped = decompose(original[at]);
    for (const std::size_t other : {at - 1, at + 1}) {
        if (other >= original.size()) continue;  // at - 1 wraps around at the start
        const Decomposed kept = decompose(original[other]);
        if (kept.base == dropped.base && kept.umlaut != dropped.umlaut) return true;
    }
    return false;
}

std::string strip_diacritics(std::string_view word) {
    utf8proc_uint8_t* stripped = nullptr;
    const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
                                     static_cast<utf8proc_ssize_t>(word.size()), &stripped,
                                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK));
    if (length < 0) return std::string(word);
    std::string result(reinterpret_cast<const char*>(stripped), static_cast<std::size_t>(length));
    std::free(stripped);
    return result;
}

}  // namespace ocrfix::correct
