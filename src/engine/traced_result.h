// Keeping a custom post-processor's output traceable to its input (STYLE.md item 5).
#pragma once

#include <string_view>

#include "ocrfix/edit.h"

namespace ocrfix::engine {

// `result` made consistent with `input`: with edits, its text is recomputed from them
// (apply_edits checks them); without edits but with a different text, one edit covering
// the changed span (common prefix and suffix kept, UTF-8 boundaries respected) is derived,
// with source `source`. Throws ocrfix::Error(invalid_argument) for bad edits and
// (invalid_input) for a text that is not valid UTF-8.
CorrectionResult traced_result(std::string_view input, CorrectionResult result, std::string_view source);

}  // namespace ocrfix::engine
