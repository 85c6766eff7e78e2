// Model options on a subcommand, generated from the settings table (ocrfix::model_settings),
// so the CLI spells every setting as the table does and needs no edit when a field is added.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ocrfix/model_config.h"

namespace ocrfix::cli {

class ModelOptions {
public:
    // Adds one option per setting to `command`; `only` restricts them to those names
    // (empty = all). The object must outlive the parse: CLI11 writes into it.
    void add_to(CLI::App& command, const std::vector<std::string_view>& only = {});

    // Defaults, then the OCRFIX_* environment, then the flags given. Throws
    // ocrfix::Error(invalid_argument) naming the flag that does not parse.
    ModelConfig config() const;

private:
    std::map<std::string, std::string> given_;  // setting name -> value as typed ("" = not given)
};

// llama.cpp users type `-ngl 99`; CLI11 only knows one-letter short options, so main()
// rewrites the arguments before parsing.
void rewrite_llama_style_flags(std::vector<std::string>& args);

}  // namespace ocrfix::cli
