// The words of a corrected page as JSON, for the answers that carry word boxes: POST /v1/ocr
// and POST /v1/correct's JSON answer to an hOCR, ALTO or PAGE body. The web page draws them.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "layout/document.h"
#include "ocrfix/edit.h"

namespace ocrfix::server {

// [{"text", "box": [left, top, right, bottom] or null, "confidence", "edits": [i, ...]}, ...]
// for `words`, the words of the corrected document (read again after Document::apply), whose
// spans are bytes into its text. "edits" are the indices into result.edits of the edits that
// wrote onto the word. A word whose span does not hold its text in result.text (the layout
// left an edit before it out) gets none, rather than another word's.
nlohmann::json corrected_words_to_json(const std::vector<layout::Word>& words, const CorrectionResult& result);

}  // namespace ocrfix::server
