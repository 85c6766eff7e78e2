// The ocr module in a build made without Tesseract and poppler-cpp (OCRFIX_OCR=OFF): opening a
// page says how to get page recognition, so `POST /v1/ocr` and `Engine.ocr` fail with a clear
// message (the command line has its own, tools/cli/ocr_unavailable.cpp).
#include "ocr/page_recognizer.h"
#include "ocr/page_source.h"
#include "ocrfix/error.h"

namespace ocrfix::ocr {

namespace {

[[noreturn]] void unavailable() {
    throw Error(ErrorCategory::invalid_argument, std::string(kPageRecognitionUnavailable));
}

}  // namespace

bool page_recognition_available() { return false; }
bool tesseract_writes_page_xml() { return false; }
PageSource open_page_source(const std::string&, std::uint64_t) { unavailable(); }
PageSource page_source_from_bytes(std::string, std::string, PageFileType, std::uint64_t) { unavailable(); }

struct PageRecognizer::Impl {};
PageRecognizer::PageRecognizer(const std::string&) { unavailable(); }
PageRecognizer::~PageRecognizer() = default;
const std::string& PageRecognizer::languages() const { unavailable(); }
RecognizedPage PageRecognizer::recognize(const PageSource&, int, PageLayout, int, const std::function<bool()>&) {
    unavailable();
}

}  // namespace ocrfix::ocr
