// `ocrfix correct [FILES...|-]`: correct text files or stdin, write text, a diff or JSON.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "model_options.h"
#include "ocrfix/ocrfix.h"
#include "output_file.h"
#include "output_formats.h"
#include "progress_bar.h"
#include "result_json.h"
#include "terminal.h"
#include "text/utf8.h"

namespace ocrfix::cli {

namespace {

struct CorrectArguments {
    std::vector<std::string> inputs;
    std::string output;
    std::string format = "text";
    std::string colour = "auto";
    ModelOptions model;
};

struct Input {
    std::string name;  // as given; "-" is stdin
    std::string text;
};

std::string read_input(const std::string& name) {
    if (name == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::error_code ec;
    if (std::filesystem::is_directory(name, ec))
        throw Error(ErrorCategory::io, "'" + name + "' is a folder; pass the text files inside it");
    std::ifstream file(name, std::ios::binary);
    if (!file)
        throw Error(ErrorCategory::io, "cannot read '" + name + "': no such file or no permission; check the path");
    return std::string(std::istreambuf_iterator<char>(file), {});
}

// Lines of `text` without their '\n' (and without a '\r' before it, for files from Windows).
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

// One JSONL record: a line that is a JSON object with a string "text" keeps its other
// fields (id, lang, ...); any other line is plain text.
nlohmann::json correct_jsonl_line(Engine& engine, const std::string& name, std::size_t number, std::string_view line) {
    nlohmann::json record;
    std::string text(line);
    if (!line.empty() && line.front() == '{') {
        auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (parsed.is_object() && parsed.contains("text") && parsed["text"].is_string()) {
            text = parsed["text"].get<std::string>();
            record = std::move(parsed);
        }
    }
    if (record.is_null()) record = {{"input", name == "-" ? "stdin" : name}, {"line", number}};
    const CorrectionResult result = engine.run_postprocessor(text);
    record.update(server::result_to_json(text, result));
    return record;
}

void run_correct(CorrectArguments& arguments) {
    const OutputFormat format = parse_output_format(arguments.format);
    if (arguments.inputs.empty()) arguments.inputs.push_back("-");
    // Read everything before loading the model: a typo in a path fails in milliseconds.
    std::vector<Input> inputs;
    for (const auto& name : arguments.inputs) {
        inputs.push_back({name, read_input(name)});
        text::require_valid_utf8(inputs.back().text, name == "-" ? "stdin" : "'" + name + "'");
    }

    OutputFile output(arguments.output);
    const bool colour = arguments.output.empty() && format == OutputFormat::diff &&
                        should_colour(arguments.colour, stdout);
    const ModelConfig config = arguments.model.config();
    Engine engine(config);

    std::size_t units = inputs.size();
    if (format == OutputFormat::jsonl) {
        units = 0;
        for (const auto& input : inputs) units += split_lines(input.text).size();
    }
    // When stdout is the terminal the results themselves show progress, and a bar would
    // be torn by them; the bar is for output going to a file or a pipe.
    ProgressBar progress(format == OutputFormat::jsonl ? "correcting lines" : "correcting files", units);
    const bool show_progress = units > 1 && (!arguments.output.empty() || !is_terminal(stdout));
    std::size_t done = 0;
    auto advance = [&] {
        if (show_progress) progress.update(++done);
    };

    nlohmann::json documents = nlohmann::json::array();
    for (const auto& input : inputs) {
        if (format == OutputFormat::jsonl) {
            const auto lines = split_lines(input.text);
            for (std::size_t i = 0; i < lines.size(); ++i) {
                output.write(correct_jsonl_line(engine, input.name, i + 1, lines[i]).dump() + "\n");
                advance();
            }
            continue;
        }
        const CorrectionResult result = engine.run_postprocessor(input.text);
        switch (format) {
            case OutputFormat::text: output.write(result.text); break;
            case OutputFormat::diff: output.write(format_unified_diff(input.name, input.text, result, colour)); break;
            case OutputFormat::json: {
                nlohmann::json document = {{"input", input.name == "-" ? "stdin" : input.name}};
                document.update(server::result_to_json(input.text, result));
                documents.push_back(std::move(document));
                break;
            }
            case OutputFormat::jsonl: break;
        }
        advance();
    }
    if (format == OutputFormat::json)
        output.write((documents.size() == 1 ? documents[0] : documents).dump(2) + "\n");
    if (show_progress) progress.finish();
    output.commit();
}

}  // namespace

void add_correct_command(CLI::App& app) {
    auto arguments = std::make_shared<CorrectArguments>();
    auto* command = app.add_subcommand("correct", "Correct OCR text from files or stdin and print it");
    command->add_option("inputs", arguments->inputs, "Text files (UTF-8) to correct; '-' or nothing reads stdin")
        ->type_name("FILE");
    command->add_option("-o,--output", arguments->output, "Write to FILE instead of stdout")->type_name("FILE");
    command->add_option("-f,--format", arguments->format,
                        "text (the corrected text), diff (unified diff), json (text and edits per file), "
                        "jsonl (one record per input line)")
        ->capture_default_str();
    command->add_option("--color", arguments->colour, "Colour the diff: auto (on a terminal), always, never")
        ->capture_default_str();
    arguments->model.add_to(*command);
    command->footer(
        "Examples:\n"
        "  ocrfix correct page.txt                      print the corrected text\n"
        "  cat page.txt | ocrfix correct - > fixed.txt  stdin to stdout\n"
        "  ocrfix correct -f diff page.txt              what changed, as a patch\n"
        "  ocrfix correct -f json -o page.json page.txt the text and every edit with its score\n"
        "  ocrfix correct -f jsonl lines.txt            one JSON record per input line; a line that\n"
        "                                               is a JSON object with \"text\" keeps its fields\n"
        "  ocrfix correct -m model.gguf -ngl 99 page.txt  any GGUF file, all layers on the GPU\n"
        "  ocrfix correct --hf-repo gemma3-270m --tier accurate page.txt\n\n"
        "Edit offsets in JSON are bytes into the input (into the line for jsonl).");
    command->callback([arguments] { run_correct(*arguments); });
}

}  // namespace ocrfix::cli
