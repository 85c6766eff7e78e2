// `ocrfix eval FILE.jsonl...`: correction quality on {id, lang, ocr, gt} records.
#pragma once

#include <CLI/CLI.hpp>

namespace ocrfix::cli {

// Registers the `eval` subcommand; it runs from the callback and sets `exit_code`.
void add_eval_command(CLI::App& app, int& exit_code);

}  // namespace ocrfix::cli
