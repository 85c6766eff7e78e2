// The names of the ocr module that need no Tesseract: formats and language names. Built with or
// without OCRFIX_OCR.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "ocr/page_recognizer.h"
#include "ocrfix/error.h"

namespace ocrfix::ocr {

namespace {

// ocrfix's languages and Tesseract's names for them (ISO 639-1 -> 639-2/T, as tessdata names files).
constexpr std::pair<std::string_view, std::string_view> kTesseractLanguages[] = {
    {"auto", "eng"}, {"en", "eng"}, {"fr", "fra"}, {"de", "deu"}};

}  // namespace

PageLayout page_layout_for_format(std::string_view format) {
    if (format == "text" || format == "json") return PageLayout::none;
    if (format == "hocr") return PageLayout::hocr;
    if (format == "alto") return PageLayout::alto;
    if (format == "page") {
        if (!tesseract_writes_page_xml())
            throw Error(ErrorCategory::invalid_argument,
                        "PAGE XML needs Tesseract 5.4 or later, which writes it; the Tesseract linked is older: "
                        "ask for hocr or alto");
        return PageLayout::page;
    }
    throw Error(ErrorCategory::invalid_argument,
                "the format '" + std::string(format) + "' is not known; use text, json, hocr, alto or page");
}

std::string tesseract_language_for(std::string_view language) {
    for (const auto& [ours, tesseracts] : kTesseractLanguages)
        if (ours == language) return std::string(tesseracts);
    throw Error(ErrorCategory::invalid_argument,
                "no Tesseract language is known for -l " + std::string(language) +
                    "; name Tesseract's with --ocr-lang (for example eng, fra, deu, frk, eng+fra)");
}

bool is_tesseract_language_list(std::string_view languages) {
    if (languages.empty() || languages.front() == '+' || languages.back() == '+') return false;
    return std::all_of(languages.begin(), languages.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '+'; });
}

}  // namespace ocrfix::ocr
