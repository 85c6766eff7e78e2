// ocrfix::PostProcessor: a replaceable step that turns a batch of texts into results, run
// by Engine::run_postprocessor after Engine::set_post_processor (the seed SDK's
// IOcrAIPostProcessor). Without one, the Engine runs its built-in correction.
#pragma once

#include <string>
#include <vector>

#include "ocrfix/edit.h"

namespace ocrfix {

class Engine;

class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    // One result per text, in order. `engine` is the Engine running the processor: inside
    // process(), engine.run_postprocessor(...) gives the built-in correction (it does not
    // call this processor again). A result whose edits are empty but whose text differs
    // from the input gets edits derived by the Engine, so every output traces to its input.
    virtual std::vector<CorrectionResult> process(Engine& engine, const std::vector<std::string>& texts) = 0;
};

}  // namespace ocrfix
