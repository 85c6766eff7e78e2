// Readings from the language model itself (ProposalKind::model). At a word the lexicon does
// not know, the tokens the model finds likely in its left context are extended into whole
// words by a short beam search, and a word is kept only where the OCR channel could have
// turned it into what was read (ConfusionModel::cost within `channel_bound`). This reaches
// what a lexicon cannot: names met earlier in the text, rare words, words garbled beyond
// two edits. The readings go through the same verifier and decision as every other.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "correct/proposal.h"
#include "lexicon/lexicon.h"
#include "llm/context.h"

namespace ocrfix::correct {

struct ModelReadingParams {
    // Left context of each word, in model tokens: enough for a sentence's start or a name
    // met a line before, and short enough that many words share one decoded stream.
    int left_tokens = 16;
    int beam_width = 3;   // readings grown side by side per word
    int beam_depth = 3;   // model tokens per reading: most words are one to three
    int beam_top = 16;    // extensions tried per reading and step
    // The most a reading may cost under the OCR channel, in nats: about two arbitrary
    // substitutions, or five learned confusions. No reading above it is ever proposed.
    double channel_bound = 7.0;
    int readings_per_word = 3;
    // A reading the model itself finds unlikely in place is no reading: below this log-prob
    // (the word and its end, given the left context), or this far below the word's best.
    double min_log_prob = -10.0;
    double max_behind_best = 5.0;
    int min_letters = 3;  // shorter unknown words are mostly abbreviations and debris
    int stream_tokens = 1024;  // tokens per decoded stream, many words' windows joined
};

// True when `reading` may be proposed for `observed` (both as written): it differs from the
// original once folded, is made of letters (and inner apostrophes), and the channel cost of
// reading it as `observed` is within `bound`. Every model reading passes this test.
bool model_reading_allowed(std::string_view observed, std::string_view reading, double bound);

// Readings for the words of `text` that `lexicon` does not know, at most
// `readings_per_word` each, likeliest under the model first. Words that begin at a byte in
// `skip` get none (their lexical readings are cheap enough).
std::vector<Proposal> propose_model_readings(std::string_view text, const lexicon::Lexicon& lexicon,
                                             llm::Context& context, const std::vector<std::size_t>& skip,
                                             const ModelReadingParams& params = {});

}  // namespace ocrfix::correct
