// The correction pipeline: segment, propose, verify, apply.
#pragma once

#include <string_view>

#include "llm/context.h"
#include "ocrfix/edit.h"

namespace ocrfix::correct {

struct PipelineOptions {
    // An edit is applied when the verifier's log-prob gain exceeds this (nats).
    double accept_threshold = 2.0;
};

// Corrects valid UTF-8 `input`. Every returned edit passed the verifier; the text is the
// input with those edits applied.
CorrectionResult correct_text(llm::Context& context, std::string_view input, const PipelineOptions& options);

}  // namespace ocrfix::correct
