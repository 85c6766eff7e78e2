// `ocrfix correct [FILES...|-]`: correct text files or stdin, write text, a diff or JSON.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "batch_command.h"
#include "commands.h"
#include "correct_document.h"
#include "layout/document.h"
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
    std::string format;  // "" = text, or in a batch by each input's extension
    std::string input_format = "auto";
    std::string colour = "auto";
    std::string output_dir;
    int jobs = 0;
    ModelOptions model;
};

struct Input {
    std::string name;  // as given; "-" is stdin
    std::string text;  // the plain text to correct (a layout document's words, for hOCR, ALTO, PAGE)
    std::optional<layout::Document> document;
};

constexpr const char* kLayoutFormatNames = "hocr, alto, page";

std::optional<layout::Format> parse_layout_format(std::string_view name) {
    for (layout::Format format : {layout::Format::hocr, layout::Format::alto, layout::Format::page})
        if (name == layout::format_name(format)) return format;
    return std::nullopt;
}

// `--input-format`: text, a layout format, or (auto) a layout format when the bytes are XML.
Input read_correct_input(const std::string& name, const std::string& input_format) {
    Input input{name, read_input(name), std::nullopt};
    const std::string shown = name == "-" ? "stdin" : name;
    std::optional<layout::Format> forced;
    if (input_format != "auto" && input_format != "text") {
        forced = parse_layout_format(input_format);
        if (!forced)
            throw Error(ErrorCategory::invalid_argument,
                        "--input-format " + input_format + " is not known; use auto, text, " + kLayoutFormatNames);
    }
    if (forced || (input_format == "auto" && layout::looks_like_xml(input.text))) {
        input.document = layout::Document::parse(input.text, shown, forced);
        input.text = input.document->text();
        return input;
    }
    text::require_valid_utf8(input.text, name == "-" ? "stdin" : "'" + name + "'");
    return input;
}

void run_correct(CorrectArguments& arguments, int& exit_code) {
    if (!arguments.output_dir.empty()) {
        if (!arguments.output.empty())
            throw Error(ErrorCategory::invalid_argument, "-o names one output file; with --output-dir, leave it out");
        if (arguments.input_format != "auto")
            throw Error(ErrorCategory::invalid_argument,
                        "--input-format is for single files; a batch (--output-dir) recognises hOCR, ALTO and "
                        "PAGE files from their bytes");
        exit_code = run_batch({arguments.inputs, arguments.output_dir, arguments.format, arguments.jobs,
                               arguments.model.config()});
        return;
    }
    if (arguments.inputs.empty()) arguments.inputs.push_back("-");
    // Read everything before loading the model: a typo in a path fails in milliseconds.
    std::vector<Input> inputs;
    for (const auto& name : arguments.inputs) inputs.push_back(read_correct_input(name, arguments.input_format));

    // A layout input is written back in its own format unless -f asks for text, diff or json.
    const std::optional<layout::Format> layout_output = parse_layout_format(arguments.format);
    const bool any_layout = std::any_of(inputs.begin(), inputs.end(), [](const Input& i) { return i.document.has_value(); });
    const bool write_layout = layout_output || (arguments.format.empty() && any_layout);
    if (write_layout) {
        if (inputs.size() != 1)
            throw Error(ErrorCategory::invalid_argument,
                        "hOCR, ALTO and PAGE files are corrected one at a time (one XML document per output); "
                        "pass one file, or -f json for the text and edits of several");
        const Input& input = inputs.front();
        if (!input.document)
            throw Error(ErrorCategory::invalid_argument,
                        "-f " + arguments.format + " writes a layout document back, and '" + input.name +
                            "' is plain text; use -f text, diff or json");
        if (layout_output && *layout_output != input.document->format())
            throw Error(ErrorCategory::invalid_argument,
                        "'" + input.name + "' is " + std::string(layout::format_name(input.document->format())) +
                            ", and ocrfix writes a layout file back in its own format; leave out -f or use -f " +
                            std::string(layout::format_name(input.document->format())));
    }
    const OutputFormat format =
        parse_output_format(arguments.format.empty() || write_layout ? "text" : arguments.format);
    if (format == OutputFormat::jsonl && any_layout)
        throw Error(ErrorCategory::invalid_argument,
                    "-f jsonl reads lines of text; for hOCR, ALTO or PAGE use -f json (the text and its edits)");

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
    for (auto& input : inputs) {
        if (format == OutputFormat::jsonl) {
            const auto lines = split_lines(input.text);
            for (std::size_t i = 0; i < lines.size(); ++i) {
                output.write(correct_jsonl_line(engine, input.name, i + 1, lines[i]).dump() + "\n");
                advance();
            }
            continue;
        }
        // A layout file's words bring the OCR's confidences (input.text is the document's text).
        const CorrectionResult result =
            input.document ? correct_layout_text(engine, *input.document) : engine.run_postprocessor(input.text);
        if (write_layout) {
            output.write(apply_to_layout(*input.document, result, input.name));
            advance();
            continue;
        }
        switch (format) {
            case OutputFormat::text: output.write(result.text); break;
            case OutputFormat::diff: output.write(format_unified_diff(input.name, input.text, result, colour)); break;
            case OutputFormat::json: {
                nlohmann::json document = {{"input", input.name == "-" ? "stdin" : input.name}};
                if (input.document) document["input_format"] = layout::format_name(input.document->format());
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

void add_correct_command(CLI::App& app, int& exit_code) {
    auto arguments = std::make_shared<CorrectArguments>();
    auto* command = app.add_subcommand("correct", "Correct OCR text from files or stdin and print it");
    command->add_option("inputs", arguments->inputs,
                        "Text files (UTF-8), or hOCR, ALTO or PAGE XML files, to correct; '-' or nothing reads "
                        "stdin. With --output-dir, also folders (searched for *.txt, *.jsonl and hOCR, ALTO and "
                        "PAGE files: *.xml, *.hocr, *.html, *.xhtml)")
        ->type_name("FILE|DIR");
    command->add_option("-o,--output", arguments->output, "Write to FILE instead of stdout")->type_name("FILE");
    command->add_option("-f,--format", arguments->format,
                        "text (the corrected text; the default), diff (unified diff), json (text and edits "
                        "per file), jsonl (one record per input line); hocr, alto or page (the default for "
                        "such an input: the same document, corrected words in place). With --output-dir: "
                        "*.jsonl as jsonl, layout files as themselves, the rest as text, unless given")
        ->type_name("FORMAT");
    command->add_option("--input-format", arguments->input_format,
                        "auto (hOCR, ALTO or PAGE XML when the input is XML, else text), text, hocr, alto, page")
        ->type_name("FORMAT")
        ->capture_default_str();
    command->add_option("--output-dir", arguments->output_dir,
                        "Correct many files: one output per input under DIR, at the input's path relative "
                        "to the folder given; a rerun skips the files already done")
        ->type_name("DIR");
    command->add_option("-j,--jobs", arguments->jobs,
                        "With --output-dir: worker processes, each with its own model (0 = one per CPU "
                        "core); the cores are split between them unless -t is given")
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
        "  ocrfix correct --hf-repo gemma3-270m --tier accurate page.txt\n"
        "  ocrfix correct page.alto.xml -o fixed.xml    ALTO in, ALTO out (also hOCR, PAGE XML)\n"
        "  ocrfix correct -f json page.hocr             the hOCR's text and its edits\n"
        "  ocrfix correct --output-dir fixed/ scans/    every text, JSONL, hOCR, ALTO and PAGE file under\n"
        "                                               scans/, into fixed/ at the same paths; rerun to\n"
        "                                               resume\n"
        "  ocrfix correct --output-dir fixed/ -j 4 --tier fast scans/\n\n"
        "Edit offsets in JSON are bytes into the input (into the line for jsonl).\n"
        "A batch (--output-dir) writes each output whole or not at all, keeps going past files\n"
        "that fail, and prints a summary; fixed/.ocrfix/ holds what it needs to resume, and\n"
        "summary.json. Exit code 4 when some files failed for their input, 1 for other failures,\n"
        "130 when interrupted (Ctrl-C lets the files in progress finish).");
    command->callback([arguments, &exit_code] { run_correct(*arguments, exit_code); });
}

}  // namespace ocrfix::cli
