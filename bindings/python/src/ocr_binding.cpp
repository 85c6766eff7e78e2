// Engine.ocr's results: OcrResult (the pages of one image or PDF), OcrPage (a page's corrected
// text, edits, words with boxes, and its layout document), OcrWord. They are the C++ values of
// ocr::correct_pages, read-only; the recognition itself runs in engine_binding.cpp.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"
#include "ocr/page_correction.h"
#include "ocrfix/error.h"

namespace nb = nanobind;

namespace ocrfix::python {

std::string OcrResult::text() const {
    std::string joined;
    for (const auto& page : pages) {
        if (&page != &pages.front()) joined += '\f';  // as Tesseract and `ocrfix ocr` separate pages
        joined += page.result.text;
    }
    return joined;
}

OcrResult recognize_and_correct(Engine& engine, std::unique_ptr<ocr::PageRecognizer>& recognizer,
                                const ocr::PageSource& source, const OcrCall& call) {
    if (call.format == "json")
        throw Error(ErrorCategory::invalid_argument,
                    "Engine.ocr returns the pages as objects (text, edits, words with boxes); ask for format "
                    "\"text\", \"hocr\", \"alto\" or \"page\"");
    const ocr::PageLayout layout = ocr::page_layout_for_format(call.format);
    const std::string languages = !call.ocr_language.empty() ? call.ocr_language
                                  : ocr::tesseract_language_for(call.language.empty() ? engine.config().language
                                                                                      : call.language);
    if (!recognizer || recognizer->languages() != languages)
        recognizer = std::make_unique<ocr::PageRecognizer>(languages);
    const bool overrides = !call.tier.empty() || !call.language.empty() || !call.profile.empty();
    OcrResult result;
    result.pages = ocr::correct_pages(
        *recognizer, source, layout,
        [&](const std::string& text, const std::vector<double>& confidences) {
            if (!overrides && confidences.empty()) return engine.run_postprocessor(text);
            RunOptions options{call.tier, call.language, call.profile, {}};
            options.confidences = confidences;
            return engine.run_postprocessor(text, options);
        },
        call.pdf_dpi);
    return result;
}

void bind_ocr_results(nb::module_& module) {
    nb::class_<layout::Word>(module, "OcrWord", "A word on the page, corrected, with its box and Tesseract's confidence.")
        .def_ro("text", &layout::Word::text)
        .def_prop_ro(
            "box",
            [](const layout::Word& word) -> nb::object {
                if (!word.box.known) return nb::none();
                return nb::make_tuple(word.box.left, word.box.top, word.box.right, word.box.bottom);
            },
            "(left, top, right, bottom) in the page image's pixels; None when Tesseract gave none")
        .def_ro("confidence", &layout::Word::confidence, "Tesseract's confidence, 0..1; -1 when not given")
        .def_ro("line", &layout::Word::line, "index of the word's line on the page")
        .def("__repr__", [](const layout::Word& word) {
            return "OcrWord(" + nb::cast<std::string>(nb::repr(nb::str(word.text.data(), word.text.size()))) + ")";
        });

    nb::class_<ocr::CorrectedPage>(module, "OcrPage", "One page recognised by Tesseract and corrected.")
        .def_ro("number", &ocr::CorrectedPage::number, "1-based page number")
        .def_prop_ro(
            "text", [](const ocr::CorrectedPage& page) { return page.result.text; }, "the corrected text of the page")
        .def_ro("original", &ocr::CorrectedPage::original, "the page's words as Tesseract read them")
        .def_prop_ro(
            "edits", [](const ocr::CorrectedPage& page) { return page.result.edits; },
            "the accepted edits, as byte offsets into `original`")
        .def_ro("words", &ocr::CorrectedPage::words, "the corrected words with their boxes")
        .def_prop_ro(
            "document",
            [](const ocr::CorrectedPage& page) { return nb::bytes(page.document.data(), page.document.size()); },
            "the hOCR, ALTO or PAGE document with the corrected words in place (format=...); b\"\" for text")
        .def_ro("edits_not_applied", &ocr::CorrectedPage::edits_not_applied,
                "edits the layout document could not take (across a line break, or on a line-end hyphen)")
        .def_ro("warning", &ocr::CorrectedPage::warning,
                "what to know about how the page was read (a PDF page rendered below the resolution asked "
                "for), or \"\"")
        .def("__str__", [](const ocr::CorrectedPage& page) { return page.result.text; })
        .def("__repr__", [](const ocr::CorrectedPage& page) {
            return "OcrPage(number=" + std::to_string(page.number) + ", " + std::to_string(page.words.size()) +
                   " words, " + std::to_string(page.result.edits.size()) + " edits)";
        });

    nb::class_<OcrResult>(module, "OcrResult", "The pages of an image or PDF, recognised and corrected.")
        .def_ro("pages", &OcrResult::pages)
        .def_prop_ro("text", &OcrResult::text, "the corrected text of every page, separated by a form feed")
        .def("__str__", &OcrResult::text)
        .def("__repr__", [](const OcrResult& result) {
            return "OcrResult(" + std::to_string(result.pages.size()) + " pages)";
        });
}

}  // namespace ocrfix::python
