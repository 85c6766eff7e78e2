// The JSON form of a correction result, shared by `ocrfix correct --format json|jsonl` and
// the server, so a pipeline reads the same fields from either.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "ocrfix/edit.h"

namespace ocrfix::server {

// {"begin", "end", "original", "replacement", "score", "source"}; offsets are bytes into
// `input`, and "original" is input[begin, end) so a reader needs no offset arithmetic.
nlohmann::json edit_to_json(std::string_view input, const Edit& edit);

// {"text": corrected, "edits": [...]}
nlohmann::json result_to_json(std::string_view input, const CorrectionResult& result);

}  // namespace ocrfix::server
