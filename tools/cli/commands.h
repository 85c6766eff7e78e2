// The subcommands of `ocrfix`. Each adds itself to the app and runs from a CLI11 callback;
// failures are thrown as ocrfix::Error and main() maps them to the documented exit codes.
#pragma once

#include <CLI/CLI.hpp>

namespace ocrfix::cli {

void add_correct_command(CLI::App& app);
void add_models_command(CLI::App& app);
void add_serve_command(CLI::App& app);

}  // namespace ocrfix::cli
