#include "correct_document.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "layout/document.h"
#include "ocrfix/error.h"
#include "result_json.h"
#include "text/utf8.h"

namespace ocrfix::cli {

std::string read_input(const std::string& name) {
    if (name == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::error_code ec;
    if (std::filesystem::is_directory(name, ec))
        throw Error(ErrorCategory::io, "'" + name + "' is a folder; pass the text files inside it, or use --output-dir");
    std::ifstream file(name, std::ios::binary);
    if (!file)
        throw Error(ErrorCategory::io, "cannot read '" + name + "': no such file or no permission; check the path");
    std::string bytes(std::istreambuf_iterator<char>(file), {});
    if (file.bad()) throw Error(ErrorCategory::io, "reading '" + name + "' failed; check the disk");
    return bytes;
}

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

nlohmann::json correct_json_document(Engine& engine, const std::string& name, std::string_view text) {
    nlohmann::json document = {{"input", name == "-" ? "stdin" : name}};
    document.update(server::result_to_json(text, engine.run_postprocessor(text)));
    return document;
}

void note_edits_left_out(const std::string& name, std::size_t count) {
    if (count > 0)
        std::cerr << "ocrfix: " << (name == "-" ? "stdin" : name) << ": " << count
                  << " edit(s) cross a line break or change a line-end hyphen, which the layout marks itself, "
                     "and were left out\n";
}

CorrectionResult correct_layout_text(Engine& engine, const layout::Document& document) {
    RunOptions options;
    options.confidences = document.byte_confidences();
    return engine.run_postprocessor(document.text(), options);
}

std::string apply_to_layout(layout::Document& document, const CorrectionResult& result, const std::string& name,
                            bool quiet) {
    const layout::ApplyReport report = document.apply(result);
    if (!quiet) note_edits_left_out(name, report.not_applied);
    return document.serialize();
}

FileCorrection correct_whole_file(Engine& engine, const std::string& name, std::string_view bytes,
                                  OutputFormat format, bool keep_layout) {
    FileCorrection done;
    if (layout::looks_like_xml(bytes)) {
        layout::Document document = layout::Document::parse(bytes, name);
        const CorrectionResult result = correct_layout_text(engine, document);
        done.characters = text::count_code_points(document.text());
        done.edits = result.edits.size();
        if (keep_layout) {
            done.output = apply_to_layout(document, result, name, /*quiet=*/true);  // a note would tear the bar
        } else if (format == OutputFormat::json) {
            nlohmann::json json = {{"input", name}, {"input_format", layout::format_name(document.format())}};
            json.update(server::result_to_json(document.text(), result));
            done.output = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        } else if (format == OutputFormat::text) {
            done.output = result.text;
        } else {
            throw Error(ErrorCategory::invalid_argument,
                        "'" + name + "' is " + std::string(layout::format_name(document.format())) +
                            "; a layout file is written back as it is, as text or as json, not as jsonl");
        }
        return done;
    }
    text::require_valid_utf8(bytes, "'" + name + "'");
    done.characters = text::count_code_points(bytes);
    switch (format) {
        case OutputFormat::text: {
            CorrectionResult result = engine.run_postprocessor(bytes);
            done.edits = result.edits.size();
            done.output = std::move(result.text);
            return done;
        }
        case OutputFormat::json: {
            nlohmann::json document = correct_json_document(engine, name, bytes);
            done.edits = document["edits"].size();
            done.output = document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
            return done;
        }
        case OutputFormat::jsonl: {
            const auto lines = split_lines(bytes);
            for (std::size_t i = 0; i < lines.size(); ++i) {
                nlohmann::json record = correct_jsonl_line(engine, name, i + 1, lines[i]);
                done.edits += record["edits"].size();
                done.output += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                done.output += '\n';
            }
            return done;
        }
        case OutputFormat::diff: break;
    }
    throw Error(ErrorCategory::invalid_argument, "a batch writes text, json or jsonl, not a diff");
}

}  // namespace ocrfix::cli
