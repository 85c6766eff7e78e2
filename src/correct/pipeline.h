// The correction pipeline: detect the language, propose edits, verify them, apply the
// ones that pass. Tiers are configurations of this one pipeline.
#pragma once

#include <string>
#include <string_view>

#include "correct/language_resources.h"
#include "llm/context.h"
#include "ocrfix/edit.h"

namespace ocrfix::correct {

enum class Tier { fast, balanced, accurate };
Tier parse_tier(std::string_view name);  // throws Error(invalid_argument)

// Decision thresholds, in nats of (LM log-prob gain - channel cost). Set by hand from
// samples of the development set (12 records per file, each edit's effect on CER read from
// `ocrfix eval --output`); docs/BENCHMARKS.md has the full-set run with these values.
struct Thresholds {
    double non_word = 6.0;     // a word no lexicon knows
    double real_word = 6.0;    // a listed word replaced by a likelier twin (tho -> the)
    double split_merge = 8.0;  // spaces added or removed
    double rewrite = 8.0;      // a word the LLM rewrite changed that no lexicon proposed
    double capitalised = 4.0;  // added when the original starts with a capital (names)
    // Taken off when the model finds only one of a slot's candidates better than the
    // original: with no rival reading, there is no wrong fix to pick.
    double sole_candidate = 3.5;
    // Added for languages other than English: the small default models learnt mostly
    // English, so their verdicts on other languages need a wider margin.
    double other_language = 6.0;
    double fast_margin = 4.0;  // fast tier: prior + channel lead over the runner-up
};

struct PipelineOptions {
    Tier tier = Tier::balanced;
    std::string language = "auto";  // "auto" detects it from the text
    Thresholds thresholds;
};

// Corrects valid UTF-8 `input`. `context` may be null for the fast tier. Every returned
// edit passed the verifier; the text is the input with those edits applied.
CorrectionResult correct_text(std::string_view input, LanguageLibrary& library, llm::Context* context,
                              const PipelineOptions& options);

}  // namespace ocrfix::correct
