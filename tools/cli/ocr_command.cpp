// `ocrfix ocr IMAGE|PDF...`: recognise page images and PDFs with Tesseract, then correct
// Tesseract's reading with the engine, as text, JSON, or Tesseract's own hOCR or ALTO with
// the corrected words in place (its boxes and confidences kept).
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "correct_document.h"
#include "model_options.h"
#include "ocr/page_correction.h"
#include "ocr/page_recognizer.h"
#include "ocrfix/ocrfix.h"
#include "output_file.h"
#include "progress_bar.h"
#include "result_json.h"
#include "terminal.h"

namespace ocrfix::cli {

namespace {

using ocr::PageLayout;
using ocr::PageSource;
using ocr::RecognizedPage;

struct OcrArguments {
    std::vector<std::string> inputs;
    std::string output;
    std::string format = "text";
    std::string output_dir;
    std::string ocr_language;  // "" = from -l
    int pdf_dpi = 300;
    ModelOptions model;
};

enum class OcrFormat { text, json, hocr, alto, page };

struct FormatInfo {
    std::string_view name;
    OcrFormat format;
    PageLayout layout;
    std::string_view extension;  // of the files --output-dir writes
};

constexpr FormatInfo kFormats[] = {
    {"text", OcrFormat::text, PageLayout::none, ".txt"},
    {"json", OcrFormat::json, PageLayout::none, ".json"},
    {"hocr", OcrFormat::hocr, PageLayout::hocr, ".hocr"},
    {"alto", OcrFormat::alto, PageLayout::alto, ".alto.xml"},
    {"page", OcrFormat::page, PageLayout::page, ".page.xml"},
};

// Pages of a text output are separated by a form feed, as Tesseract's own text output does.
constexpr std::string_view kPageSeparator = "\f";

const FormatInfo& parse_ocr_format(const std::string& name) {
    for (const auto& info : kFormats)
        if (info.name == name) {
            if (info.format == OcrFormat::page && !ocr::tesseract_writes_page_xml())
                throw Error(ErrorCategory::invalid_argument,
                            "-f page needs Tesseract 5.4 or later, which writes PAGE XML; the Tesseract linked is "
                            "older. Use -f hocr or -f alto, or `ocrfix correct` on PAGE XML made elsewhere");
            return info;
        }
    throw Error(ErrorCategory::invalid_argument, "-f " + name + " is not known; use text, json, hocr, alto or page");
}

// The corrected result of one page, in the output format.
struct PageOutput {
    std::string bytes;    // text, or a layout document
    nlohmann::json json;  // for -f json
};

PageOutput correct_page(Engine& engine, const PageSource& source, int index, const RecognizedPage& page,
                        const FormatInfo& format) {
    PageOutput output;
    // Every format is corrected from Tesseract's words, with their confidences (the text
    // formats too: as the server and the Python API do).
    const std::string name = source.path + " page " + std::to_string(index + 1);
    ocr::CorrectedPage corrected = ocr::correct_recognized_page(
        page, index + 1, format.layout, name, [&engine](const std::string& text, const std::vector<double>& confidences) {
            RunOptions options;
            options.confidences = confidences;
            return engine.run_postprocessor(text, options);
        });
    if (format.layout != PageLayout::none) {
        note_edits_left_out(name, corrected.edits_not_applied);
        output.bytes = std::move(corrected.document);
        return output;
    }
    // A page without words: Tesseract's text (white space) as it is.
    if (ocr::is_blank(page)) corrected.original = corrected.result.text = page.text;
    if (format.format == OcrFormat::json) {
        output.json = {{"input", source.path}, {"page", index + 1}};
        output.json.update(server::result_to_json(corrected.original, corrected.result));
    } else {
        output.bytes = corrected.result.text;
        if (!output.bytes.empty() && output.bytes.back() != '\n') output.bytes += '\n';  // as Tesseract ends a page
    }
    return output;
}

std::string output_stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// The file --output-dir gets for `source`: NAME.EXT, or with a layout format one per page of
// a document of several, NAME-pN.EXT.
std::string output_name(const PageSource& source, int page, bool layout_output, const FormatInfo& format) {
    const std::string suffix = layout_output && source.pages > 1 ? "-p" + std::to_string(page + 1) : "";
    return output_stem(source.path) + suffix + std::string(format.extension);
}

void run_ocr(OcrArguments& arguments) {
    const FormatInfo& format = parse_ocr_format(arguments.format);
    if (!arguments.output_dir.empty() && !arguments.output.empty())
        throw Error(ErrorCategory::invalid_argument, "-o names one output file; with --output-dir, leave it out");
    if (arguments.pdf_dpi < ocr::kMinPdfDpi || arguments.pdf_dpi > ocr::kMaxPdfDpi)
        throw Error(ErrorCategory::invalid_argument, "--pdf-dpi must be between 50 and 1200 (300 suits most scans)");

    // Everything is checked before Tesseract or the model loads: a bad file fails in milliseconds.
    std::vector<PageSource> sources;
    int total_pages = 0;
    for (const auto& input : arguments.inputs) {
        sources.push_back(ocr::open_page_source(input));
        total_pages += sources.back().pages;
    }
    const bool layout_output = format.layout != PageLayout::none;
    if (layout_output && total_pages > 1 && arguments.output_dir.empty())
        throw Error(ErrorCategory::invalid_argument,
                    std::to_string(total_pages) + " pages make " + std::to_string(total_pages) + " " +
                        std::string(format.name) +
                        " documents, one per page; write them with --output-dir DIR (NAME-p1" +
                        std::string(format.extension) + ", ...), or pass one page");
    if (!arguments.output_dir.empty()) {
        // Every file the run writes, to refuse two inputs writing one (`book.pdf`'s second page
        // and `book-p2.png` both make book-p2.hocr).
        std::map<std::string, std::string> names;  // output file -> input
        for (const auto& source : sources) {
            for (int page = 0; page < (layout_output ? source.pages : 1); ++page) {
                const std::string name = output_name(source, page, layout_output, format);
                auto [it, inserted] = names.emplace(name, source.path);
                if (!inserted)
                    throw Error(ErrorCategory::invalid_argument,
                                "'" + it->second + "' and '" + source.path + "' would both write " + name +
                                    " under --output-dir; rename one or run them separately");
            }
        }
    }

    const ModelConfig config = arguments.model.config();
    const std::string ocr_language =
        arguments.ocr_language.empty() ? ocr::tesseract_language_for(config.language) : arguments.ocr_language;
    ocr::PageRecognizer recognizer(ocr_language);
    Engine engine(config);

    ProgressBar progress("recognising pages", static_cast<std::uint64_t>(total_pages));
    // On a terminal the results themselves show progress; the bar is for output to a file or pipe.
    const bool show_progress = total_pages > 1 && (!arguments.output.empty() || !arguments.output_dir.empty() ||
                                                   !is_terminal(stdout));
    int pages_done = 0;

    std::string text;                                     // -f text, without --output-dir
    nlohmann::json documents = nlohmann::json::array();  // -f json, without --output-dir
    std::optional<std::string> single_layout;            // one page's layout document
    if (!arguments.output_dir.empty()) std::filesystem::create_directories(arguments.output_dir);

    for (const auto& source : sources) {
        std::string file_text;
        nlohmann::json file_documents = nlohmann::json::array();
        for (int index = 0; index < source.pages; ++index) {
            const RecognizedPage page =
                recognizer.recognize(source, index, ocr::layout_to_recognize(format.layout), arguments.pdf_dpi);
            if (!page.warning.empty()) std::cerr << "ocrfix: warning: " << page.warning << "\n";
            PageOutput output = correct_page(engine, source, index, page, format);
            if (show_progress) progress.update(static_cast<std::uint64_t>(++pages_done));
            if (layout_output) {
                if (arguments.output_dir.empty()) {
                    single_layout = std::move(output.bytes);
                    continue;
                }
                OutputFile file((std::filesystem::path(arguments.output_dir) /
                                 output_name(source, index, layout_output, format))
                                    .string(),
                                OutputFile::Links::replace);
                file.write(output.bytes);
                file.commit();
            } else if (format.format == OcrFormat::json) {
                file_documents.push_back(std::move(output.json));
            } else {
                if (index > 0) file_text += kPageSeparator;
                file_text += output.bytes;
            }
        }
        if (layout_output) continue;
        if (!arguments.output_dir.empty()) {
            OutputFile file((std::filesystem::path(arguments.output_dir) /
                             output_name(source, 0, layout_output, format))
                                .string(),
                            OutputFile::Links::replace);
            file.write(format.format == OcrFormat::json
                           ? (file_documents.size() == 1 ? file_documents[0] : file_documents).dump(2) + "\n"
                           : file_text);
            file.commit();
        } else if (format.format == OcrFormat::json) {
            for (auto& document : file_documents) documents.push_back(std::move(document));
        } else {
            if (&source != &sources.front()) text += kPageSeparator;
            text += file_text;
        }
    }
    if (show_progress) progress.finish();
    if (!arguments.output_dir.empty()) return;

    // Written only once every page is done: a page that fails leaves nothing behind.
    OutputFile output(arguments.output);
    if (layout_output) output.write(*single_layout);
    else if (format.format == OcrFormat::json)
        output.write((documents.size() == 1 ? documents[0] : documents).dump(2) + "\n");
    else output.write(text);
    output.commit();
}

}  // namespace

void add_ocr_command(CLI::App& app) {
    auto arguments = std::make_shared<OcrArguments>();
    auto* command = app.add_subcommand("ocr", "Recognise page images and PDFs with Tesseract, then correct the text");
    command->add_option("inputs", arguments->inputs,
                        "Page images (PNG, JPEG, TIFF with all its pages, and whatever else Leptonica reads) or "
                        "PDFs (each page rendered with poppler)")
        ->type_name("IMAGE|PDF")
        ->required();
    command->add_option("-o,--output", arguments->output, "Write to FILE instead of stdout")->type_name("FILE");
    command->add_option("-f,--format", arguments->format,
                        "text (the corrected text; pages separated by a form feed), json (text and edits per "
                        "page), hocr or alto (Tesseract's document of the page, corrected words in place, its "
                        "boxes and confidences kept; one page, or one file per page with --output-dir), page "
                        "(PAGE XML; needs Tesseract 5.4 or later)")
        ->type_name("FORMAT")
        ->capture_default_str();
    command->add_option("--output-dir", arguments->output_dir,
                        "Write one file per input under DIR (NAME.txt, NAME.json), or per page for hocr and alto "
                        "(NAME.hocr; NAME-p1.hocr, NAME-p2.hocr... for several pages)")
        ->type_name("DIR");
    command->add_option("--ocr-lang", arguments->ocr_language,
                        "Tesseract's language(s), e.g. eng, fra, deu, frk (Fraktur), eng+fra; default: from -l "
                        "(en->eng, fr->fra, de->deu; auto reads English)")
        ->type_name("LANG");
    command->add_option("--pdf-dpi", arguments->pdf_dpi, "Resolution PDF pages are rendered at for Tesseract")
        ->capture_default_str();
    arguments->model.add_to(*command);
    command->footer(
        "Examples:\n"
        "  ocrfix ocr scan.png                          recognise, correct, print the text\n"
        "  ocrfix ocr --tier fast -o scan.txt scan.pdf  every page of a PDF (form feed between pages)\n"
        "  ocrfix ocr -f hocr -o scan.hocr scan.png     Tesseract's hOCR with the corrected words in place\n"
        "  ocrfix ocr -f alto --output-dir out/ book.tif  one ALTO file per page: out/book-p1.alto.xml, ...\n"
        "  ocrfix ocr -l de --ocr-lang frk zeitung.png  German in Fraktur\n"
        "  ocrfix ocr -f json scan.png                  Tesseract's text and the edits, per page\n\n"
        "Tesseract's language data comes from Debian's tesseract-ocr-LANG packages (TESSDATA_PREFIX\n"
        "overrides where it is looked for). An image that cannot be read, a PDF without pages or\n"
        "missing language data exit with 4 and write nothing.");
    command->callback([arguments] { run_ocr(*arguments); });
}

}  // namespace ocrfix::cli
