// Page images and PDFs opened for recognition, from a file or from bytes in memory (a request
// body, a Python bytes object), and checked before any page is decoded: the format is one
// Leptonica or poppler reads, a PDF has pages, and no page is larger than a pixel limit, so
// that a small compressed file cannot make ocrfix decode gigabytes (a decompression bomb).
//
//   PageSource file = open_page_source("scan.pdf");                     // pages counted
//   PageSource body = page_source_from_bytes(bytes, "the request body", PageFileType::png);
//
// Leptonica and poppler stay behind this header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ocrfix::ocr {

// Pages with more pixels than this are refused before they are decoded: 100 million is an A3
// page scanned at 600 DPI (about 70 million) with room to spare, and about 400 MB decoded.
// PDF pages are rendered at a lower resolution instead when they would exceed it.
inline constexpr std::uint64_t kMaxPagePixels = 100'000'000;

// What the bytes must be. `detect` takes any image Leptonica reads, or a PDF from its
// signature (or a file's .pdf extension); the others accept only that format, so a server
// can keep its decoders to the types it announces.
enum class PageFileType { detect, png, tiff, jpeg, pdf };

// Whether this build reads pages (OCRFIX_OCR=ON). Without, opening a page throws
// Error(invalid_argument) with this message.
bool page_recognition_available();
inline constexpr std::string_view kPageRecognitionUnavailable =
    "this ocrfix was built without page recognition (OCRFIX_OCR=OFF). Install Tesseract and poppler-cpp "
    "(`make deps`) and rebuild with -DOCRFIX_OCR=ON, or correct text that was recognised elsewhere";

struct PageSource {
    std::string label;  // names the input in messages: "'scan.png'" or "the request body"
    std::string path;   // the file; "" when the source is in memory
    std::shared_ptr<const std::string> bytes;  // the contents when in memory
    bool pdf = false;
    int pages = 0;
    std::uint64_t max_pixels = kMaxPagePixels;
};

// Opens the file at `path`. Throws ocrfix::Error(io) when it cannot be read, and
// Error(invalid_input) naming it when it is neither an image Leptonica reads nor a PDF with
// pages, or when its first page has more than `max_pixels` pixels.
PageSource open_page_source(const std::string& path, std::uint64_t max_pixels = kMaxPagePixels);

// The same for `bytes` in memory; `label` names them in messages. Throws
// Error(invalid_input) also when `type` names a format the bytes are not in.
PageSource page_source_from_bytes(std::string bytes, std::string label, PageFileType type = PageFileType::detect,
                                  std::uint64_t max_pixels = kMaxPagePixels);

}  // namespace ocrfix::ocr
