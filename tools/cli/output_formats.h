// How `ocrfix correct` writes a result: the corrected text, a unified diff, or JSON.
#pragma once

#include <string>
#include <string_view>

#include "ocrfix/edit.h"

namespace ocrfix::cli {

enum class OutputFormat {
    text,   // the corrected text, byte for byte
    diff,   // a unified diff (patch(1) applies it), coloured on a terminal
    json,   // {"input", "text", "edits"} per input file
    jsonl,  // one record per input line
};

inline constexpr const char* kOutputFormatNames = "text, diff, json, jsonl";

// Throws ocrfix::Error(invalid_argument) naming the allowed formats.
OutputFormat parse_output_format(std::string_view name);

// A unified diff with no context lines, one hunk per run of changed lines; empty when no
// edit was accepted. `colour` adds ANSI colours and reverse video on the edited bytes.
std::string format_unified_diff(std::string_view name, std::string_view input, const CorrectionResult& result,
                                bool colour);

}  // namespace ocrfix::cli
