// The readings of a word as written: SymSpell lookups in the lexicon under the OCR channel
// (confusion costs), real-word twins, splits of run-together pairs, and the word's case
// restored; placed in the text by propose_for_word.
#include <algorithm>

#include "correct/lexical_proposer.h"
#include "correct/scoring.h"
#include "correct/spelling_variants.h"
#include "correct/token_context.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

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

}  // namespace

void LexicalProposer::propose_for_word(std::string_view text, const text::TextToken& word, bool known,
                                       WordPlace place, std::vector<Proposal>& out, std::size_t per_slot) const {
    const std::string_view original = word.view(text);
    // A capital after a full stop (or at the start) says nothing about names.
    const std::u32string points = text::to_code_points(original);
    const bool capitalised = !place.sentence_start && text::is_upper(points[0]);
    // The fast tier weighs no reading of a capitalised word (score_without_model).
    if (capitalised && reach_ == Reach::non_words) return;
    // A word's readings depend on the word as written and on these two alone.
    std::string key(original);
    key += known ? "\n1" : "\n0";
    if (reach_ == Reach::non_words) key += 'f';  // readings_of may stop short for the fast tier
    key += std::to_string(per_slot);
    std::vector<Proposal> readings;
    if (auto cached = resources_.readings.find(key)) {
        readings = std::move(*cached);
    } else {
        readings = readings_of(original, known, per_slot);
        resources_.readings.store(std::move(key), readings);
    }
    if (readings.empty()) return;
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
            if (text::is_upper(first) && to_lower(first) != to_lower(points[0]) && reading.kind != ProposalKind::split) {
                replacement[0] = to_lower(first);
                std::string small = text::to_utf8(replacement);
                if (resources_.lexicon->hunspell_accepts(small)) reading.replacement = std::move(small);
            }
        }
        if (small_capital_name && reading.kind != ProposalKind::split && keeps_capitals(points, reading.replacement)) {
            std::u32string replacement = text::to_code_points(reading.replacement);
            for (auto& c : replacement) c = to_upper(c);
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
    if ((query.size() < 2 && !lone_letter) || query.size() > params_.max_word_length || !readable_as_word(text::to_code_points(original)))
        return {};
    // The fast tier applies a reading only when its channel cost is at most
    // kFastMaxChannelCost, less than any plain edit costs: such a reading is the word with
    // some of its confusions undone. Where no such reading is a listed word, the fast tier
    // applies none, whatever the lookups below find (the margin guards rounding).
    static_assert(lexicon::ConfusionModel::kSubstitution > kFastMaxChannelCost &&
                      lexicon::ConfusionModel::kInsertion > kFastMaxChannelCost &&
                      lexicon::ConfusionModel::kDeletion > kFastMaxChannelCost,
                  "a cheap reading is made of confusions alone");
    if (reach_ == Reach::non_words &&
        !confusions_.some_reading_within(query, kFastMaxChannelCost + 1e-6, [&](std::string_view reading) {
            return lexicon.id_of(reading).has_value();
        }))
        return {};
    const bool broken_case = reads_as_broken_case(original);
    // A leading digit is read as one letter, in English only (LanguageFacts::leading_digit_as_letter:
    // `6atd` -> `said`, `8eaaon` -> `season`): dropped, it would turn amounts and ordinals into
    // words (`3lbs` -> `lbs`, `1ère` -> `ère`).
    const bool leading_digit = text::is_digit(query[0]);
    if (leading_digit && !facts_.leading_digit_as_letter) return {};
    const auto own_centibels = lexicon.centibels(folded);
    const RealWordTwins& twins = facts_.wide_real_word_twins ? params_.wide_twins : params_.narrow_twins;
    // Known words get twins: listed words up to the length above and, in English, words only
    // the spell checker knows (`cither`, `mooting`, `coiner` for `either`, `meeting`, `corner`),
    // too rare for the frequency list, of any length from four letters.
    const bool unlisted_reading = known && !own_centibels && facts_.spell_checker_twins && query.size() >= 4;
    if (known && !unlisted_reading && (!own_centibels || query.size() > twins.max_length)) return {};
    const int max_distance = query.size() <= 3 ? 1 : 2;
    // Rank by frequency and plain distance first; the weighted channel is costlier, so it
    // sees only the likeliest few dozen.
    auto suggestions = resources_.index->lookup(query, max_distance);
    const auto rough = [&](const lexicon::Suggestion& s) {
        return lexicon.log_frequency_of(s.word_id) - params_.shortlist_distance_weight * s.distance;
    };
    const std::size_t shortlist = params_.shortlist;
    if (suggestions.size() > shortlist) {
        std::partial_sort(suggestions.begin(), suggestions.begin() + static_cast<std::ptrdiff_t>(shortlist), suggestions.end(),
                          [&](const auto& a, const auto& b) { return rough(a) > rough(b); });
        suggestions.resize(shortlist);
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
    const bool free_accents = facts_.free_accents;
    const std::string strip_accents = known && !free_accents ? std::string() : strip_diacritics(folded);
    // No spelling writes a letter three times (`isssue`): a reading that drops one corrects.
    bool tripled = false;
    for (std::size_t k = 2; k < query.size(); ++k)
        tripled = tripled || (query[k] == query[k - 1] && query[k] == query[k - 2] && text::is_letter(query[k]));
    std::vector<Proposal> found;
    double cheapest = params_.max_channel_cost + 1.0;  // channel cost of the best reading found
    const std::string own_spelling_key = spelling_key(folded, facts_.spelling_folds);
    // `garbled`: a reading the channel walk found beyond max_channel_cost (below).
    auto consider = [&](const lexicon::Suggestion& suggestion, bool garbled = false) {
        const std::string& candidate = lexicon.words()[suggestion.word_id];
        if (lone_letter && candidate == "i" && folded != "i") return;  // `n`, `m` or `u` are no pronoun
        const int candidate_centibels = lexicon.centibels_of(suggestion.word_id);
        if (known) {
            if (candidate_centibels > params_.real_word_max_centibels ||
                (own_centibels && candidate_centibels + twins.min_ratio_centibels > *own_centibels))
                return;
        }
        // The word itself, in its proper case, is a reading of a word with broken case (`deS`).
        // A candidate with the original's spelling key would modernise a spelling, but one
        // that only drops the original's diacritics fixes a speck read as an accent or an
        // umlaut (`häben`, `dürch`, `océan`). In French only in the short listed words the
        // twins above allow, whose bare form is far commoner (`dé`, `lés`, `dè` -> `de`,
        // `les`): old French books accent other words their own way (`consolés`, `galopé`,
        // `impatienté`), and on the dev set dropping those hurt as often as it helped.
        const bool drops_specks = candidate == strip_accents && strip_accents != folded && (!free_accents || known);
        // The index holds the code points of the words it indexes (up to 24 of them).
        std::u32string decoded;
        std::u32string_view intended = resources_.index->code_points(suggestion.word_id);
        if (intended.empty()) intended = decoded = text::to_code_points(candidate);
        // A lone small `i` read as the pronoun `I` is the one reading with the word's own key.
        const bool pronoun = lone_letter && candidate == "i";
        // An English word with more e's than the candidate, the same otherwise, is its old spelling.
        const bool old_english_e = facts_.early_modern_e && candidate.size() < folded.size() &&
                                   without_inner_e(candidate) == without_inner_e(folded);
        if (leading_digit && intended.size() != query.size()) return;
        // The channel rules out half the candidates, the spelling key one in a hundred.
        const double cost = confusions_.cost(query, intended);
        if (!garbled && cost > (known ? twins.max_channel_cost : params_.max_channel_cost)) return;
        // A letter doubled where Fraktur's umlaut was read as a second letter (`knaäben`) is
        // a misreading too, whichever of the pair the reading keeps.
        if ((spelling_key(candidate, facts_.spelling_folds) == own_spelling_key || old_english_e) && !(candidate == folded && broken_case) &&
            !drops_specks && !pronoun && !tripled && !drops_doubled_umlaut(query, intended))
            return;
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
        proposal.kind = known ? ProposalKind::real_word : garbled ? ProposalKind::garbled : ProposalKind::non_word;
        proposal.channel_cost = cost;
        proposal.log_prior = lexicon.log_frequency_of(suggestion.word_id);
        cheapest = std::min(cheapest, cost);
        found.push_back(std::move(proposal));
    };
    for (const auto& suggestion : suggestions) consider(suggestion);
    // A word garbled by several cheap misreadings (`dosortlon`: o->e twice and l->i, three
    // plain edits; `dofoudeiit`: defendant) is out of the lookups' reach above. When they
    // found no close reading, walk the lexicon under the channel: every word within the
    // budget, however many misreadings it takes.
    if (!known && query.size() >= params_.deep_min_length && cheapest > params_.deep_when_cheapest_above) {
        std::vector<std::uint32_t> seen;
        for (const auto& suggestion : suggestions) seen.push_back(suggestion.word_id);
        std::sort(seen.begin(), seen.end());
        // The fast tier applies only a reading within kFastMaxChannelCost, and none was found
        // above: the walk can change its result only by finding one of those cheap readings,
        // which are all among some_reading_within's. Where each of them was weighed already,
        // the walk is skipped; the fast tier's edits are the same. (Only while the walk waits
        // for a reading over kFastMaxChannelCost: with a lower bar, a reading between the two
        // could be the slot's best.)
        const bool fast = reach_ == Reach::non_words;
        const bool worth_looking_deeper =
            !fast || params_.deep_when_cheapest_above < kFastMaxChannelCost ||
            confusions_.some_reading_within(query, kFastMaxChannelCost + 1e-6, [&](std::string_view reading) {
                const auto id = lexicon.id_of(reading);
                return id && !std::binary_search(seen.begin(), seen.end(), *id);
            });
        if (worth_looking_deeper) {
            const double budget = fast ? kFastMaxChannelCost + 1e-6
                                       : std::max(params_.max_channel_cost,
                                                  std::min(params_.garbled_max_cost,
                                                           params_.garbled_cost_per_letter * static_cast<double>(query.size())));
            std::vector<lexicon::LexiconTrie::Reading> walked;
            resources_.trie().within(confusions_, query, budget, walked, params_.deep_max_steps);
            std::vector<lexicon::LexiconTrie::Reading> beyond;
            // The lookups' words were weighed within max_channel_cost already; beyond it
            // they are new.
            for (const auto& reading : walked) {
                if (reading.cost > params_.max_channel_cost) beyond.push_back(reading);
                else if (!std::binary_search(seen.begin(), seen.end(), reading.word_id)) consider({reading.word_id, 3});
            }
            // Beyond the usual bound, only the likeliest few: most of a long word's budget is
            // spent on readings no context wants.
            const auto likelier = [&](const auto& a, const auto& b) {
                return lexicon.log_frequency_of(a.word_id) - a.cost > lexicon.log_frequency_of(b.word_id) - b.cost;
            };
            const std::size_t keep = std::min(beyond.size(), params_.garbled_readings);
            std::partial_sort(beyond.begin(), beyond.begin() + static_cast<std::ptrdiff_t>(keep), beyond.end(), likelier);
            for (std::size_t k = 0; k < keep; ++k) consider({beyond[k].word_id, 3}, true);
        }
    }
    // A run-together pair: both halves common words.
    if (!known && query.size() >= 4) {
        for (std::size_t cut = 1; cut + 1 < query.size(); ++cut) {
            const std::string left = text::to_utf8(query.substr(0, cut)), right = text::to_utf8(query.substr(cut));
            const auto l = lexicon.centibels(left), r = lexicon.centibels(right);
            if (!l || !r || *l > params_.split_part_max_centibels || *r > params_.split_part_max_centibels) continue;
            if ((cut == 1 && left != "a" && left != "i" && left != "y" && left != "à") ) continue;
            const std::u32string original_points = text::to_code_points(original);
            Proposal proposal;
            proposal.replacement = text::to_utf8(original_points.substr(0, cut)) + " " +
                                   text::to_utf8(original_points.substr(cut));
            proposal.kind = ProposalKind::split;
            proposal.channel_cost = params_.split_cost;
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

bool LexicalProposer::is_lone_misread_letter(std::string_view word) const {
    // In English OCR makes `n` and `u` of `a`, and `m` of `in`; a lone small `i` is no word at
    // all (`which i have` I, `i the` in). Other lone letters are as often
    // pieces of a word (`Mackenzie s`, `don t`) or initials: on the dev set,
    // reading every small letter but a, i, o and v fixed 47 words and broke 20.
    return LanguageFacts::contains(facts_.misread_lone_letters, word);
}

bool LexicalProposer::reads_as_old_final_e(std::string_view word) const {
    const lexicon::Lexicon& lexicon = *resources_.lexicon;
    if (!facts_.early_modern_e) return false;
    const std::string folded = text::fold_for_lookup(word);
    if (folded.size() < 4 || folded.back() != 'e' || lexicon.is_known(word)) return false;
    const auto stem = lexicon.centibels(folded.substr(0, folded.size() - 1));
    return stem && *stem <= params_.old_final_e_stem_max_centibels;
}

bool LexicalProposer::in_old_spelling(std::string_view text, const std::vector<text::TextToken>& tokens) const {
    if (!facts_.early_modern_e) return false;
    int words = 0, old = 0;
    for (const auto& token : tokens) {
        if (token.kind != text::TokenKind::word || text::to_code_points(token.view(text)).size() < 2) continue;
        ++words;
        if (reads_as_old_final_e(token.view(text))) ++old;
    }
    return old >= params_.old_spelling_min_words && old * 100 >= words * params_.old_spelling_min_percent;
}

bool LexicalProposer::reads_as_broken_case(std::string_view word) const {
    // English writes names and brands in CamelCase (`YouTube`, `PowerPoint`): a known word
    // in that shape stays known there. German compounds read that way are OCR (`SonntagSarbeit`).
    return has_broken_case(word) && !(facts_.camel_case_words && is_camel_case(word));
}

}  // namespace ocrfix::correct
