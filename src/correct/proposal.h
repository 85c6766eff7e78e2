// A candidate edit from a proposer: one way to read a slot of the text. The verifier and
// the decision (decision.h) judge it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ocrfix::correct {

enum class ProposalKind {
    non_word,   // the word is in no lexicon: a misreading of a known word
    real_word,  // the word exists but is a frequent OCR twin of a far likelier one (tho/the)
    split,      // two words run together (theEvenings)
    merge,      // one word broken by a space (dis pensation)
    join,       // a word broken by a mid-line hyphen (réali-sation)
    garbled,    // a non-word read beyond the usual channel bound: many cheap misreadings
                // (`dofoudeiit` -> `defendant`), found by the lexicon's channel walk
    // Judged by the LM gain alone, each against its bar (rules/registry.cpp): the fitted
    // model's features (frequencies, channel) describe misread words, not case.
    small_i,    // a small i read as a capital mid-sentence (`was In the` -> `was in the`)
    stray_mark, // a speck read as a mark between words (`the • house` -> `the house`)
    sign_for_letter,  // a one-letter word read as a sign (`and 1 shall` -> `and I shall`, `of & new`)
    letter_for_mark,  // a mark read as a letter or digit (French `mort 1 Le` -> `mort ! Le`)
    title,      // a title before a name read one letter off (`Nr. Blair` -> `Mr. Blair`)
    model,      // the language model's own reading of an unknown word (model_proposer.h)
};

// True for the kinds the LM gain alone decides, not the fitted model: those with a bar in
// the rule registry (small_i, stray_mark, sign_for_letter, letter_for_mark, title).
bool judged_by_gain_alone(ProposalKind kind);

struct Proposal {
    std::size_t begin = 0;  // byte offsets into the text
    std::size_t end = 0;
    std::string replacement;
    ProposalKind kind = ProposalKind::non_word;
    double channel_cost = 0.0;  // nats: -log p(observed | replacement)
    double log_prior = 0.0;     // nats: log frequency of the replacement
    bool capitalised = false;   // the original starts with a capital (often a name)
    // The context rule that made it (its registry name, rules/registry.h); empty for a
    // word's own readings.
    std::string_view source;
};

// The kind's name (rules/registry.cpp).
const char* to_string(ProposalKind kind);
// What an edit made from `proposal` names as its source: its rule, else its kind.
std::string_view source_of(const Proposal& proposal);

}  // namespace ocrfix::correct
