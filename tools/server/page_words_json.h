// The words of a corrected page as JSON, for the answers that carry word boxes: POST /v1/ocr
// and POST /v1/correct's JSON answer to an hOCR, ALTO or PAGE body. The web page draws them.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "layout/document.h"

namespace ocrfix::server {

// [{"text", "box": [left, top, right, bottom] or null, "confidence", "edits": [i, ...]}, ...]
// for `words`, the words of the corrected document (read again after Document::apply), with
// `word_edits` (layout::edits_of_words): per word, the indices into the result's edits that
// wrote onto it.
nlohmann::json corrected_words_to_json(const std::vector<layout::Word>& words,
                                       const std::vector<std::vector<std::size_t>>& word_edits);

}  // namespace ocrfix::server
