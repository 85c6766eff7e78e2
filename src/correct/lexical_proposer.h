// The lexical proposer: candidate edits for each word from the lexicon, the SymSpell index
// and the OCR confusion model (word_readings.cpp), and from the context rules of the rule
// registry (rules/registry.h). Generous by design; the verifier decides.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "correct/language_facts.h"
#include "correct/language_resources.h"
#include "correct/lexical_params.h"
#include "correct/proposal.h"
#include "correct/word_case.h"
#include "lexicon/confusion_model.h"
#include "text/tokens.h"

namespace ocrfix::correct {

class LexicalProposer {
public:
    // What the caller weighs. The fast tier's decision (score_without_model) takes only
    // readings of unknown words in small letters or at a sentence start: with `non_words`,
    // no other reading is made (twins of known words, rules, joins, merges), and those it
    // takes come out as with `all`. Most words are known, and their twins cost lookups.
    enum class Reach { all, non_words };
    explicit LexicalProposer(const LanguageResources& resources, Reach reach = Reach::all);

    // Candidates for every word of `text` that deserves some, best first within a slot,
    // at most `per_slot` per slot. Words broken by a mid-line hyphen or a space get joins
    // and merges only when `join_broken_words`; a word with a lone letter broken off by a
    // space (`w as`, `poli c e`) always (an OCR space, not the page's break). Stops early,
    // with part of the candidates, once `should_stop` returns true (asked every few hundred
    // tokens): the caller then throws the result away.
    std::vector<Proposal> propose(std::string_view text, std::size_t per_slot = 3, bool join_broken_words = false,
                                  const std::function<bool()>& should_stop = nullptr) const;

private:
    // Where a word stands in its sentence.
    struct WordPlace {
        bool sentence_start = false;     // after a full stop, `!` or `?`, or at the text's start
        bool among_small_words = false;  // the words next to it, before and after, start small
        bool after_title = false;        // after an initial or a title (`J. `, `Mr. `, `Sir `)
    };
    // The readings of `word`, placed in the text; from resources_.readings when the word
    // was met before.
    void propose_for_word(std::string_view text, const text::TextToken& word, bool known, WordPlace place,
                          std::vector<Proposal>& out, std::size_t per_slot) const;
    // The readings of a word as written, best first, at most `per_slot`; offsets and
    // `capitalised` are left for the caller.
    std::vector<Proposal> readings_of(std::string_view original, bool known, std::size_t per_slot) const;
    // A lone small letter that is a misread word (LanguageFacts::misread_lone_letters: in
    // English `n`, `u` or `m` alone, a misread `a` or `in`).
    bool is_lone_misread_letter(std::string_view word) const;
    // A word spelled as a common word with a final e added (`worke`, `drinke`, `soone`), the
    // early modern spelling of that word (LanguageFacts::early_modern_e).
    bool reads_as_old_final_e(std::string_view word) const;
    // A text in early modern spelling, where enough of its words are spelled so
    // (LexicalParams::old_spelling_min_words, old_spelling_min_percent).
    bool in_old_spelling(std::string_view text, const std::vector<text::TextToken>& tokens) const;
    // has_broken_case, except for CamelCase where the language writes it (`YouTube`).
    bool reads_as_broken_case(std::string_view word) const;
    const LanguageResources& resources_;
    Reach reach_;
    const LanguageFacts& facts_;
    const LexicalParams& params_;  // lexical_params(): the readings cache assumes one set
    const lexicon::ConfusionModel& confusions_ = lexicon::ConfusionModel::builtin();
};

}  // namespace ocrfix::correct
