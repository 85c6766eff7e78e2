// POST /v1/ocr: a page image (PNG, TIFF, JPEG) or a PDF as the body, Content-Type saying which;
// options in the query (?language=en&tier=fast&profile=hipe&ocr_language=frk&format=alto). The
// answer is JSON (each page's corrected text, edits and words with boxes) unless the client asks
// for hOCR, ALTO or PAGE (Accept, or format=), or for plain text.
//
// The body is hostile input: its type must be the one announced, its pages are checked against
// a pixel limit from their headers before anything is decoded (ocr::kMaxPagePixels), PDF pages
// are rendered at 300 DPI or less, and recognition runs on the correction workers, under the
// request's deadline.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "correct_request.h"
#include "correction_queue.h"
#include "ocr/page_correction.h"

namespace ocrfix::server {

struct OcrRequest {
    ocr::PageFileType type = ocr::PageFileType::detect;
    std::string format = "json";  // json, text, hocr, alto, page
    ocr::PageLayout layout = ocr::PageLayout::none;
    std::string tier, language, profile;  // empty: the server's configuration
    std::string ocr_language;             // Tesseract's languages ("eng", "frk", "eng+fra")
};

// Throws ApiError: 415 (a Content-Type that is not image/png, image/tiff, image/jpeg or
// application/pdf), 400 (an unknown query parameter, a bad tier, profile, format or language;
// a language is never echoed). `configured_language` is the server's, for ocr_language's default.
OcrRequest parse_ocr_request(std::string_view content_type, std::string_view accept,
                             const std::multimap<std::string, std::string>& query,
                             const std::string& configured_language);

// The body as a page source, checked (pages counted, first page's pixels). Throws ApiError:
// 422 for bytes that are not the announced image type or an unreadable PDF, a PDF without
// pages, or a page over the pixel limit; 406 when a layout format is asked of several pages;
// 501 in a build without page recognition (OCRFIX_OCR=OFF).
ocr::PageSource open_ocr_body(std::string body, const OcrRequest& request);

// The queue job that recognises and corrects every page of `source` on a worker; the pages land
// in `pages`, their CorrectionResults are the job's results.
void make_ocr_job(CorrectionJob& job, ocr::PageSource source, const OcrRequest& request,
                  std::shared_ptr<std::vector<ocr::CorrectedPage>> pages);

// The JSON answer's pages: {"page", "text", "edits", "words": [{"text", "box", "confidence"}],
// "edits_not_applied"} each, and "text": the pages' texts joined by a form feed.
nlohmann::json ocr_pages_to_json(const std::vector<ocr::CorrectedPage>& pages);

// The Content-Type of a layout or text answer.
std::string ocr_content_type(std::string_view format);

}  // namespace ocrfix::server
