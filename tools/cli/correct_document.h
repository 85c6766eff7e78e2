// Reading an input and rendering its correction, shared by `ocrfix correct` on stdout or -o
// and by the batch workers of `ocrfix correct --output-dir`.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "layout/document.h"
#include "ocrfix/engine.h"
#include "output_formats.h"

namespace ocrfix::cli {

// The bytes of a file, or of stdin for "-". Throws ocrfix::Error(io) naming the file when it
// is a folder or cannot be read. The text is not checked: see text::require_valid_utf8.
std::string read_input(const std::string& name);

// Lines of `text` without their '\n' (and without a '\r' before it, for files from Windows).
std::vector<std::string_view> split_lines(std::string_view text);

// One JSONL record: a line that is a JSON object with a string "text" keeps its other
// fields (id, lang, ...); any other line is plain text, recorded with `name` and its number.
nlohmann::json correct_jsonl_line(Engine& engine, const std::string& name, std::size_t number, std::string_view line);

// {"input": name, "text", "edits"}: one document of `--format json`.
nlohmann::json correct_json_document(Engine& engine, const std::string& name, std::string_view text);

// The text of a layout document corrected, its words' OCR confidences weighed
// (RunOptions::confidences).
CorrectionResult correct_layout_text(Engine& engine, const layout::Document& document);

// `result` written onto the words of `document`, which is returned serialised. Edits the
// layout cannot take (across a line break, or changing a line-end hyphen the format marks
// itself) are left out, with a note on stderr naming `name` unless `quiet`.
std::string apply_to_layout(layout::Document& document, const CorrectionResult& result, const std::string& name,
                            bool quiet = false);

// The note on stderr that `count` edits of `name` were left out of its layout (none when 0).
void note_edits_left_out(const std::string& name, std::size_t count);

// What a batch worker did with one file.
struct FileCorrection {
    std::string output;         // the bytes to write
    std::size_t characters = 0;  // code points corrected (a layout file's words)
    std::size_t edits = 0;       // accepted edits
};

// What a batch worker writes for one input file. An hOCR, ALTO or PAGE file (recognised
// from its bytes) is written back in its own format when `keep_layout`, else as `format`
// of its words' text; other files must be UTF-8 and give the corrected text, the JSON
// document, or one record per line. Throws ocrfix::Error (invalid_input for a bad file,
// invalid_argument for jsonl of a layout file; diff is not a batch format).
FileCorrection correct_whole_file(Engine& engine, const std::string& name, std::string_view bytes,
                                  OutputFormat format, bool keep_layout);

}  // namespace ocrfix::cli
