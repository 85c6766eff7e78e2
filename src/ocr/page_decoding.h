// Inside the ocr module: decoding the pages of a PageSource for Tesseract (page_recognizer.cpp).
// Every page is checked against the source's pixel limit before it is decoded or rendered.
#pragma once

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>

#include <memory>
#include <string>

#include "ocr/page_source.h"

namespace ocrfix::ocr {

// Leptonica and poppler print their own errors on stderr; ocrfix says what went wrong instead.
void quiet_page_libraries();

// The PDF of `source`, open. Throws Error(invalid_input) when poppler cannot read it, it is
// encrypted, or it has no pages.
std::unique_ptr<poppler::document> open_pdf(const PageSource& source);

// Page `index` of an image source, decoded; the caller owns it (pixDestroy). Throws
// Error(invalid_input) naming `where` when the page is over the pixel limit or cannot be decoded.
Pix* decode_image_page(const PageSource& source, int index, const std::string& where);

// Page `index` of `document` in 8-bit grey at `dpi`, or lower where that would exceed
// `max_pixels`; `rendered_dpi` receives the resolution used. Throws Error(invalid_input).
poppler::image render_pdf_page(poppler::document& document, int index, int dpi, std::uint64_t max_pixels,
                               const std::string& where, int& rendered_dpi);

}  // namespace ocrfix::ocr
