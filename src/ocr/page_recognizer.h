// Page images in, Tesseract's reading out: images (whatever Leptonica reads, every page of a
// multi-page TIFF) and PDFs (each page rasterised with poppler), from a PageSource. Shared by
// `ocrfix ocr`, the server's POST /v1/ocr and the Python Engine.ocr. Tesseract stays behind
// this header (pimpl).
//
//   PageSource source = open_page_source("scan.pdf");          // checked, pages counted
//   PageRecognizer recognizer("eng");                           // Tesseract's model, once
//   RecognizedPage page = recognizer.recognize(source, 0, PageLayout::hocr);
//   // page.text: Tesseract's plain text; page.layout: its hOCR document of that page
//
// Not thread-safe: one PageRecognizer per thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ocr/page_source.h"

namespace ocrfix::ocr {

// The layout document Tesseract writes beside its text.
enum class PageLayout { none, hocr, alto, page };

// The resolutions PDF pages may be rendered at (300 suits most scans).
inline constexpr int kMinPdfDpi = 50;
inline constexpr int kMaxPdfDpi = 1200;

// Whether the Tesseract linked writes PAGE XML (from 5.4; Debian 12 has 5.3).
bool tesseract_writes_page_xml();

// The layout a format name asks for: "text" and "json" -> none, "hocr", "alto", "page".
// Throws Error(invalid_argument) for another name, and for "page" where Tesseract writes none.
PageLayout page_layout_for_format(std::string_view format);

// Tesseract's name of an ocrfix language ("en" -> "eng"); "auto" reads English. Throws
// Error(invalid_argument) for a language without a known Tesseract name.
std::string tesseract_language_for(std::string_view language);

// Whether `languages` is a list of Tesseract language names: letters, digits and '_', joined by
// '+' (Tesseract turns each into a file name under tessdata: nothing that could leave it).
bool is_tesseract_language_list(std::string_view languages);

struct RecognizedPage {
    std::string text;    // Tesseract's UTF-8 text of the page (what `tesseract IMAGE -` prints)
    std::string layout;  // its hOCR, ALTO or PAGE document of the page; "" for PageLayout::none
    // What the user should know about how the page was read, or "": a PDF page so large that
    // it was rendered below the resolution asked for, whose small text may be lost.
    std::string warning;
};

class PageRecognizer {
public:
    // Loads Tesseract's model for `languages` ("eng", "eng+fra", "frk"). Throws
    // Error(invalid_argument) for a name that is not one (letters, digits and '_', joined by
    // '+'), Error(invalid_input) naming the language data that is missing and how to install it.
    explicit PageRecognizer(const std::string& languages);
    ~PageRecognizer();
    PageRecognizer(const PageRecognizer&) = delete;
    PageRecognizer& operator=(const PageRecognizer&) = delete;

    const std::string& languages() const;

    // Recognises page `index` (0-based) of `source`; PDF pages are rendered at `pdf_dpi` (lower
    // where the page would exceed the source's pixel limit). `should_stop`, when given, is
    // asked while Tesseract works; once it returns true, recognition stops and Error(runtime)
    // is thrown. Throws Error(invalid_input) naming the page when it cannot be decoded or is
    // over the pixel limit.
    RecognizedPage recognize(const PageSource& source, int index, PageLayout layout, int pdf_dpi = 300,
                             const std::function<bool()>& should_stop = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ocrfix::ocr
