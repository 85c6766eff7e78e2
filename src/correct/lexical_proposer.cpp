// The lexical proposer's walk over a text's tokens: each word's readings (word_readings.cpp),
// joins and merges of broken words, and the context rules of the registry, stage by stage.
#include "correct/lexical_proposer.h"

#include <algorithm>
#include <optional>

#include "correct/rules/registry.h"
#include "correct/spelling_variants.h"
#include "correct/token_context.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

using text::is_gap;

LexicalProposer::LexicalProposer(const LanguageResources& resources, Reach reach)
    : resources_(resources), reach_(reach), facts_(language_facts(resources.lexicon->language())), params_(lexical_params()) {}

std::vector<Proposal> LexicalProposer::propose(std::string_view text, std::size_t per_slot, bool join_broken_words,
                                               const std::function<bool()>& should_stop) const {
    const lexicon::Lexicon& lexicon = *resources_.lexicon;
    const auto tokens = text::tokenize(text);
    // In a text in early modern spelling, `worke` and `drinke` are that spelling of `work`
    // and `drink`: no misreading of `works` and `drinks`. On the English dev pairs such texts
    // had 4 to 17 of these words, the others none to 2; where the others have one (`facte`,
    // `upwarde`), it is a misreading.
    const bool old_spelling = in_old_spelling(text, tokens);
    std::vector<Proposal> out;
    // The rules that run for this language, by stage, in the registry's order.
    std::vector<const Rule*> token_rules, word_rules, word_end_rules;
    const bool non_words_only = reach_ == Reach::non_words;
    if (non_words_only) join_broken_words = false;
    for (const Rule* rule : rules()) {
        if (!rule->runs_for(facts_) || non_words_only) continue;  // no rule reads a non-word
        (rule->stage == RuleStage::token ? token_rules : rule->stage == RuleStage::word ? word_rules : word_end_rules)
            .push_back(rule);
    }
    std::vector<std::size_t> first_made_at(tokens.size());  // out.size() when token i began
    auto run = [&](const std::vector<const Rule*>& stage, std::size_t i) {
        const std::size_t recent = first_made_at[i >= RuleInput::kRecentTokens ? i - RuleInput::kRecentTokens : 0];
        const RuleInput input{text, tokens, i, lexicon, facts_, params_, out, recent};
        for (const Rule* rule : stage) rule->propose(input, out);
    };
    constexpr std::size_t kTokensBetweenStopChecks = 256;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (should_stop && i % kTokensBetweenStopChecks == 0 && should_stop()) break;
        first_made_at[i] = out.size();
        const auto& token = tokens[i];
        run(token_rules, i);
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
            if (!centibels || *centibels > params_.joined_max_centibels) return std::nullopt;
            return joined;
        };
        auto push_join = [&](ProposalKind kind, double channel_cost, std::string replacement, const std::string& joined) {
            out.push_back({token.begin, tokens[i + 2].end, std::move(replacement), kind, channel_cost,
                           lexicon.log_frequency(joined), false, {}});
        };
        auto pieces = [&] { return std::string(token.view(text)) + std::string(tokens[i + 2].view(text)); };
        // A mid-line hyphen inside a word: propose the joined word when it is a word and a half is not.
        if (join_broken_words && next_piece && tokens[i + 1].view(text) == "-")
            if (const auto joined = joined_with_next(lexicon.is_known(token.view(text))))
                push_join(ProposalKind::join, params_.join_cost, pieces(), *joined);
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
        place.after_title = !facts_.titles.empty() && after_title(text, tokens, prior, facts_.titles);
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
        if ((!piece || compound_part()) && !(old_spelling && reads_as_old_final_e(token.view(text))) &&
            !(known && non_words_only)) {
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
        run(word_rules, i);
        // Guillemets are a common misreading of s, n or e in old print (`Mis«` Miss, `de»` des,
        // `Ge«etz` Gesetz): the word with its guillemet is a slot of its own. A guillemet
        // before a word opens a German quotation, so that side is read only where the language's
        // facts say so (English: LanguageFacts::guillemet_before_word_misread).
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
        if (!piece && i >= 1 && is_guillemet(i - 1) && facts_.guillemet_before_word_misread &&
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
        run(word_end_rules, i);
        // A word broken by one space: the two pieces joined form a common word, unless the
        // lone-letter merge made that reading already (`w as`).
        if (join_broken_words && next_piece && tokens[i + 1].view(text) == " ")
            if (const auto joined = joined_with_next(known)) {
                const std::string reading = pieces();
                const bool made = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(lone_letter_merges), out.end(),
                                              [&](const Proposal& p) {
                                                  return p.end == tokens[i + 2].end && p.replacement == reading;
                                              });
                if (!made) push_join(ProposalKind::merge, params_.merge_cost, reading, *joined);
            }
        // Where the facts say so (English): a word broken at a line end whose hyphen the OCR
        // lost (`suc⏎cessor`, `Am⏎bassador`): the pieces joined form a common word, not both are
        // words, and the second goes on in small letters. In the dev run that added it, 81 of the joins made
        // in Overproof were right and 32 wrong (its ground truth keeps some of the page's
        // hyphens: `met-⏎ropolitan`). German transcriptions keep their break marks
        // (`be⸗⏎gleitete`): all 4 German joins were wrong.
        if (facts_.join_lost_line_end_hyphens && !non_words_only && next_piece && tokens[i + 1].kind == text::TokenKind::newline &&
            starts_small(text, tokens[i + 2]))
            if (const auto joined = joined_with_next(known))
                push_join(ProposalKind::merge, params_.merge_cost, restore_case(token.view(text), *joined), *joined);
    }
    return out;
}

}  // namespace ocrfix::correct
