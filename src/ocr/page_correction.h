// A page image recognised and corrected, as values: what POST /v1/ocr answers and what the
// Python Engine.ocr returns. Tesseract's layout document of the page is read into words with
// boxes, its text corrected with the caller's corrector, and the corrected words written back
// in place (the layout module's merge and split rules for the boxes).
//
//   PageRecognizer recognizer("eng");
//   auto pages = correct_pages(recognizer, open_page_source("scan.pdf"), PageLayout::alto,
//       [&](const std::string& text, const std::vector<double>& confidences) {
//           RunOptions options;
//           options.confidences = confidences;
//           return engine.run_postprocessor(text, options);
//       });
//   pages[0].result.text;      // the corrected text of page 1
//   pages[0].document;         // its ALTO, corrected words in place
//
// `ocrfix ocr` corrects Tesseract's plain text for -f text and json (its paragraphs and spacing);
// these pages carry the layout's text instead, where every word has a box.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "layout/document.h"
#include "ocr/page_recognizer.h"
#include "ocrfix/edit.h"

namespace ocrfix::ocr {

// Corrects one page's text, given Tesseract's confidence in each of its bytes (-1 between
// words; RunOptions::confidences): Engine::run_postprocessor with the caller's options.
using Corrector = std::function<CorrectionResult(const std::string& text, const std::vector<double>& confidences)>;

struct CorrectedPage {
    int number = 0;                   // 1-based
    std::string original;             // the page's words as read: the layout document's text
    CorrectionResult result;          // the corrected text; edits are byte offsets into `original`
    std::vector<layout::Word> words;  // the corrected words with their boxes and Tesseract's confidences
    std::vector<std::vector<std::size_t>> word_edits;  // per word: indices into result.edits written onto it
    std::string document;             // the corrected layout document; "" when PageLayout::none was asked
    std::size_t edits_not_applied = 0;  // edits the layout could not take (across a line break, ...)
    std::string warning;                // RecognizedPage::warning
};

// Whether Tesseract read nothing on the page (white space only).
bool is_blank(const RecognizedPage& page);

// One page Tesseract read (its layout document in `page.layout`, PageLayout::hocr when the
// caller asks for none), corrected; `name` names it in messages. Throws Error(invalid_input)
// when the layout document cannot be read, and what `correct` throws.
CorrectedPage correct_recognized_page(const RecognizedPage& page, int number, PageLayout layout,
                                      const std::string& name, const Corrector& correct);

// The layout `correct_recognized_page` needs Tesseract to write for the `layout` asked for.
PageLayout layout_to_recognize(PageLayout layout);

// Recognises every page of `source` and corrects it. Pages with no words come back empty
// (their document as Tesseract wrote it). `should_stop` is asked between pages and while
// Tesseract works (see PageRecognizer::recognize). Throws what recognize and `correct` throw.
std::vector<CorrectedPage> correct_pages(PageRecognizer& recognizer, const PageSource& source, PageLayout layout,
                                         const Corrector& correct, int pdf_dpi = 300,
                                         const std::function<bool()>& should_stop = nullptr);

}  // namespace ocrfix::ocr
