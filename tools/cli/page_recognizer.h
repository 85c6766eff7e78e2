// Page images in, Tesseract's reading out, for `ocrfix ocr`: images (whatever Leptonica reads,
// every page of a multi-page TIFF) and PDFs (each page rasterised with poppler). Tesseract,
// Leptonica and poppler stay behind this header (pimpl).
//
//   PageSource source = open_page_source("scan.pdf");          // checked, pages counted
//   PageRecognizer recognizer("eng");                           // Tesseract's model, once
//   RecognizedPage page = recognizer.recognize(source, 0, PageLayout::hocr);
//   // page.text: Tesseract's plain text; page.layout: its hOCR document of that page
//
// Not thread-safe: one PageRecognizer per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ocrfix::cli {

// One input file, opened and checked before any page is recognised.
struct PageSource {
    std::string path;
    bool pdf = false;
    int pages = 0;
};

// Checks that `path` is a readable image or a PDF with pages and counts them. Throws
// ocrfix::Error(io) when the file cannot be read, Error(invalid_input) naming it when it is
// neither an image Leptonica reads nor a PDF with pages.
PageSource open_page_source(const std::string& path);

// The layout document Tesseract writes beside its text.
enum class PageLayout { none, hocr, alto, page };

// Whether the Tesseract linked writes PAGE XML (from 5.4; Debian 12 has 5.3).
bool tesseract_writes_page_xml();

// Tesseract's name of an ocrfix language ("en" -> "eng"); "auto" reads English. Throws
// Error(invalid_argument) for a language without a known Tesseract name.
std::string tesseract_language_for(std::string_view language);

struct RecognizedPage {
    std::string text;    // Tesseract's UTF-8 text of the page (what `tesseract IMAGE -` prints)
    std::string layout;  // its hOCR, ALTO or PAGE document of the page; "" for PageLayout::none
};

class PageRecognizer {
public:
    // Loads Tesseract's model for `languages` ("eng", "eng+fra", "frk"). Throws
    // Error(invalid_input) naming the language data that is missing and how to install it.
    explicit PageRecognizer(const std::string& languages);
    ~PageRecognizer();
    PageRecognizer(const PageRecognizer&) = delete;
    PageRecognizer& operator=(const PageRecognizer&) = delete;

    // Recognises page `index` (0-based) of `source`; PDF pages are rendered at `pdf_dpi`.
    // Throws Error(invalid_input) naming the file when the page cannot be decoded.
    RecognizedPage recognize(const PageSource& source, int index, PageLayout layout, int pdf_dpi = 300);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ocrfix::cli
