// The correction pipeline, in five stages: segment the text (its language, its words),
// propose readings (lexicon, context rules, the model's own, the LLM rewrite, and the
// profile's conventions), score them with the language model, decide, apply. Tiers are
// configurations of this one pipeline.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "correct/decision.h"
#include "correct/language_resources.h"
#include "correct/profile.h"
#include "llm/context.h"
#include "ocrfix/edit.h"

namespace ocrfix::correct {

enum class Tier { fast, balanced, accurate };
Tier parse_tier(std::string_view name);  // throws Error(invalid_argument)

struct PipelineOptions {
    Tier tier = Tier::balanced;
    std::string language = "auto";  // "auto" detects it from the text
    Profile profile = profiles().front();  // the transcription conventions (profile.h)
    DecisionModel decision;
    double fast_margin = 4.0;  // fast tier: prior + channel lead over the runner-up, nats
    bool model_readings = false;  // the LM proposes readings of unknown words (model_proposer.h)
    // The OCR's confidence in each byte of the input (RunOptions::confidences); empty: none.
    std::vector<double> confidences;
    // Called once per text with a JSON line: every scored candidate and the features the
    // decision could use (scoring.h), the raw material for tuning. Empty: not computed.
    std::function<void(const std::string&)> candidate_log;
    // Asked between the stages and by every model call (llm::Context::set_should_stop); once
    // it returns true, correct_text throws Error(runtime, llm::kStoppedMessage). Empty: never.
    std::function<bool()> should_stop;
};

// Corrects valid UTF-8 `input`. `context` may be null for the fast tier. Every returned
// edit passed the decision; the text is the input with those edits applied. Throws
// Error(runtime, llm::kStoppedMessage) when options.should_stop asks it to stop.
CorrectionResult correct_text(std::string_view input, LanguageLibrary& library, llm::Context* context,
                              const PipelineOptions& options);

}  // namespace ocrfix::correct
