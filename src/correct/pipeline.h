// The correction pipeline: detect the language, propose edits, verify them, apply the
// ones that pass. Tiers are configurations of this one pipeline.
#pragma once

#include <string>
#include <string_view>

#include "correct/decision.h"
#include "correct/hyphenation.h"
#include "correct/language_resources.h"
#include "llm/context.h"
#include "ocrfix/edit.h"

namespace ocrfix::correct {

enum class Tier { fast, balanced, accurate };
Tier parse_tier(std::string_view name);  // throws Error(invalid_argument)

struct PipelineOptions {
    Tier tier = Tier::balanced;
    std::string language = "auto";  // "auto" detects it from the text
    // Join words the page broke at a line end and the OCR kept broken (`réali-sation`,
    // `exclu sive`). Off: such breaks are the page's, and stay.
    bool join_broken_words = false;
    LineEndHyphens line_end_hyphens = LineEndHyphens::automatic;  // correct/hyphenation.h
    DecisionModel decision;
    double fast_margin = 4.0;  // fast tier: prior + channel lead over the runner-up, nats
    bool model_readings = false;  // the LM proposes readings of unknown words (model_proposer.h)
};

// Corrects valid UTF-8 `input`. `context` may be null for the fast tier. Every returned
// edit passed the verifier; the text is the input with those edits applied.
CorrectionResult correct_text(std::string_view input, LanguageLibrary& library, llm::Context* context,
                              const PipelineOptions& options);

}  // namespace ocrfix::correct
