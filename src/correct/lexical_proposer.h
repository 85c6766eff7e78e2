// The lexical proposer: candidate edits for each word from the lexicon, the SymSpell index
// and the OCR confusion model. Generous by design; the verifier decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "correct/language_resources.h"
#include "correct/proposal.h"
#include "lexicon/confusion_model.h"
#include "text/tokens.h"

namespace ocrfix::correct {

class LexicalProposer {
public:
    explicit LexicalProposer(const LanguageResources& resources) : resources_(resources) {}

    // Candidates for every word of `text` that deserves some, best first within a slot,
    // at most `per_slot` per slot. Words broken by a mid-line hyphen or a space get joins
    // and merges only when `join_broken_words`; a word with a lone letter broken off by a
    // space (`w as`, `poli c e`) always (an OCR space, not the page's break).
    std::vector<Proposal> propose(std::string_view text, std::size_t per_slot = 3, bool join_broken_words = false) const;

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
    // A speck read as a mark standing alone between two words (`the • house`); in English
    // also a lone `i`, and a lone `I` at a line's start (`farmer for⏎I some time`).
    void propose_stray_marks(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                             std::vector<Proposal>& out) const;
    // A speck read as a mark stuck to a word in small letters, at its end or start (English:
    // `marked' attention`, `is 'always`, `the .most`, `species! of`; elsewhere `.most` only).
    void propose_attached_mark(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                               std::vector<Proposal>& out) const;
    // English: `n`, `u` or `m` alone, a misread `a` or `in`.
    bool is_lone_misread_letter(std::string_view word) const;
    // English: a one-letter word read as a sign, `1` for I (`which 1 gladly`), `&` for a
    // (`of & new`).
    void propose_sign_for_letter(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                 std::vector<Proposal>& out) const;
    // French: `Il` read as `II` or `11` at a sentence's start (`II se peut`, `11 s'agit`).
    void propose_french_il(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                           std::vector<Proposal>& out) const;
    // French: an exclamation mark read as `1` or `I`, set apart as French sets it
    // (`la mort 1 Le lendemain`).
    void propose_letter_for_mark(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                 std::vector<Proposal>& out) const;
    // English: a title before a name read one letter off (`Nr. Blair`, `Mra. Hill`).
    void propose_title(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                       std::vector<Proposal>& out) const;
    // English: an initial H read as two strokes, `II`, between a title or an initial and a
    // name (`Mr. W. II. Drew`, `Mrs. II. Wallace`).
    void propose_initial_h(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                           std::vector<Proposal>& out) const;
    // A word with a letter broken off by a space (`w as`, `t he`, `poli c e`, `n a h m`): the
    // pieces from token i on, joined, when one is a lone letter that is no word of the language.
    // `merged_until` is where the merges made from earlier pieces end, at the furthest.
    void propose_lone_letter_merge(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                   std::size_t& merged_until, std::vector<Proposal>& out) const;
    // English: a small i or j read as a capital at the start of a verb form in -ed or -ing
    // after a small word or a bracket (`was Joined`, `(Instructed by`).
    void propose_small_initial_verb(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                                    std::vector<Proposal>& out) const;
    // English: a small i read as a capital in a function word mid-sentence (`sea In the`).
    void propose_small_i(std::string_view text, const std::vector<text::TextToken>& tokens, std::size_t i,
                         std::vector<Proposal>& out) const;
    // English: a word spelled as a common word with a final e added (`worke`, `drinke`,
    // `soone`), the early modern spelling of that word.
    bool reads_as_old_final_e(std::string_view word) const;
    // English: a text in early modern spelling, where at least 3 of its words, and 1 % of
    // them, are spelled so.
    bool in_old_spelling(std::string_view text, const std::vector<text::TextToken>& tokens) const;
    // has_broken_case, except for English CamelCase (`YouTube`).
    bool reads_as_broken_case(std::string_view word) const;
    const LanguageResources& resources_;
    const lexicon::ConfusionModel& confusions_ = lexicon::ConfusionModel::builtin();
};

// Writes `folded` (lower case) with the case pattern of `original`: "The", "THE", "the".
// A word in capitals with a misread small letter (`COUNTnY`) counts as capitals.
std::string restore_case(std::string_view original, std::string_view folded);

// OCR misreads a letter for its other case (`deS` des, `LoRD` LORD, `subjeCt` subject):
// capitals and small letters mixed after the first letter, or a small first letter before
// capitals (`aUS`). The part before an apostrophe and a Mc/Mac prefix do not count
// (`d'Aurelles`, `McCaw`).
bool has_broken_case(std::string_view word);

// A capital first letter, and every other capital between small letters, with at least two
// after it: `YouTube`, `PowerPoint`, `SonntagSarbeit`; not `LoRD`, `deS`, `subjeCt`.
bool is_camel_case(std::string_view word);

}  // namespace ocrfix::correct
