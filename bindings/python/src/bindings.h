// The pieces of the _ocrfix extension module, one per file; module.cpp calls each.
#pragma once

#include <nanobind/nanobind.h>

#include <memory>
#include <string>
#include <vector>

#include "ocr/page_correction.h"
#include "ocrfix/engine.h"

namespace ocrfix::python {

void bind_errors(nanobind::module_& module);        // errors.cpp: categories -> exception classes
void bind_results(nanobind::module_& module);       // results.cpp: Edit, CorrectionResult, LocalModel
void bind_ocr_results(nanobind::module_& module);   // ocr_binding.cpp: OcrResult, OcrPage, OcrWord
void bind_model_config(nanobind::module_& module);  // model_config_binding.cpp: from the settings table
void bind_engine(nanobind::module_& module);        // engine_binding.cpp: Engine, post-processors

// What Engine.ocr returns: every page of one image or PDF.
struct OcrResult {
    std::vector<ocr::CorrectedPage> pages;
    std::string text() const;  // the pages' corrected texts, separated by a form feed
};

// Engine.ocr's keyword arguments.
struct OcrCall {
    std::string language, tier, profile;  // "" keeps the Engine's configuration
    std::string format = "text";          // text, hocr, alto, page
    std::string ocr_language;             // Tesseract's; "" = from the language
    int pdf_dpi = 300;
};

// Recognises and corrects every page of `source` with `engine`; `recognizer` is the Engine's
// Tesseract, loaded again only when the call needs other languages.
OcrResult recognize_and_correct(Engine& engine, std::unique_ptr<ocr::PageRecognizer>& recognizer,
                                const ocr::PageSource& source, const OcrCall& call);

}  // namespace ocrfix::python
