// The score stage: every proposal worth it is scored by the language model in context
// (verifier.h) and gets its decision margin (decision.h). Errors hide each other ("a smple
// txt"), so close calls are scored again with their neighbours' likeliest fixes in place;
// those passes are internal to this stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "correct/decide.h"
#include "correct/decision.h"
#include "correct/language_resources.h"
#include "llm/context.h"

namespace ocrfix::correct {

// The text-level facts the decision weighs besides each candidate's own.
struct TextFacts {
    const LanguageResources* resources = nullptr;  // null: no lexicon reads the text
    bool english = false;
    bool german = false;
    double suspect_share = 0.0;  // decision.h
    const std::vector<double>* confidences = nullptr;  // per byte of the input; null: none
    double unsure_share = -1.0;  // unsure_share() of the input; -1: no confidences
};

// The share of a text's words that the OCR was unsure of (confidence below `below`), among
// the words that have a confidence: how clean the OCR itself says the page is. -1 where fewer
// than `min_words` words have one: too few to say.
double unsure_share(std::string_view text, const std::vector<double>& confidences, double below, int min_words);

// Scores `proposals` (`from_rewrite[i]`: proposal i came from the LLM rewrite) with the
// model and sets each one's margin.
std::vector<Scored> score_proposals(std::string_view input, const std::vector<Proposal>& proposals,
                                    const std::vector<bool>& from_rewrite, const TextFacts& facts,
                                    llm::Context& context, const DecisionModel& model);

// Sets DecisionFeatures::quiet of each proposal's features (`features[i]` are proposal i's):
// whether no non-word reading (from_rewrite false) within model.quiet_window bytes of its
// start costs at most model.quiet_evidence_cost.
void mark_quiet(const std::vector<Proposal>& proposals, const std::vector<bool>& from_rewrite, const DecisionModel& model,
                std::vector<DecisionFeatures>& features);

// No neural model (the fast tier): the lexicon's prior and the channel decide, and only for
// non-words with one clear winner, `fast_margin` nats ahead of the runner-up.
std::vector<Scored> score_without_model(const std::vector<Proposal>& proposals, double fast_margin);
// The channel cost, in nats, above which the fast tier applies no reading: its best reading
// of a word must be at most this far from the word as written.
inline constexpr double kFastMaxChannelCost = 2.5;

// One JSON line for the candidate log (PipelineOptions::candidate_log): the raw material for
// tuning (scripts/fit_decision.py, scripts/residuals.py).
std::string candidate_log_line(std::string_view input, const std::string& language, const TextFacts& facts,
                               const std::vector<Scored>& scored);

}  // namespace ocrfix::correct
