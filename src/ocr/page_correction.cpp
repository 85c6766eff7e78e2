#include "ocr/page_correction.h"

#include "ocrfix/error.h"

namespace ocrfix::ocr {

bool is_blank(const RecognizedPage& page) { return page.text.find_first_not_of(" \t\r\n\f") == std::string::npos; }

PageLayout layout_to_recognize(PageLayout layout) {
    // Words and boxes come from a layout document; hOCR when the caller wants none.
    return layout == PageLayout::none ? PageLayout::hocr : layout;
}

CorrectedPage correct_recognized_page(const RecognizedPage& page, int number, PageLayout layout,
                                      const std::string& name, const Corrector& correct) {
    CorrectedPage corrected;
    corrected.number = number;
    corrected.warning = page.warning;
    // A page without words has no text for a layout document to hold: Tesseract's is kept.
    if (is_blank(page)) {
        if (layout != PageLayout::none) corrected.document = page.layout;
        return corrected;
    }
    layout::Document document = layout::Document::parse(page.layout, name);
    corrected.original = document.text();
    corrected.result = correct(corrected.original, document.byte_confidences());
    const layout::ApplyReport report = document.apply(corrected.result);
    corrected.edits_not_applied = report.not_applied;
    const std::string serialized = document.serialize();
    // The words as written back (merged and split words with their new boxes), read again.
    const layout::Document again = layout::Document::parse(serialized, name);
    corrected.words = again.words();
    corrected.word_edits = layout::edits_of_words(again, corrected.original, corrected.result, report.applied_edits);
    if (layout != PageLayout::none) corrected.document = serialized;
    return corrected;
}

std::vector<CorrectedPage> correct_pages(PageRecognizer& recognizer, const PageSource& source, PageLayout layout,
                                         const Corrector& correct, int pdf_dpi,
                                         const std::function<bool()>& should_stop) {
    const PageLayout read_as = layout_to_recognize(layout);
    std::vector<CorrectedPage> pages;
    for (int index = 0; index < source.pages; ++index) {
        if (should_stop && should_stop())
            throw Error(ErrorCategory::runtime, "recognising " + source.label + " was stopped before page " +
                                                    std::to_string(index + 1) + " (the request's time ran out)");
        const RecognizedPage page = recognizer.recognize(source, index, read_as, pdf_dpi, should_stop);
        pages.push_back(correct_recognized_page(page, index + 1, layout,
                                     "page " + std::to_string(index + 1) + " of " + source.label, correct));
    }
    return pages;
}

}  // namespace ocrfix::ocr
