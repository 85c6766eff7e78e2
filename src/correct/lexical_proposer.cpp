#include "correct/lexical_proposer.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <utf8proc.h>

#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr double kMaxChannelCost = 6.0;        // beyond this a candidate is a guess, not a reading
// Real-word twins: readings of a word the lexicon lists (`tho` -> `the`). A twin must be
// common (Zipf >= 4.5), far more frequent than the word, and a cheap misreading of it.
struct RealWordTwins {
    std::size_t max_length;  // letters of the listed word
    int min_ratio_centibels;  // the twin is 10^(this/100) times as frequent as the word, or more
    double max_channel_cost;
};
constexpr int kRealWordMaxCentibels = 450;
// English: up to 7 letters, 3.2x, 2.5 nats (`hero` -> `here`, `milo` -> `mile`, `groat` ->
// `great`). Elsewhere: short words, 30x, 2 nats. On the dev set the wider rule gained in
// every English source with no more records harmed; in French and German it gained at most
// 0.1 points and harmed 10 more records (`font` -> `sont`, `feinen` -> `seinen`: f/long-s).
constexpr RealWordTwins kEnglishTwins{7, 50, 2.5};
constexpr RealWordTwins kOtherTwins{4, 150, 2.0};
constexpr int kPartMaxCentibels = 550;         // each half of a split must be a common word
constexpr int kJoinedMaxCentibels = 600;       // a joined or recased reading must be this common (Zipf 3)
// The deeper lookup for garbled words (propose_for_word): words of at least this many
// letters whose cheapest reading costs more than this many nats, through readings with
// up to two misreadings undone, one-letter ones included when they cost at most
// kDeepSingleCost, each within one edit (two from kDeepTwoEditsFrom letters); at most
// kDeepVariants readings.
constexpr std::size_t kDeepMinLength = 5;
constexpr double kDeepWhenCheapestAbove = 2.5;
constexpr double kDeepSingleCost = 1.6;
constexpr std::size_t kDeepVariants = 256;
constexpr std::size_t kDeepTwoEditsFrom = 9;  // letters; shorter words look one edit around each reading

// Marks that OCR makes of a letter or a speck inside a word (`for.une`, `w,is`, `h!s`,
// `sa\\o`, `ni?ht`, `m"n`). Such a word reaches the proposer as one unit (propose); a word
// token never holds them.
bool is_stray_mark(char32_t c) {
    return c == U'.' || c == U',' || c == U'!' || c == U'\\' || c == U'/' || c == U':' || c == U';' ||
           c == U'^' || c == U'*' || c == U'|' || c == U'?' || c == U'"';
}

// Whether a word may get readings. Letters, apostrophes, guillemets and stray marks, and at
// most one digit that reads as a misread letter (`wa3`, `Schoo1`, `6atd`): among at least
// two letters, and not leading fewer than three (`1st`, `4th`, `8vo`, `5s` are no
// misreadings). Other words with digits are left alone: an amount or a date must never be
// guessed.
bool readable_as_word(std::u32string_view word) {
    std::size_t letters = 0, digits = 0;
    for (const char32_t c : word) {
        if (text::is_letter(c)) ++letters;
        else if (text::is_digit(c)) ++digits;
        else if (!(c == U'\'' || c == U'’' || c == U'»' || c == U'«' || is_stray_mark(c))) return false;
    }
    if (digits == 0) return letters > 0;
    if (digits > 1 || letters < 2) return false;
    return !text::is_digit(word.front()) || letters >= 3;
}

// Spelling variants that are right in their time and place (rothe/rote, sey/sei,
// studiren/studieren, realise/realize, colour/color, goe/go, himselfe/himself,
// keepe/keep, chaunce/chance, countrey/country, haue/have, vnto/unto) fold to one key
// here; a candidate with the original's key would modernise, not correct. `v` is folded
// to `u` first, so that `haue` and `have` meet before `au` folds to `a` (`chaunce`). That
// also makes `aec` (`avec` with its `v` lost) a variant of `avec`; folding only `aun` to
// `an` avoids it, but lost more on the dev set than it saved: the `au` fold is what keeps
// `aäuf` and `auf` apart, so that the speck is read (dta19: 4 raw edits; docs/BENCHMARKS.md).
std::string spelling_key(std::string_view folded) {
    static const std::vector<std::pair<std::string, std::string>> variants = {
        {"v", "u"}, {"th", "t"}, {"ie", "i"}, {"ey", "ei"}, {"y", "i"}, {"z", "s"}, {"our", "or"}, {"au", "a"},
        {"dt", "t"}, {"ä", "a"}, {"ö", "o"}, {"ü", "u"}, {"é", "e"}, {"è", "e"}, {"ê", "e"}};
    std::string key(folded);
    for (const auto& [from, to] : variants)
        for (std::size_t at = key.find(from); at != std::string::npos; at = key.find(from, at + to.size()))
            key.replace(at, from.size(), to);
    // Doubled letters and a final e come and go between spellings.
    std::string collapsed;
    for (const char c : key)
        if (collapsed.empty() || collapsed.back() != c || static_cast<unsigned char>(c) >= 0x80) collapsed += c;
    if (collapsed.size() > 2 && collapsed.back() == 'e') collapsed.pop_back();
    return collapsed;
}

// `folded` without the letter e after its first letter. Early modern English spelled many
// words with an e that came and went (`yeares`, `knowen`, `breakefast`, `countrey`, `entred`):
// two English words that differ only there are spellings of one word, not a misreading. OCR
// seldom adds an e, but often loses one (`aftr`, `numbr`).
std::string without_inner_e(std::string_view folded) {
    std::string key(folded.substr(0, 1));
    for (const char c : folded.substr(std::min<std::size_t>(1, folded.size())))
        if (c != 'e') key += c;
    return key;
}

// `word` without its diacritics (`häben` -> `haben`, `océan` -> `ocean`).
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

// The letters after an apostrophe (`d'Aurelles`, `O'Brien`) and after a Mc/Mac prefix
// (`McCaw`, `MacMahon`): the part of a word whose case follows the ordinary pattern.
std::u32string_view case_stem(std::u32string_view word) {
    if (const auto quote = word.find_last_of(U"'’"); quote != std::u32string_view::npos) word.remove_prefix(quote + 1);
    for (const std::u32string_view prefix : {std::u32string_view(U"Mac"), std::u32string_view(U"Mc")})
        if (word.size() > prefix.size() && word.substr(0, prefix.size()) == prefix && text::is_upper(word[prefix.size()]))
            word.remove_prefix(prefix.size());
    return word;
}

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

// A word written in capitals (`BY`), misread letters aside (`COUNTnY`, `LoRD`): every
// letter a capital, or at least two capitals after the first letter and more of them than
// small letters.
bool mostly_upper(std::u32string_view word) {
    const CaseCounts counts = count_case(word);
    const bool all_upper = counts.first_upper && counts.upper > 0 && counts.lower == 0;
    return all_upper || (counts.upper >= 2 && counts.upper > counts.lower);
}

// A word set in small capitals, as OCR reads them (`MayoR`, `ABerDeen`, `PecHeLL`): a capital
// first letter and a capital A-Z after a small letter, in a word of at least four letters.
// The Fraktur long s read as a capital (`DaS`, `SonntagSarbeit`) is no such capital, nor is
// an accented one (`HanoÏ` is Hanoï).
bool small_capitals(std::u32string_view word) {
    if (word.size() < 4 || !text::is_upper(word[0])) return false;
    for (std::size_t k = 1; k < word.size(); ++k)
        if (word[k] >= U'A' && word[k] <= U'Z' && word[k] != U'S' && text::is_lower(word[k - 1])) return true;
    return false;
}

bool is_single_quote(char32_t c) { return c == U'\'' || c == U'‘' || c == U'’'; }

bool ends_sentence(std::string_view mark) { return mark == "." || mark == "!" || mark == "?"; }

using text::is_gap;

// Whether every letter of `word` is small (a digit or a mark is not).
bool all_small(std::u32string_view word) {
    return std::all_of(word.begin(), word.end(), [](char32_t c) { return text::is_lower(c); });
}

// Whether `token` is a word whose first letter is small.
bool starts_small(std::string_view text, const text::TextToken& token) {
    return token.kind == text::TokenKind::word && text::is_lower(text::to_code_points(token.view(text))[0]);
}

// Whether the word before token `at` (gaps skipped) is an initial or a title, with or without
// its full stop: `J. `, `B `, `Mr. `, `Sir `.
bool after_title(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t at) {
    std::size_t k = at;
    if (k > 0 && tokens[k - 1].view(text) == ".") --k;
    if (k == 0 || tokens[k - 1].kind != text::TokenKind::word) return false;
    const std::string_view word = tokens[k - 1].view(text);
    const std::u32string points = text::to_code_points(word);
    if (points.size() == 1) return text::is_upper(points[0]);
    for (const std::string_view title : {"Mr", "Mrs", "Messrs", "Miss", "Dr", "Sir", "Rev", "Capt", "Pte"})
        if (word == title) return true;
    return false;
}

// Whether the word at `i` is followed, after a full stop or not and a gap, by a capitalised
// word: it stands before a name (`Mr. Blair`, `W. Drew`).
bool before_name(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i) {
    std::size_t next = i + 1;
    if (next < tokens.size() && tokens[next].view(text) == ".") ++next;
    return next + 1 < tokens.size() && is_gap(tokens[next]) && tokens[next + 1].kind == text::TokenKind::word &&
           text::is_upper(text::to_code_points(tokens[next + 1].view(text))[0]);
}

// Whether a quote opens or closes a word (`'Soho`, `Eagle,'`) within 40 bytes of
// [begin, end) on the same line.
bool quoted_nearby(std::string_view text, std::size_t begin, std::size_t end) {
    constexpr std::size_t kReach = 40;
    std::size_t from = begin > kReach ? begin - kReach : 0;
    if (const auto newline = text.rfind('\n', begin); newline != std::string_view::npos) from = std::max(from, newline + 1);
    std::size_t to = std::min(text.size(), end + kReach);
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

}  // namespace

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

bool judged_by_gain_alone(ProposalKind kind) {
    return kind == ProposalKind::small_i || kind == ProposalKind::stray_mark || kind == ProposalKind::sign_for_letter ||
           kind == ProposalKind::letter_for_mark || kind == ProposalKind::title || kind == ProposalKind::initial;
}

const char* to_string(ProposalKind kind) {
    switch (kind) {
        case ProposalKind::non_word: return "lexical";
        case ProposalKind::real_word: return "real-word";
        case ProposalKind::split: return "split";
        case ProposalKind::merge: return "merge";
        case ProposalKind::join: return "hyphen-join";
        case ProposalKind::small_i: return "small-i";
        case ProposalKind::stray_mark: return "stray-mark";
        case ProposalKind::sign_for_letter: return "sign-for-letter";
        case ProposalKind::letter_for_mark: return "letter-for-mark";
        case ProposalKind::title: return "title";
        case ProposalKind::initial: return "initial";
        case ProposalKind::model: return "model";
    }
    return "lexical";
}

char32_t upper(char32_t c) { return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c))); }
char32_t lower(char32_t c) { return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))); }

// Whether `reading` keeps the capitals after the first letter of `word`, each within one
// place of where `word` has it (`PecHeLL` -> `Schell`, not `JuBtico` -> `Justice`).
bool keeps_capitals(std::u32string_view word, std::string_view reading) {
    const std::u32string target = text::to_code_points(reading);
    for (std::size_t k = 1; k < word.size(); ++k) {
        if (!text::is_upper(word[k])) continue;
        bool kept = false;
        for (std::size_t j = k - 1; j <= k + 1 && j < target.size(); ++j) kept = kept || lower(target[j]) == lower(word[k]);
        if (!kept) return false;
    }
    return true;
}

std::string capitalise(std::string_view word) {
    std::u32string points = text::to_code_points(word);
    if (!points.empty()) points[0] = upper(points[0]);
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
        for (auto& c : target) c = upper(c);
    } else if (text::is_upper(source[0])) {
        target[0] = upper(target[0]);
        // A name's inner capital after a Mc/Mac prefix or a short elided one (O', D', L',
        // Qu'), where the candidate has the same prefix (`McOrath` -> `McGrath`, `O'Brlen` ->
        // `O'Brien`). Not after a longer word's apostrophe: `Lord'B` is a misread `Lord's`.
        const std::size_t stem = source.size() - case_stem(source).size();
        const bool elision = stem >= 2 && (source[stem - 1] == U'\'' || source[stem - 1] == U'’');
        if (stem > 0 && stem < target.size() && (!elision || stem <= 3) && text::is_upper(source[stem]) &&
            text::fold_for_lookup(text::to_utf8(target.substr(0, stem))) ==
                text::fold_for_lookup(text::to_utf8(source.substr(0, stem))))
            target[stem] = upper(target[stem]);
    }
    // The lexicon folds ß to ss; a word the page spelt with ß keeps it.
    if (source.find(U'ß') != std::u32string::npos)
        if (const auto at = target.find(U"ss"); at != std::u32string::npos) {
            target[at] = U'ß';
            target.erase(at + 1, 1);
        }
    return text::to_utf8(target);
}

void LexicalProposer::propose_for_word(std::string_view text, const text::TextToken& word, bool known,
                                       WordPlace place, std::vector<Proposal>& out, std::size_t per_slot) const {
    const std::string_view original = word.view(text);
    // A word's readings depend on the word as written and on these two alone.
    std::string key(original);
    key += known ? "\n1" : "\n0";
    key += std::to_string(per_slot);
    std::vector<Proposal> readings;
    if (auto cached = resources_.readings.find(key)) {
        readings = std::move(*cached);
    } else {
        readings = readings_of(original, known, per_slot);
        resources_.readings.store(std::move(key), readings);
    }
    if (readings.empty()) return;
    // A capital after a full stop (or at the start) says nothing about names.
    const std::u32string points = text::to_code_points(original);
    const bool capitalised = !place.sentence_start && text::is_upper(points[0]);
    // Between words in small letters, a capital that the reading replaces was a misread small
    // letter (`the Bearch for`, `able Rrounds were`): the reading is written small, unless the
    // spell checker knows it only with a capital (`a Byan man`: Ryan). Next to capitalised
    // words (headings, lists, names: `Tea, Oottee, Sugar`, `Royal Oollege`) the capital
    // stays: there the ground truth kept it as often as not.
    const bool misread_capital = capitalised && place.among_small_words && !mostly_upper(points);
    // A name set in small capitals after an initial or a title (`J. NalsoN`, `Sir G. B.
    // PecHeLL`): a reading that keeps the capitals OCR saw is written in capitals, as
    // transcriptions write small capitals (NELSON, PECHELL). Where a reading replaces one of
    // those capitals, OCR read a misprint there, not a small capital (`Mr. JuBtico`: Justice).
    const bool small_capital_name = place.after_title && small_capitals(points) &&
                                    case_stem(points).size() == points.size();
    for (auto& reading : readings) {
        reading.begin = word.begin;
        reading.end = word.end;
        reading.capitalised = capitalised;
        if (misread_capital) {
            std::u32string replacement = text::to_code_points(reading.replacement);
            const char32_t first = replacement[0];
            if (text::is_upper(first) && lower(first) != lower(points[0]) && reading.kind != ProposalKind::split) {
                replacement[0] = lower(first);
                std::string small = text::to_utf8(replacement);
                if (resources_.lexicon->hunspell_accepts(small)) reading.replacement = std::move(small);
            }
        }
        if (small_capital_name && reading.kind != ProposalKind::split && keeps_capitals(points, reading.replacement)) {
            std::u32string replacement = text::to_code_points(reading.replacement);
            for (auto& c : replacement) c = upper(c);
            reading.replacement = text::to_utf8(replacement);
        }
        out.push_back(std::move(reading));
    }
}

std::vector<Proposal> LexicalProposer::readings_of(std::string_view original, bool known, std::size_t per_slot) const {
    const lexicon::Lexicon& lexicon = *resources_.lexicon;
    const std::string folded = text::fold_for_lookup(original);
    const std::u32string query = text::to_code_points(folded);
    const bool lone_letter = query.size() == 1 && !known && is_lone_misread_letter(original);
    if ((query.size() < 2 && !lone_letter) || query.size() > 24 || !readable_as_word(text::to_code_points(original)))
        return {};
    const bool broken_case = reads_as_broken_case(original);
    // A leading digit is read as one letter, in English only (`6atd` -> `said`, `8eaaon` ->
    // `season`): dropped, it would turn amounts and ordinals into words (`3lbs` -> `lbs`,
    // `1ère` -> `ère`).
    const bool leading_digit = text::is_digit(query[0]);
    if (leading_digit && lexicon.language() != "en") return {};
    const auto own_centibels = lexicon.centibels(folded);
    const RealWordTwins& twins = lexicon.language() == "en" ? kEnglishTwins : kOtherTwins;
    // Known words get twins: listed words up to the length above and, in English, words only
    // the spell checker knows (`cither`, `mooting`, `coiner` for `either`, `meeting`, `corner`),
    // too rare for the frequency list, of any length from four letters.
    const bool unlisted_reading = known && !own_centibels && lexicon.language() == "en" && query.size() >= 4;
    if (known && !unlisted_reading && (!own_centibels || query.size() > twins.max_length)) return {};
    const int max_distance = query.size() <= 3 ? 1 : 2;
    // Rank by frequency and plain distance first; the weighted channel is costlier, so it
    // sees only the likeliest few dozen.
    auto suggestions = resources_.index->lookup(query, max_distance);
    const auto rough = [&](const lexicon::Suggestion& s) {
        return lexicon.log_frequency(lexicon.words()[s.word_id]) - 2.0 * s.distance;
    };
    constexpr std::size_t kShortlist = 40;
    if (suggestions.size() > kShortlist) {
        std::partial_sort(suggestions.begin(), suggestions.begin() + kShortlist, suggestions.end(),
                          [&](const auto& a, const auto& b) { return rough(a) > rough(b); });
        suggestions.resize(kShortlist);
    }
    // The word itself, recased, is a reading of a word with broken case (`deS`) and of a lone
    // small `i` (the pronoun).
    if (broken_case || (lone_letter && folded == "i"))
        if (const auto id = lexicon.id_of(folded)) suggestions.push_back({*id, 0});
    // Words two multi-character confusions away (`tlic` for `the` is three plain edits):
    // look up the readings with those confusions undone. The channel cost below judges them.
    // A two-letter word counts when its case is broken: `aU` is `all` with `ll` read as `U`.
    // A known word's twin may be one such confusion away (`lie` for `he`, `li` -> `h`): the
    // reading itself, with no further edit.
    auto add = [&](std::uint32_t id) {
        if (std::none_of(suggestions.begin(), suggestions.end(), [&](const auto& s) { return s.word_id == id; }))
            suggestions.push_back({id, 3});
    };
    if (!known && (query.size() >= 3 || broken_case || lone_letter)) {
        for (const auto& variant : confusions_.undo_multi_character(query)) {
            if (const auto id = lexicon.id_of(text::to_utf8(variant))) add(*id);
            for (const auto& suggestion : resources_.index->lookup(variant, query.size() >= 6 ? 2 : 1)) add(suggestion.word_id);
        }
    } else if (known) {
        for (const auto& variant : confusions_.undo_multi_character(query))
            if (const auto id = lexicon.id_of(text::to_utf8(variant))) add(*id);
    }
    const bool french = lexicon.language() == "fr";
    const bool english = lexicon.language() == "en";
    const std::string strip_accents = known && !french ? std::string() : strip_diacritics(folded);
    // No spelling writes a letter three times (`isssue`): a reading that drops one corrects.
    bool tripled = false;
    for (std::size_t k = 2; k < query.size(); ++k)
        tripled = tripled || (query[k] == query[k - 1] && query[k] == query[k - 2] && text::is_letter(query[k]));
    std::vector<Proposal> found;
    double cheapest = kMaxChannelCost + 1.0;  // channel cost of the best reading found
    auto consider = [&](const lexicon::Suggestion& suggestion) {
        const std::string& candidate = lexicon.words()[suggestion.word_id];
        if (lone_letter && candidate == "i" && folded != "i") return;  // `n`, `m` or `u` are no pronoun
        const auto candidate_centibels = lexicon.centibels(candidate);
        if (known) {
            if (!candidate_centibels || *candidate_centibels > kRealWordMaxCentibels ||
                (own_centibels && *candidate_centibels + twins.min_ratio_centibels > *own_centibels))
                return;
        }
        // The word itself, in its proper case, is a reading of a word with broken case (`deS`).
        // A candidate with the original's spelling key would modernise a spelling, but one
        // that only drops the original's diacritics fixes a speck read as an accent or an
        // umlaut (`häben`, `dürch`, `océan`). In French only in the short listed words the
        // twins above allow, whose bare form is far commoner (`dé`, `lés`, `dè` -> `de`,
        // `les`): old French books accent other words their own way (`consolés`, `galopé`,
        // `impatienté`), and on the dev set dropping those hurt as often as it helped.
        const bool drops_specks = candidate == strip_accents && strip_accents != folded && (!french || known);
        // A lone small `i` read as the pronoun `I` is the one reading with the word's own key.
        const bool pronoun = lone_letter && candidate == "i";
        // An English word with more e's than the candidate, the same otherwise, is its old spelling.
        const bool old_english_e = english && candidate.size() < folded.size() &&
                                   without_inner_e(candidate) == without_inner_e(folded);
        if ((spelling_key(candidate) == spelling_key(folded) || old_english_e) && !(candidate == folded && broken_case) &&
            !drops_specks && !pronoun && !tripled)
            return;
        const std::u32string intended = text::to_code_points(candidate);
        if (leading_digit && intended.size() != query.size()) return;
        const double cost = confusions_.cost(query, intended);
        if (cost > (known ? twins.max_channel_cost : kMaxChannelCost)) return;
        Proposal proposal;
        proposal.replacement = pronoun ? "I" : restore_case(original, candidate);
        // The lexicon folds case, but a German noun or a name is written with a capital: when
        // OCR misread that capital as another small letter (`küft` -> `Luft`, `uatralia` ->
        // `Australia`) and the spell checker knows the word only so, the reading has it. A
        // small first letter that is right stays small: it is evidence, as in the tail of a
        // compound broken at a line end (`Jagd-` `hundcn` -> `hunden`).
        if (text::is_lower(text::to_code_points(proposal.replacement)[0]) && intended[0] != query[0] &&
            !lexicon.hunspell_accepts(proposal.replacement)) {
            std::string capitalised = capitalise(proposal.replacement);
            if (lexicon.hunspell_accepts(capitalised)) proposal.replacement = std::move(capitalised);
        }
        if (proposal.replacement == original) return;
        proposal.kind = known ? ProposalKind::real_word : ProposalKind::non_word;
        proposal.channel_cost = cost;
        proposal.log_prior = lexicon.log_frequency(candidate);
        cheapest = std::min(cheapest, cost);
        found.push_back(std::move(proposal));
    };
    for (const auto& suggestion : suggestions) consider(suggestion);
    // A word garbled by several cheap misreadings (`dosortlon`: o->e twice and l->i, three
    // plain edits) is out of the lookups' reach above. When they found no close reading,
    // look up the readings with up to two misreadings of any kind undone, one-letter ones
    // (c->e, o->e, u->n, ...) included, within one edit (two for long words).
    if (!known && query.size() >= kDeepMinLength && cheapest > kDeepWhenCheapestAbove) {
        std::vector<std::uint32_t> seen;
        for (const auto& suggestion : suggestions) seen.push_back(suggestion.word_id);
        std::sort(seen.begin(), seen.end());
        auto add_deep = [&](std::uint32_t id) {
            if (std::binary_search(seen.begin(), seen.end(), id)) return;
            seen.insert(std::upper_bound(seen.begin(), seen.end(), id), id);
            consider({id, 3});
        };
        for (const auto& variant : confusions_.undo(query, kDeepVariants, kDeepSingleCost)) {
            if (const auto id = lexicon.id_of(text::to_utf8(variant))) add_deep(*id);
            for (const auto& suggestion : resources_.index->lookup(variant, query.size() >= kDeepTwoEditsFrom ? 2 : 1))
                add_deep(suggestion.word_id);
        }
    }
    // A run-together pair: both halves common words.
    if (!known && query.size() >= 4) {
        for (std::size_t cut = 1; cut + 1 < query.size(); ++cut) {
            const std::string left = text::to_utf8(query.substr(0, cut)), right = text::to_utf8(query.substr(cut));
            const auto l = lexicon.centibels(left), r = lexicon.centibels(right);
            if (!l || !r || *l > kPartMaxCentibels || *r > kPartMaxCentibels) continue;
            if ((cut == 1 && left != "a" && left != "i" && left != "y" && left != "à") ) continue;
            const std::u32string original_points = text::to_code_points(original);
            Proposal proposal;
            proposal.replacement = text::to_utf8(original_points.substr(0, cut)) + " " +
                                   text::to_utf8(original_points.substr(cut));
            proposal.kind = ProposalKind::split;
            proposal.channel_cost = 2.0;
            proposal.log_prior = std::min(lexicon.log_frequency(left), lexicon.log_frequency(right));
            found.push_back(std::move(proposal));
        }
    }
    std::sort(found.begin(), found.end(), [](const Proposal& a, const Proposal& b) {
        return a.log_prior - a.channel_cost > b.log_prior - b.channel_cost;
    });
    if (found.size() > per_slot) found.resize(per_slot);
    return found;
}

void LexicalProposer::propose_small_initial_verb(std::string_view text, const std::vector<text::TextToken>& tokens,
                                                std::size_t i, std::vector<Proposal>& out) const {
    // The same misreading turns `i` and `j` into capitals at the start of a verb form (`was
    // Joined as co-respondent`, `(Instructed by Mr. Gilbert)`, `he Identified`): a word in
    // -ed or -ing is no name, so after a word in small letters or an opening bracket its
    // small form is a reading when that is a common word. The LM judges it like a small `i`.
    const std::string_view word = tokens[i].view(text);
    const std::u32string points = text::to_code_points(word);
    if (i == 0 || points.size() < 5 || (points[0] != U'I' && points[0] != U'J') ||
        !all_small(std::u32string_view(points).substr(1)) || (!word.ends_with("ed") && !word.ends_with("ing")))
        return;
    const bool after_bracket = tokens[i - 1].view(text) == "(";
    const bool after_small_word = i >= 2 && is_gap(tokens[i - 1]) && tokens[i - 2].kind == text::TokenKind::word &&
                                  all_small(text::to_code_points(tokens[i - 2].view(text)));
    if (!after_bracket && !after_small_word) return;
    std::string small(word);
    small[0] = static_cast<char>(small[0] - 'A' + 'a');
    const auto centibels = resources_.lexicon->centibels(small);
    if (!centibels || *centibels > kJoinedMaxCentibels) return;
    out.push_back({tokens[i].begin, tokens[i].end, small, ProposalKind::small_i, 0.0,
                   resources_.lexicon->log_frequency(small), false});
}

void LexicalProposer::propose_small_i(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                      std::vector<Proposal>& out) const {
    // OCR often reads a small i as a capital (`was In the`). Only the function words: a
    // capitalised noun after a small word is usually right (`the Jury`, `the Islands`), and
    // on the dev set the model could not tell those apart.
    static const std::vector<std::string_view> words = {"In", "Into", "Is", "It", "Its", "If"};
    const std::string_view word = tokens[i].view(text);
    if (i < 2 || std::find(words.begin(), words.end(), word) == words.end()) return;
    // Mid-sentence: a small word, then one space or line break. `In`, `Into`, `Is` and `Its`
    // also after a comma or a semicolon, or after a capitalised word (`in Sydney In June`,
    // `the Commissioner Is`); `It` and `If` there mostly begin a sentence whose full stop OCR
    // lost.
    if (!is_gap(tokens[i - 1])) return;
    const std::string_view previous = tokens[i - 2].view(text);
    const std::u32string before = text::to_code_points(previous);
    const bool small_word = tokens[i - 2].kind == text::TokenKind::word && all_small(before);
    const bool mid_clause = word != "It" && word != "If" &&
                            (previous == "," || previous == ";" ||
                             (tokens[i - 2].kind == text::TokenKind::word && before.size() >= 2 && text::is_upper(before[0]) &&
                              all_small(std::u32string_view(before).substr(1))));
    if (!small_word && !mid_clause) return;
    std::string small(word);
    small[0] = 'i';
    out.push_back({tokens[i].begin, tokens[i].end, small, ProposalKind::small_i, 0.0,
                   resources_.lexicon->log_frequency(small), false});
}

void LexicalProposer::propose_stray_marks(std::string_view text, const std::vector<text::TextToken>& tokens,
                                          std::size_t i, std::vector<Proposal>& out) const {
    // Specks and bleed-through that OCR reads as marks standing alone between two words on
    // a line (`the • house`, `said ¦ that`, `it . was`). None of these stands alone in
    // running text, save a bullet or a dash at a line's start and spaced punctuation, which
    // are not read here (dashes, commas, `>` for a comma, quotes and French spacing before
    // ; : ! ? are not in the set). The slot is the marks and the word after them, which
    // stays: the LM compares `the house` with `the • house`.
    static const std::u32string marks = U"•·¦|\\■▪▲♦●¡¿~^<_.'‘’`";
    // In English a lone small `i` is no word either (the pronoun is `I`): over the English dev
    // pairs the ground truth kept none of 66, and dropped 24 (`after i the`, `of i a low hill`).
    // At a line's start a lone `I` is as often a speck (`farmer for⏎I some time`, `⏎I The new
    // Church`): in Overproof, aligned character by character, the ground truth lacks 50 and
    // keeps 14 (`that⏎I trust`); the LM tells them apart.
    const std::string_view here = tokens[i].view(text);
    const bool lone_i = resources_.lexicon->language() == "en" && tokens[i].kind == text::TokenKind::word && i >= 1 &&
                        (here == "i" || (here == "I" && tokens[i - 1].kind == text::TokenKind::newline));
    if (i < 2 || !(tokens[i - 1].kind == text::TokenKind::space || (lone_i && tokens[i - 1].kind == text::TokenKind::newline)))
        return;
    const auto before = tokens[i - 2].kind;
    if (before != text::TokenKind::word && before != text::TokenKind::number && before != text::TokenKind::punctuation)
        return;
    std::size_t j = i, dots = 0;
    bool quote = false;
    if (lone_i)
        ++j;
    else
        while (j < tokens.size() && tokens[j].kind == text::TokenKind::punctuation) {
            const char32_t mark = text::to_code_points(tokens[j].view(text))[0];
            if (marks.find(mark) == std::u32string::npos) break;
            dots += mark == U'.';
            quote = quote || is_single_quote(mark);
            ++j;
        }
    constexpr std::size_t kMaxMarks = 3;
    if (j == i || j - i > kMaxMarks || j + 1 >= tokens.size()) return;
    if (tokens[j].kind != text::TokenKind::space || tokens[j + 1].kind != text::TokenKind::word) return;
    // A full stop: not spaced dots (`. . .`, `...`), and not before a capital, where it ends
    // a sentence or an abbreviation (`consequence . The`, `Mr . James`).
    if (dots > 0 && (dots > 1 || tokens[i - 2].view(text) == "." ||
                     !text::is_lower(text::to_code_points(tokens[j + 1].view(text))[0])))
        return;
    // A quote with another one nearby on its line, opening or closing a word, is quoting
    // (`the ' Black Eagle,'`, `' the fathers '`). Nor is one a speck in an elision that OCR
    // spaced (`l ' homme`, `qu ' il`: after one letter or `qu`) or before the end of a
    // contraction (`don ' t`).
    static const std::vector<std::string_view> contraction_ends = {"s", "t", "ll", "re", "ve", "d", "m"};
    const std::string_view previous = tokens[i - 2].view(text);
    const bool elision = tokens[i - 2].kind == text::TokenKind::word &&
                         (text::to_code_points(previous).size() == 1 ||
                          (previous.size() >= 2 && text::to_lower(previous.substr(previous.size() - 2)) == "qu"));
    if (quote && (elision || quoted_nearby(text, tokens[i].begin, tokens[j].end) ||
                  std::find(contraction_ends.begin(), contraction_ends.end(), tokens[j + 1].view(text)) !=
                      contraction_ends.end()))
        return;
    out.push_back({tokens[i].begin, tokens[j + 1].end, std::string(tokens[j + 1].view(text)), ProposalKind::stray_mark,
                   0.0, 0.0, false});
}

void LexicalProposer::propose_title(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                    std::vector<Proposal>& out) const {
    // OCR misreads one letter of a title before a name (`Nr. Blair`, `Mt. J. Smith`, `Mra.
    // Hill`, `Hr Dyce`): a capitalised word one letter off Mr, Mrs or Dr, itself no common
    // word (Zipf below 5: not `My`, `De`) nor another title (`Ms`), then a full stop or not,
    // a gap and a capital. The LM tells `Mt. Everest` from `Mt. J. Smith`.
    const std::string_view word = tokens[i].view(text);
    if (!before_name(text, tokens, i)) return;
    if (word.empty() || word[0] < 'A' || word[0] > 'Z' || word == "Ms") return;
    if (const auto centibels = resources_.lexicon->centibels(text::fold_for_lookup(word)); centibels && *centibels <= 400)
        return;
    for (const std::string_view title : {"Mr", "Mrs", "Dr"}) {
        if (title.size() != word.size() || title == word) continue;
        int differ = 0;
        for (std::size_t k = 0; k < word.size(); ++k) differ += word[k] != title[k];
        if (differ == 1)
            out.push_back({tokens[i].begin, tokens[i].end, std::string(title), ProposalKind::title, 0.0,
                           resources_.lexicon->log_frequency(text::fold_for_lookup(title)), false});
    }
}

void LexicalProposer::propose_initial_h(std::string_view text, const std::vector<text::TextToken>& tokens,
                                        std::size_t i, std::vector<Proposal>& out) const {
    // OCR reads the two stems of a capital H as `II`. Between a title or an initial and a
    // capitalised word it is an initial, not the numeral of `Part II. Overture` or `George II`
    // (which follow a word): `Mr. W. II. Drew`, `Mrs. II. Wallace`, `Mr O II Phillips`.
    if (tokens[i].view(text) != "II" || !before_name(text, tokens, i)) return;
    std::size_t prior = i;
    while (prior > 0 && is_gap(tokens[prior - 1])) --prior;
    if (prior == i || !after_title(text, tokens, prior)) return;
    out.push_back({tokens[i].begin, tokens[i].end, "H", ProposalKind::initial, 0.0, 0.0, false});
}

void LexicalProposer::propose_lone_letter_merge(std::string_view text, const std::vector<text::TextToken>& tokens,
                                                std::size_t i, std::size_t& merged_until,
                                                std::vector<Proposal>& out) const {
    // OCR sets a space inside a word, often beside a narrow letter (`w as`, `t he`, `matr o n`,
    // `poli c e`), and letter-spaced print comes out one letter at a time (`n a h m`). A lone
    // letter that is no word of the language (English has a and I, French a, à and y) is a
    // piece of its neighbours: the pieces joined, up to four, when they form a common word and
    // the pieces after the first start in small letters. An English `s` or `t` at the end is a
    // lost apostrophe (`King s`, `don t`), not a piece.
    const lexicon::Lexicon& lexicon = *resources_.lexicon;
    const std::string& language = lexicon.language();
    auto lone_letter = [&](std::string_view piece) {
        const std::u32string points = text::to_code_points(piece);
        if (points.size() != 1 || !text::is_letter(points[0])) return false;
        const std::string folded = text::fold_for_lookup(piece);
        if (language == "en") return folded != "a" && folded != "i";
        if (language == "fr") return folded != "a" && folded != "à" && folded != "y";
        return language == "de";  // other languages' one-letter words are not listed here
    };
    // French and German end words with such letters (`haut s`, `de n`, `erfolgt e`): after a
    // word, a lone letter is as often a stray as an ending (3 right, 5 wrong on the dev pairs),
    // and it would start a longer join (`Er n a` -> `Erna` beside `n a h m` -> `nahm`).
    if (language != "en" && i + 2 < tokens.size() && lone_letter(tokens[i + 2].view(text)) &&
        text::to_code_points(tokens[i].view(text)).size() >= 2 && lexicon.is_known(tokens[i].view(text)))
        return;
    constexpr std::size_t kMaxPieces = 4;
    std::size_t longest = 0;  // the end of the longest merge made from this piece
    std::string joined(tokens[i].view(text));
    bool has_lone_letter = lone_letter(tokens[i].view(text));
    for (std::size_t pieces = 2, k = i + 2; pieces <= kMaxPieces && k < tokens.size(); ++pieces, k += 2) {
        if (tokens[k - 1].view(text) != " " || !starts_small(text, tokens[k])) break;
        const std::string_view piece = tokens[k].view(text);
        joined += piece;
        has_lone_letter = has_lone_letter || lone_letter(piece);
        if (!has_lone_letter) continue;
        if (k + 1 < tokens.size() && is_single_quote(text::to_code_points(tokens[k + 1].view(text))[0])) continue;
        if (language == "en" && (piece == "s" || piece == "t")) continue;
        const std::string folded = text::fold_for_lookup(joined);
        const auto centibels = lexicon.centibels(folded);
        if (!centibels || *centibels > kJoinedMaxCentibels) continue;
        // Part of a longer word proposed from an earlier piece (`o n` in `matr o n`): no slot
        // of its own, or its reading would crowd out the whole word's. Those merges all start
        // before this piece, so the furthest end tells.
        if (merged_until >= tokens[k].end) continue;
        // The pieces as written, only the spaces gone (`Stra ß e` keeps its ß).
        out.push_back({tokens[i].begin, tokens[k].end, joined, ProposalKind::merge, 1.5, lexicon.log_frequency(folded),
                       false});
        longest = tokens[k].end;
    }
    merged_until = std::max(merged_until, longest);
}

void LexicalProposer::propose_sign_for_letter(std::string_view text, const std::vector<text::TextToken>& tokens,
                                              std::size_t i, std::vector<Proposal>& out) const {
    // OCR reads a one-letter word as a sign: the pronoun I as the digit 1 (`which 1 gladly`,
    // `and 1 shall`), after a word or a mark, and the article a as an ampersand (`of & new`,
    // `hat and & bushel`), between words in small letters. Both stand before a word in small
    // letters. `1 rood`, `1 try` are amounts and `black & white` an ampersand; the LM tells
    // them apart.
    const std::string_view sign = tokens[i].view(text);
    if ((sign != "1" && sign != "&") || i < 2 || i + 2 >= tokens.size()) return;
    if (!is_gap(tokens[i - 1]) || !is_gap(tokens[i + 1]) || tokens[i + 2].kind != text::TokenKind::word) return;
    if (!starts_small(text, tokens[i + 2])) return;
    const text::TextToken& before = tokens[i - 2];
    if (sign == "1" && before.kind != text::TokenKind::word && before.kind != text::TokenKind::punctuation) return;
    if (sign == "&" && !starts_small(text, before)) return;
    const std::string letter = sign == "1" ? "I" : "a";
    out.push_back({tokens[i].begin, tokens[i].end, letter, ProposalKind::sign_for_letter, 0.0,
                   resources_.lexicon->log_frequency(text::fold_for_lookup(letter)), false});
}

void LexicalProposer::propose_french_il(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                        std::vector<Proposal>& out) const {
    // French `Il` opens many sentences, and OCR reads its `l` as `I` or both letters as `1`
    // (`II se peut`, `11 s'agit`). At a sentence's start and before a word in small letters
    // they are no numeral (`Louis II,`, `le 11 novembre`, `de 11 pouces` follow a word); the
    // LM judges the rest.
    const std::string_view sign = tokens[i].view(text);
    if ((sign != "II" && sign != "11") || i + 2 >= tokens.size() || tokens[i + 1].kind != text::TokenKind::space) return;
    if (tokens[i + 2].kind != text::TokenKind::word || !starts_small(text, tokens[i + 2])) return;
    if (i >= 1) {
        const bool after_line = tokens[i - 1].kind == text::TokenKind::newline;
        const bool after_sentence =
            i >= 2 && tokens[i - 1].kind == text::TokenKind::space && ends_sentence(tokens[i - 2].view(text));
        if (!after_line && !after_sentence) return;
    }
    out.push_back({tokens[i].begin, tokens[i].end, "Il", ProposalKind::sign_for_letter, 0.0,
                   resources_.lexicon->log_frequency("il"), false});
}

void LexicalProposer::propose_letter_for_mark(std::string_view text, const std::vector<text::TextToken>& tokens,
                                              std::size_t i, std::vector<Proposal>& out) const {
    // French sets `!` apart from its word, and OCR reads the lone stroke as `1` or `I`:
    // after a word in small letters, before a capital, a quote, a dash or the line's end
    // (`Vive la nation 1 A bas`, `la mort I`). A `1` after a word is also an amount
    // (`sur 1 pied`), and `I` after a name a numeral (`Napoléon I`): the one is followed by
    // a word in small letters, the other follows a capital; the LM judges the rest.
    const std::string_view sign = tokens[i].view(text);
    if ((sign != "1" && sign != "I") || i < 2 || tokens[i - 1].kind != text::TokenKind::space) return;
    if (tokens[i - 2].kind != text::TokenKind::word || !all_small(text::to_code_points(tokens[i - 2].view(text)))) return;
    if (i + 1 < tokens.size() && !is_gap(tokens[i + 1])) return;
    if (i + 2 < tokens.size() && tokens[i + 1].kind == text::TokenKind::space) {
        const std::u32string next = text::to_code_points(tokens[i + 2].view(text));
        const bool capital = tokens[i + 2].kind == text::TokenKind::word && text::is_upper(next[0]);
        const bool line_end = tokens[i + 2].kind == text::TokenKind::newline;
        const bool opens = tokens[i + 2].kind == text::TokenKind::punctuation &&
                           std::u32string_view(U"«»\"“”'’-—–").find(next[0]) != std::u32string_view::npos;
        if (!capital && !opens && !line_end) return;
    }
    out.push_back({tokens[i].begin, tokens[i].end, "!", ProposalKind::letter_for_mark, 0.0, 0.0, false});
}

void LexicalProposer::propose_attached_mark(std::string_view text, const std::vector<text::TextToken>& tokens,
                                            std::size_t i, std::vector<Proposal>& out) const {
    // A speck beside a word reads as a mark stuck to it: a quote at its end or start
    // (`marked' attention`, `so'⏎painful`, `is 'always followed`), a full stop or a comma at
    // its start (`the .most attractive`, `love ,of`), `!` or `:` at its end between words in
    // small letters (`species! of`, `in: vain`). A quote is left where another quote on the
    // line opens or closes a word (quoting), after a plural (`the Smiths' house`), or in an
    // elision (`tho'`, `thro'`, `goin'`; `'tis`, `'em`, `'buses`). The LM compares the word
    // without the mark.
    // Elsewhere only a full stop at a word's start: French and German write `!` and `:` their
    // own ways, and quotes open elisions and quotations.
    const std::string_view mark = tokens[i].view(text);
    const bool english = resources_.lexicon->language() == "en";
    const bool quote = english && (mark == "'" || mark == "’");
    const bool leading = quote || mark == "." || (english && mark == ",");
    const bool trailing = quote || (english && (mark == "!" || mark == ":"));
    if (!leading && !trailing) return;
    auto small_word = [&](std::size_t k) {
        if (k >= tokens.size() || tokens[k].kind != text::TokenKind::word) return false;
        const std::u32string points = text::to_code_points(tokens[k].view(text));
        return points.size() >= 2 && all_small(points);
    };
    if (quote && quoted_nearby(text, tokens[i].begin, tokens[i].end)) return;
    // At a word's end, before a gap and a word in small letters.
    if (trailing && i >= 1 && small_word(i - 1) && i + 2 < tokens.size() && is_gap(tokens[i + 1]) && starts_small(text, tokens[i + 2])) {
        const std::string_view word = tokens[i - 1].view(text);
        static const std::vector<std::string_view> elided = {"tho", "thro", "th", "an", "wi"};
        const bool elision = std::find(elided.begin(), elided.end(), word) != elided.end() ||
                             (word.size() > 3 && word.substr(word.size() - 2) == "in");
        if (!quote || (word.back() != 's' && !elision))
            out.push_back({tokens[i - 1].begin, tokens[i].end, std::string(word), ProposalKind::stray_mark, 0.0, 0.0, false});
    }
    // At a word's start, after a gap (or the text's start), the word followed by a gap or a
    // mark that is no quote.
    if (leading && (i == 0 || is_gap(tokens[i - 1])) && small_word(i + 1) &&
        (i + 2 >= tokens.size() || is_gap(tokens[i + 2]) ||
         (tokens[i + 2].kind == text::TokenKind::punctuation && !is_single_quote(text::to_code_points(tokens[i + 2].view(text))[0])))) {
        const std::string_view word = tokens[i + 1].view(text);
        static const std::vector<std::string_view> elided = {"tis", "twas", "twere", "twill", "twould", "em", "bus", "buses",
                                                             "scape", "neath", "twixt", "gainst", "tween", "cause"};
        if (!quote || std::find(elided.begin(), elided.end(), word) == elided.end())
            out.push_back({tokens[i].begin, tokens[i + 1].end, std::string(word), ProposalKind::stray_mark, 0.0, 0.0, false});
    }
}

bool LexicalProposer::is_lone_misread_letter(std::string_view word) const {
    // In English OCR makes `n` and `u` of `a`, and `m` of `in`; a lone small `i` is no word at
    // all (`which i have` I, `i the` in). Other lone letters are as often
    // pieces of a word (`Mackenzie s`, `don t`) or initials: on the dev set,
    // reading every small letter but a, i, o and v fixed 47 words and broke 20.
    return resources_.lexicon->language() == "en" && (word == "n" || word == "m" || word == "u" || word == "i");
}

bool LexicalProposer::reads_as_old_final_e(std::string_view word) const {
    const lexicon::Lexicon& lexicon = *resources_.lexicon;
    if (lexicon.language() != "en") return false;
    const std::string folded = text::fold_for_lookup(word);
    if (folded.size() < 4 || folded.back() != 'e' || lexicon.is_known(word)) return false;
    const auto stem = lexicon.centibels(folded.substr(0, folded.size() - 1));
    return stem && *stem <= 500;
}

bool LexicalProposer::in_old_spelling(std::string_view text, const std::vector<text::TextToken>& tokens) const {
    if (resources_.lexicon->language() != "en") return false;
    int words = 0, old = 0;
    for (const auto& token : tokens) {
        if (token.kind != text::TokenKind::word || text::to_code_points(token.view(text)).size() < 2) continue;
        ++words;
        if (reads_as_old_final_e(token.view(text))) ++old;
    }
    return old >= 3 && old * 100 >= words;
}

bool LexicalProposer::reads_as_broken_case(std::string_view word) const {
    // English writes names and brands in CamelCase (`YouTube`, `PowerPoint`): a known word
    // in that shape stays known there. German compounds read that way are OCR (`SonntagSarbeit`).
    return has_broken_case(word) && !(resources_.lexicon->language() == "en" && is_camel_case(word));
}

std::vector<Proposal> LexicalProposer::propose(std::string_view text, std::size_t per_slot, bool join_broken_words) const {
    const lexicon::Lexicon& lexicon = *resources_.lexicon;
    const auto tokens = text::tokenize(text);
    // In a text in early modern spelling, `worke` and `drinke` are that spelling of `work`
    // and `drink`: no misreading of `works` and `drinks`. On the English dev pairs such texts
    // had 4 to 17 of these words, the others none to 2; where the others have one (`facte`,
    // `upwarde`), it is a misreading.
    const bool old_spelling = in_old_spelling(text, tokens);
    std::size_t merged_until = 0;  // where the lone-letter merges made so far end, at the furthest
    std::vector<Proposal> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        if (token.kind == text::TokenKind::punctuation || token.view(text) == "i" || token.view(text) == "I")
            propose_stray_marks(text, tokens, i, out);
        if ((token.kind == text::TokenKind::number || token.kind == text::TokenKind::punctuation) && lexicon.language() == "en")
            propose_sign_for_letter(text, tokens, i, out);
        if ((token.kind == text::TokenKind::number || token.kind == text::TokenKind::word) && lexicon.language() == "fr") {
            propose_letter_for_mark(text, tokens, i, out);
            propose_french_il(text, tokens, i, out);
        }
        if (token.kind == text::TokenKind::punctuation) propose_attached_mark(text, tokens, i, out);
        if (token.kind != text::TokenKind::word) continue;
        // The pieces of a word hyphenated across a line break get no candidates: neither
        // is a word on its own. The hyphen follows the line-end convention (hyphenation.h).
        const bool before_break = i + 2 < tokens.size() && tokens[i + 1].view(text) == "-" &&
                                  tokens[i + 2].kind == text::TokenKind::newline;
        const bool after_break = i >= 2 && tokens[i - 1].kind == text::TokenKind::newline &&
                                 tokens[i - 2].view(text) == "-";
        if (before_break || after_break) continue;
        // A word broken in two, this word and the word after the next token (a hyphen, a space,
        // a line break): the pieces joined (folded), when they form a common word and are not
        // both words themselves (`left_known`: this piece counts as a word).
        const bool next_piece = i + 2 < tokens.size() && tokens[i + 2].kind == text::TokenKind::word;
        auto joined_with_next = [&](bool left_known) -> std::optional<std::string> {
            if (left_known && lexicon.is_known(tokens[i + 2].view(text))) return std::nullopt;
            std::string joined = text::fold_for_lookup(std::string(token.view(text)) + std::string(tokens[i + 2].view(text)));
            const auto centibels = lexicon.centibels(joined);
            if (!centibels || *centibels > kJoinedMaxCentibels) return std::nullopt;
            return joined;
        };
        auto push_join = [&](ProposalKind kind, double channel_cost, std::string replacement, const std::string& joined) {
            out.push_back({token.begin, tokens[i + 2].end, std::move(replacement), kind, channel_cost,
                           lexicon.log_frequency(joined), false});
        };
        auto pieces = [&] { return std::string(token.view(text)) + std::string(tokens[i + 2].view(text)); };
        // A mid-line hyphen inside a word: propose the joined word when it is a word and a half is not.
        if (join_broken_words && next_piece && tokens[i + 1].view(text) == "-")
            if (const auto joined = joined_with_next(lexicon.is_known(token.view(text))))
                push_join(ProposalKind::join, 1.0, pieces(), *joined);
        // A word whose case is broken inside it (`deS`, `LoRD`) is no known word as written.
        // A lone letter is read only before a word (`m 14` is a reference, not `in 14`).
        const bool lone_letter = is_lone_misread_letter(token.view(text)) && i + 2 < tokens.size() &&
                                 is_gap(tokens[i + 1]) && tokens[i + 2].kind == text::TokenKind::word;
        const bool known = lexicon.is_known(token.view(text)) && !reads_as_broken_case(token.view(text)) && !lone_letter;
        // A capital after a full stop (or at the start) says nothing about names.
        std::size_t previous = i;
        while (previous > 0 && tokens[previous - 1].kind == text::TokenKind::space) --previous;
        const std::string_view before = previous > 0 ? tokens[previous - 1].view(text) : std::string_view(".");
        WordPlace place;
        place.sentence_start = ends_sentence(before);
        std::size_t after = i + 1;
        while (after < tokens.size() && is_gap(tokens[after])) ++after;
        std::size_t prior = i;
        while (prior > 0 && is_gap(tokens[prior - 1])) --prior;
        place.among_small_words =
            prior > 0 && starts_small(text, tokens[prior - 1]) && after < tokens.size() && starts_small(text, tokens[after]);
        place.after_title = lexicon.language() == "en" && after_title(text, tokens, prior);
        // A word touching a hyphen is a piece of a broken or compound word (`adver- tisement`,
        // `Kidder-minster`): on its own it is no evidence of an error. On the dev set only 5 % of
        // the candidates for such pieces helped, and 84 % made the text worse.
        auto is_hyphen = [&](std::size_t k) { return tokens[k].view(text) == "-" || tokens[k].view(text) == "¬"; };
        const bool piece = (i + 1 < tokens.size() && is_hyphen(i + 1)) || (i >= 1 && is_hyphen(i - 1)) ||
                           (i >= 2 && tokens[i - 1].kind == text::TokenKind::space && is_hyphen(i - 2));
        // Except a misread word in small letters inside a compound (`Bathurst-streot`,
        // `foundatlon-stone`): no known word, and no known word with its neighbour across an
        // in-line hyphen either, which would make it half of a broken word (`exe-cuted`) that
        // some transcriptions keep. Capitalised pieces are mostly names (`Hillcote-crescent`).
        auto compound_part = [&] {
            if (known || !text::is_lower(text::to_code_points(token.view(text))[0])) return false;
            const bool before = i + 2 < tokens.size() && tokens[i + 1].view(text) == "-" &&
                                tokens[i + 2].kind == text::TokenKind::word;
            const bool after = i >= 2 && tokens[i - 1].view(text) == "-" && tokens[i - 2].kind == text::TokenKind::word;
            if (!before && !after) return false;
            const std::string word(token.view(text));
            return (!before || !lexicon.is_known(word + std::string(tokens[i + 2].view(text)))) &&
                   (!after || !lexicon.is_known(std::string(tokens[i - 2].view(text)) + word));
        };
        if ((!piece || compound_part()) && !(old_spelling && reads_as_old_final_e(token.view(text)))) {
            const std::size_t first = out.size();
            propose_for_word(text, token, known, place, out, per_slot);
            // In such a text an e also comes and goes the other way (`entred`, `hindred`). The
            // readings of a word are cached by the word alone, so rules of the text act here.
            if (old_spelling) {
                const std::string key = without_inner_e(text::fold_for_lookup(token.view(text)));
                out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                                         [&](const Proposal& p) {
                                             return without_inner_e(text::fold_for_lookup(p.replacement)) == key;
                                         }),
                          out.end());
            }
        }
        if (lexicon.language() == "en") {
            propose_small_i(text, tokens, i, out);
            propose_small_initial_verb(text, tokens, i, out);
            propose_title(text, tokens, i, out);
            propose_initial_h(text, tokens, i, out);
            // `Now` before a capitalised word is the misread `New` of a name (`Now South Wales`,
            // `Now York`): over the English dev pairs, 6 of 6. Too common for a twin elsewhere.
            if (token.view(text) == "Now" && after < tokens.size() && tokens[after].kind == text::TokenKind::word &&
                text::is_upper(text::to_code_points(tokens[after].view(text))[0]))
                out.push_back({token.begin, token.end, "New", ProposalKind::real_word, confusions_.cost(U"now", U"new"),
                               lexicon.log_frequency("new"), !place.sentence_start});
        }
        // Guillemets are a common misreading of s, n or e in old print (`Mis«` Miss, `de»` des,
        // `Ge«etz` Gesetz): the word with its guillemet is a slot of its own. A guillemet
        // before a word opens a German quotation, so that side is read only in English.
        auto is_guillemet = [&](std::size_t k) {
            return k < tokens.size() && (tokens[k].view(text) == "»" || tokens[k].view(text) == "«");
        };
        // Readings that only drop the mark, or a piece with it, remove text: not this
        // proposer's call.
        auto propose_for_unit = [&](const text::TextToken& unit) {
            const std::size_t first = out.size();
            propose_for_word(text, unit, false, place, out, per_slot);
            std::vector<std::string> pieces;
            for (std::size_t k = i >= 1 ? i - 1 : 0; k < tokens.size() && tokens[k].begin < unit.end; ++k)
                if (tokens[k].kind == text::TokenKind::word && tokens[k].begin >= unit.begin)
                    pieces.push_back(text::fold_for_lookup(tokens[k].view(text)));
            out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                                     [&](const Proposal& p) {
                                         const std::string folded = text::fold_for_lookup(p.replacement);
                                         return std::find(pieces.begin(), pieces.end(), folded) != pieces.end();
                                     }),
                      out.end());
        };
        if (!piece && is_guillemet(i + 1)) {
            text::TextToken unit = token;
            unit.end = tokens[i + 1].end;
            if (i + 2 < tokens.size() && tokens[i + 2].kind == text::TokenKind::word) unit.end = tokens[i + 2].end;
            propose_for_unit(unit);
        }
        if (!piece && i >= 1 && is_guillemet(i - 1) && lexicon.language() == "en" &&
            (i < 2 || tokens[i - 2].kind != text::TokenKind::word)) {
            text::TextToken unit = token;
            unit.begin = tokens[i - 1].begin;
            propose_for_unit(unit);
        }
        auto is_word_of_two_letters = [&](std::string_view piece) {
            return text::to_code_points(piece).size() >= 2 && lexicon.is_known(piece);
        };
        // A word cut by a stray mark (`for.une`, `w,is`, `protec.tion`, `h!s`) is one unit, read
        // like a word, when the piece after the mark starts with a small letter (not
        // `Mr.Smith`, `U.S`), the mark is no full stop after one letter (`e.g`, `a.m`, `d.h`)
        // and the pieces are not both words (`and/or`, `well;but`; one letter is no word here).
        if (!piece && i + 2 < tokens.size() && tokens[i + 1].kind == text::TokenKind::punctuation &&
            is_stray_mark(text::to_code_points(tokens[i + 1].view(text))[0]) &&
            !(tokens[i + 1].view(text) == "." && text::to_code_points(token.view(text)).size() == 1) &&
            starts_small(text, tokens[i + 2]) &&
            !(is_word_of_two_letters(token.view(text)) && is_word_of_two_letters(tokens[i + 2].view(text)))) {
            text::TextToken unit = token;
            unit.end = tokens[i + 2].end;
            propose_for_unit(unit);
        }
        const std::size_t lone_letter_merges = out.size();
        propose_lone_letter_merge(text, tokens, i, merged_until, out);
        // A word broken by one space: the two pieces joined form a common word, unless the
        // lone-letter merge made that reading already (`w as`).
        if (join_broken_words && next_piece && tokens[i + 1].view(text) == " ")
            if (const auto joined = joined_with_next(known)) {
                const std::string reading = pieces();
                const bool made = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(lone_letter_merges), out.end(),
                                              [&](const Proposal& p) {
                                                  return p.end == tokens[i + 2].end && p.replacement == reading;
                                              });
                if (!made) push_join(ProposalKind::merge, 1.5, reading, *joined);
            }
        // English: a word broken at a line end whose hyphen the OCR lost (`suc⏎cessor`,
        // `Am⏎bassador`): the pieces joined form a common word, not both are words, and the
        // second goes on in small letters. In the dev run of the change, 81 of the joins made
        // in Overproof were right and 32 wrong (its ground truth keeps some of the page's
        // hyphens: `met-⏎ropolitan`). German transcriptions keep their break marks
        // (`be⸗⏎gleitete`): all 4 German joins were wrong.
        if (lexicon.language() == "en" && next_piece && tokens[i + 1].kind == text::TokenKind::newline &&
            starts_small(text, tokens[i + 2]))
            if (const auto joined = joined_with_next(known))
                push_join(ProposalKind::merge, 1.5, restore_case(token.view(text), *joined), *joined);
    }
    return out;
}

}  // namespace ocrfix::correct
