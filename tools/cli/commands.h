// The subcommands of `ocrfix`. Each adds itself to the app and runs from a CLI11 callback;
// failures are thrown as ocrfix::Error and main() maps them to the documented exit codes.
#pragma once

#include <CLI/CLI.hpp>

namespace ocrfix::cli {

// `exit_code` receives the exit code of a batch (--output-dir), which reports failures of
// single files without throwing.
void add_correct_command(CLI::App& app, int& exit_code);
void add_batch_worker_command(CLI::App& app);
void add_models_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_ocr_command(CLI::App& app);  // ocr_command.cpp: page images and PDFs through Tesseract

}  // namespace ocrfix::cli
