// The ocrfix command line.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "eval_command.h"
#include "ocrfix/ocrfix.h"

namespace {

// Exit codes (documented in --help and the README).
enum ExitCode : int {
    kOk = 0,
    kFailure = 1,        // inference or I/O failed
    kUsage = 2,          // bad command line
    kModelProblem = 3,   // model missing, corrupt, or not downloadable
    kBadInput = 4,       // input not valid UTF-8 or unreadable
};

const char* const kExitCodes =
    "Exit codes: 0 success, 1 runtime or I/O failure, 2 usage error, 3 model missing or invalid, "
    "4 input not valid UTF-8 or unreadable.";

std::string read_input(const std::string& name) {
    if (name == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::ifstream file(name, std::ios::binary);
    if (!file)
        throw ocrfix::Error(ocrfix::ErrorCategory::io, "cannot read '" + name + "': no such file or no permission");
    return std::string(std::istreambuf_iterator<char>(file), {});
}

int exit_code_for(ocrfix::ErrorCategory category) {
    switch (category) {
        case ocrfix::ErrorCategory::model_not_found:
        case ocrfix::ErrorCategory::model_invalid:
        case ocrfix::ErrorCategory::download: return kModelProblem;
        case ocrfix::ErrorCategory::invalid_input:
        case ocrfix::ErrorCategory::io: return kBadInput;
        case ocrfix::ErrorCategory::invalid_argument: return kUsage;
        default: return kFailure;
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ocrfix: corrects the errors OCR leaves in text, with a local language model.\n"
                 "Text outside accepted edits is kept byte for byte."};
    app.set_version_flag("--version", ocrfix::version_string());
    app.require_subcommand(1);
    app.footer(std::string("Examples:\n"
                           "  ocrfix correct scan.txt            correct a file, print the result\n"
                           "  echo 'Ths is a smple txt.' | ocrfix correct -\n"
                           "  ocrfix correct -m model.gguf page.txt\n\n") +
               kExitCodes);

    std::vector<std::string> inputs;
    auto* correct = app.add_subcommand("correct", "Correct OCR text from files or stdin ('-') and print it");
    correct->add_option("inputs", inputs, "Text files to correct; '-' or nothing reads stdin");
    // Model options come from the settings table; flags given on the command line win over
    // the OCRFIX_* environment, which wins over the defaults.
    const ocrfix::ModelConfig defaults;
    std::map<std::string, std::string> given;
    for (const auto& setting : ocrfix::model_settings()) {
        auto* option = correct->add_option(std::string(setting.cli_flags), given[std::string(setting.name)],
                                           std::string(setting.help) + " [env " + std::string(setting.env) + "]");
        option->default_str(setting.get(defaults));
    }
    correct->footer("Examples:\n  ocrfix correct page.txt\n  cat page.txt | ocrfix correct - > fixed.txt");

    int eval_exit_code = kOk;
    ocrfix::cli::add_eval_command(app, eval_exit_code);

    // llama.cpp spells it -ngl; CLI11 allows one-letter short options only.
    std::vector<std::string> args(argv + 1, argv + argc);
    for (auto& arg : args)
        if (arg == "-ngl") arg = "--ngl";
    std::reverse(args.begin(), args.end());
    try {
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? kOk : kUsage;
    }

    if (app.got_subcommand("eval")) return eval_exit_code;
    try {
        ocrfix::ModelConfig config = ocrfix::apply_environment();
        for (const auto& [name, value] : given)
            if (!value.empty()) ocrfix::set_setting(config, name, value);
        if (inputs.empty()) inputs.push_back("-");
        ocrfix::Engine engine(config);
        for (const auto& name : inputs) {
            const std::string text = read_input(name);
            const auto result = engine.run_postprocessor(text);
            std::fwrite(result.text.data(), 1, result.text.size(), stdout);
        }
        std::fflush(stdout);
    } catch (const ocrfix::Error& error) {
        std::cerr << "ocrfix: error: " << error.what() << "\n";
        return exit_code_for(error.category());
    } catch (const std::exception& error) {
        std::cerr << "ocrfix: error: " << error.what() << "\n";
        return kFailure;
    }
    return kOk;
}
