#include "eval_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>

#include "layout/document.h"
#include "model_options.h"
#include "ocrfix/ocrfix.h"
#include "output_file.h"
#include "text/metrics.h"
#include "text/normalize.h"

namespace ocrfix::cli {

namespace {

using json = nlohmann::json;

// Counts for one group of records (a file, a language, a file and language).
struct Tally {
    std::size_t records = 0;
    std::size_t harmed = 0;     // records whose raw CER rose
    long preference = 0;        // +1 improved, -1 harmed, 0 unchanged, summed
    text::ErrorCounts raw_before, raw_after, hipe_before, hipe_after;

    void add(const text::ErrorCounts& rb, const text::ErrorCounts& ra, const text::ErrorCounts& hb,
             const text::ErrorCounts& ha) {
        ++records;
        raw_before.add(rb), raw_after.add(ra), hipe_before.add(hb), hipe_after.add(ha);
        if (ra.char_edits > rb.char_edits) ++harmed, --preference;
        else if (ra.char_edits < rb.char_edits) ++preference;
    }
    static double reduction(const text::ErrorCounts& before, const text::ErrorCounts& after) {
        return before.char_edits ? 1.0 - double(after.char_edits) / double(before.char_edits) : 0.0;
    }
    json to_json() const {
        auto view = [](const text::ErrorCounts& b, const text::ErrorCounts& a) {
            return json{{"cer_before", b.cer()}, {"cer_after", a.cer()}, {"wer_before", b.wer()},
                        {"wer_after", a.wer()}, {"cer_reduction", reduction(b, a)},
                        {"ref_chars", b.reference_chars}, {"char_edits_before", b.char_edits},
                        {"char_edits_after", a.char_edits}};
        };
        return json{{"records", records},
                    {"harm_rate", records ? double(harmed) / double(records) : 0.0},
                    {"preference", records ? double(preference) / double(records) : 0.0},
                    {"raw", view(raw_before, raw_after)},
                    {"hipe", view(hipe_before, hipe_after)}};
    }
};

void print_row(const std::string& label, const Tally& t) {
    std::printf("%-34s %5zu  %.4f %.4f %6.1f%%  %.4f %.4f  %.4f %.4f %6.1f%%  %5.1f%% %+.3f\n", label.c_str(),
                t.records, t.raw_before.cer(), t.raw_after.cer(), 100 * Tally::reduction(t.raw_before, t.raw_after),
                t.raw_before.wer(), t.raw_after.wer(), t.hipe_before.cer(), t.hipe_after.cer(),
                100 * Tally::reduction(t.hipe_before, t.hipe_after),
                t.records ? 100.0 * double(t.harmed) / double(t.records) : 0.0,
                t.records ? double(t.preference) / double(t.records) : 0.0);
}

struct EvalArguments {
    std::vector<std::string> files;
    std::string json_path;
    std::string output_path;
    std::string candidates_path;
    std::size_t limit = 0;
    ModelOptions model;
};

// One line of an eval file: an object with string "ocr" and "gt" and an optional string
// "lang". Throws Error(invalid_input) naming the file, the line and the field.
json read_record(const std::string& file, std::size_t number, const std::string& line) {
    const std::string where = file + ":" + std::to_string(number) + ": ";
    json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded())
        throw Error(ErrorCategory::invalid_input, where + "not a JSON line; each line must be an object "
                                                          "like {\"ocr\": \"...\", \"gt\": \"...\", \"lang\": \"en\"}");
    if (!record.is_object())
        throw Error(ErrorCategory::invalid_input,
                    where + "a JSON " + std::string(record.type_name()) + ", not an object with \"ocr\" and \"gt\"");
    const bool layout = record.contains("layout");  // the OCR as hOCR, ALTO or PAGE XML instead of "ocr"
    for (const char* field : {"ocr", "gt", "lang", "layout"}) {
        const std::string_view name = field;
        const bool required = name == "gt" || (name == "ocr" && !layout);
        if (!record.contains(field)) {
            if (required)
                throw Error(ErrorCategory::invalid_input, where + "the record has no \"" + field + "\" field");
            continue;
        }
        if (!record[field].is_string())
            throw Error(ErrorCategory::invalid_input, where + "\"" + field + "\" is a " +
                                                          std::string(record[field].type_name()) +
                                                          ", not a string");
    }
    return record;
}

int run_eval(const EvalArguments& args) {
    const ModelConfig config = args.model.config();
    // Files are written whole at the end (OutputFile), or not at all when the run fails.
    std::optional<OutputFile> output;
    if (!args.output_path.empty()) output.emplace(args.output_path);
    std::optional<OutputFile> candidates_file;
    std::function<void(const std::string&)> write_candidate;  // "-": stdout, before the figures
    if (args.candidates_path == "-") {
        write_candidate = [](const std::string& line) { std::cout << line; };
    } else if (!args.candidates_path.empty()) {
        candidates_file.emplace(args.candidates_path);
        write_candidate = [&](const std::string& line) { candidates_file->write(line); };
    }
    // Read everything first so the progress bar knows the total.
    struct Record { std::string file; json value; };
    std::vector<Record> records;
    for (const auto& file : args.files) {
        std::ifstream in(file);
        if (!in) throw Error(ErrorCategory::io, "cannot read '" + file + "'");
        std::string line;
        std::size_t count = 0, number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            if (args.limit && count >= args.limit) break;
            records.push_back({file, read_record(file, number, line)});
            ++count;
        }
    }
    Engine engine(config);  // after the records: a bad line fails before the model loads
    const bool progress = isatty(STDERR_FILENO);
    std::map<std::string, Tally> by_file, by_file_language, by_language;
    Tally total;
    // A dataset may hold languages ocrfix has no lexicon for (icdar2019: bg, cs, ...). Their
    // records are scored as they are, uncorrected, and the report says so once.
    const auto installed = Engine::installed_languages();
    std::map<std::string, std::size_t> without_lexicon;
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& [file, record] = records[i];
        RunOptions run{"", record.value("lang", "auto"), "", {}};
        // A record may give its OCR as a layout document ("layout": hOCR, ALTO or PAGE XML):
        // its text is corrected, with its words' confidences (the data the confidence weights
        // of the decision are fitted on; scripts/fit_confidence.py), and written back as "ocr".
        if (record.contains("layout") && record["layout"].is_string()) {
            const layout::Document document =
                layout::Document::parse(record["layout"].get<std::string>(), file + " record " + record.value("id", ""));
            record["ocr"] = document.text();
            record.erase("layout");
            run.confidences = document.byte_confidences();
        }
        const std::string ocr = record.value("ocr", ""), gt = record.value("gt", "");
        const std::string language = record.value("lang", "auto");
        const bool has_lexicon = language == "auto" || language.empty() ||
                                 std::find(installed.begin(), installed.end(), language) != installed.end();
        if (!has_lexicon) ++without_lexicon[language];
        if (write_candidate)
            run.candidate_log = [&](const std::string& line) {
                json entry = json::parse(line);
                entry["id"] = record.value("id", "");
                write_candidate(entry.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
            };
        const CorrectionResult result = has_lexicon ? engine.run_postprocessor(ocr, run) : CorrectionResult{ocr, {}};
        const auto rb = text::count_errors(ocr, gt), ra = text::count_errors(result.text, gt);
        const std::string hipe_gt = text::hipe_normalize(gt);
        const auto hb = text::count_errors(text::hipe_normalize(ocr), hipe_gt);
        const auto ha = text::count_errors(text::hipe_normalize(result.text), hipe_gt);
        const std::string name = std::filesystem::path(file).stem().string();
        for (Tally* t : {&by_file[name], &by_file_language[name + "[" + language + "]"], &by_language[language], &total})
            t->add(rb, ra, hb, ha);
        if (output) {
            json out = record;
            out["corrected"] = result.text;
            json edits = json::array();
            for (const auto& e : result.edits)
                edits.push_back({{"begin", e.begin}, {"end", e.end}, {"replacement", e.replacement},
                                 {"score", e.score}, {"source", e.source}});
            out["edits"] = edits;
            output->write(out.dump() + "\n");
        }
        if (progress) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::fprintf(stderr, "\r[eval] %zu/%zu records  %.0f s  CER %.4f -> %.4f ", i + 1, records.size(),
                         elapsed, total.raw_before.cer(), total.raw_after.cer());
        }
    }
    if (progress) std::fprintf(stderr, "\n");
    if (!without_lexicon.empty()) {
        std::string list;
        for (const auto& [language, count] : without_lexicon)
            list += (list.empty() ? "" : ", ") + language + " (" + std::to_string(count) + ")";
        std::fprintf(stderr, "ocrfix: note: no lexicon for %s; those records are scored uncorrected\n", list.c_str());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout.flush();
    std::printf("%-34s %5s  %-6s %-6s %7s  %-6s %-6s  %-6s %-6s %7s  %6s %6s\n", "group", "n", "CER", "->", "red.",
                "WER", "->", "hipeC", "->", "red.", "harm", "pref");
    for (const auto& [name, t] : by_file) print_row(name, t);
    for (const auto& [name, t] : by_file_language) print_row(name, t);
    for (const auto& [name, t] : by_language) print_row("lang=" + name, t);
    print_row("total", total);
    std::printf("%zu records in %.1f s (tier %s, model %s)\n", total.records, seconds, config.tier.c_str(),
                engine.model_path().empty() ? "none" : engine.model_path().c_str());
    if (!args.json_path.empty()) {
        json summary{{"tier", config.tier}, {"model", engine.model_path()}, {"seconds", seconds},
                     {"version", version_string()}, {"total", total.to_json()}};
        for (const auto& [name, t] : by_file) summary["files"][name] = t.to_json();
        for (const auto& [name, t] : by_file_language) summary["file_languages"][name] = t.to_json();
        for (const auto& [name, t] : by_language) summary["languages"][name] = t.to_json();
        OutputFile figures(args.json_path);
        figures.write(summary.dump(2) + "\n");
        figures.commit();
    }
    if (output) output->commit();
    if (candidates_file) candidates_file->commit();
    return 0;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<EvalArguments>();
    auto* eval = app.add_subcommand("eval", "Measure correction quality on JSONL records {id, lang, ocr, gt}");
    eval->add_option("files", args->files, "JSONL files")->required()->check(CLI::ExistingFile);
    eval->add_option("--json", args->json_path, "Write the figures as JSON to this file");
    eval->add_option("--output", args->output_path,
                     "Write every record back with `corrected` and `edits` fields (JSONL)");
    eval->add_option("--candidates", args->candidates_path,
                     "Write every scored candidate with its features, one JSON line per record (for "
                     "scripts/fit_decision.py and scripts/residuals.py)");
    eval->add_option("--limit", args->limit, "Use at most N records per file");
    args->model.add_to(*eval);
    eval->footer(
        "Reports per file, per file and language, and per language: CER and WER before and after, the CER\n"
        "reduction, the harm rate (records whose CER rose) and the preference (+1/0/-1 per record, averaged),\n"
        "raw and under the HIPE-OCRepair normalisation (hipeC).\n\n"
        "Examples:\n  ocrfix eval dev/*.jsonl\n  ocrfix eval --tier fast --json figures.json --output corrected.jsonl dev.jsonl\n"
        "  ocrfix eval --profile hipe hipe-*.jsonl   # score under the HIPE-OCRepair transcription conventions");
    // Errors go to main(), which maps every category to its documented exit code.
    eval->callback([args, &exit_code] { exit_code = run_eval(*args); });
}

}  // namespace ocrfix::cli
