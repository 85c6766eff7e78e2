#include "ocr/page_source.h"

#include <poppler-global.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <stdio.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "ocr/page_decoding.h"
#include "ocrfix/error.h"

namespace ocrfix::ocr {

namespace {

constexpr std::string_view kPdfSignature = "%PDF-";
constexpr std::size_t kPdfSignatureWindow = 1024;  // where PDF readers look for it

bool has_pdf_signature(std::string_view head) {
    return head.substr(0, kPdfSignatureWindow).find(kPdfSignature) != std::string_view::npos;
}

bool file_has_pdf_signature(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    char head[kPdfSignatureWindow] = {};
    file.read(head, sizeof head);
    return has_pdf_signature(std::string_view(head, static_cast<std::size_t>(file.gcount())));
}

bool has_pdf_extension(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
    return extension == ".pdf";
}

const l_uint8* data_of(const PageSource& source) { return reinterpret_cast<const l_uint8*>(source.bytes->data()); }

struct ImageHeader {
    l_int32 format = IFF_UNKNOWN, width = 0, height = 0;
};

// The header of page `index` (TIFF pages have one each), without decoding the pixels.
bool read_header(const PageSource& source, int index, ImageHeader& header) {
    l_int32 bits = 0, samples = 0, colormap = 0, resolution = 0;
    if (index > 0) {
        return (source.bytes ? readHeaderMemTiff(data_of(source), source.bytes->size(), index, &header.width,
                                                 &header.height, &bits, &samples, &resolution, &colormap,
                                                 &header.format)
                             : readHeaderTiff(source.path.c_str(), index, &header.width, &header.height, &bits,
                                              &samples, &resolution, &colormap, &header.format)) == 0;
    }
    return (source.bytes ? pixReadHeaderMem(data_of(source), source.bytes->size(), &header.format, &header.width,
                                            &header.height, &bits, &samples, &colormap)
                         : pixReadHeader(source.path.c_str(), &header.format, &header.width, &header.height, &bits,
                                         &samples, &colormap)) == 0 &&
           header.format != IFF_UNKNOWN;
}

std::string pixel_limit_message(const std::string& where, std::uint64_t width, std::uint64_t height,
                                std::uint64_t limit) {
    return where + " is " + std::to_string(width) + " x " + std::to_string(height) +
           " pixels, more than the limit of " + std::to_string(limit / 1'000'000) +
           " million; scale the image down (300 DPI suits OCR) or split it";
}

void check_pixels(const ImageHeader& header, std::uint64_t limit, const std::string& where) {
    const auto width = static_cast<std::uint64_t>(header.width), height = static_cast<std::uint64_t>(header.height);
    if (width * height > limit) throw Error(ErrorCategory::invalid_input, pixel_limit_message(where, width, height, limit));
}

bool is_tiff(l_int32 format) {
    return format == IFF_TIFF || format == IFF_TIFF_PACKBITS || format == IFF_TIFF_RLE || format == IFF_TIFF_G3 ||
           format == IFF_TIFF_G4 || format == IFF_TIFF_LZW || format == IFF_TIFF_ZIP || format == IFF_TIFF_JPEG;
}

bool matches(PageFileType type, l_int32 format) {
    switch (type) {
        case PageFileType::png: return format == IFF_PNG;
        case PageFileType::tiff: return is_tiff(format);
        case PageFileType::jpeg: return format == IFF_JFIF_JPEG;
        case PageFileType::detect:
        case PageFileType::pdf: break;
    }
    return true;
}

std::string_view type_name(PageFileType type) {
    switch (type) {
        case PageFileType::png: return "a PNG image";
        case PageFileType::tiff: return "a TIFF image";
        case PageFileType::jpeg: return "a JPEG image";
        case PageFileType::pdf: return "a PDF";
        case PageFileType::detect: break;
    }
    return "an image";
}

// Counts the pages of an image source and checks the first one's header.
void open_image(PageSource& source, PageFileType type) {
    ImageHeader header;
    if (!read_header(source, 0, header) || header.width <= 0 || header.height <= 0)
        throw Error(ErrorCategory::invalid_input,
                    source.label + " is not an image Leptonica can read (PNG, JPEG, TIFF, GIF, WebP, BMP, PNM) nor a "
                                   "PDF; check the file, or convert it to PNG");
    if (!matches(type, header.format))
        throw Error(ErrorCategory::invalid_input,
                    source.label + " is not " + std::string(type_name(type)) +
                        "; send the Content-Type that its bytes are in");
    check_pixels(header, source.max_pixels, source.label);
    source.pages = 1;
    if (!is_tiff(header.format)) return;
    FILE* file = source.bytes ? fmemopen(const_cast<char*>(source.bytes->data()), source.bytes->size(), "rb")
                              : std::fopen(source.path.c_str(), "rb");
    if (!file) return;
    l_int32 count = 1;
    if (tiffGetCount(file, &count) == 0 && count > 0) source.pages = count;
    std::fclose(file);
}

}  // namespace

bool page_recognition_available() { return true; }

void quiet_page_libraries() {
    static const bool done = [] {
        setMsgSeverity(L_SEVERITY_NONE);
        poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
        return true;
    }();
    (void)done;
}

std::unique_ptr<poppler::document> open_pdf(const PageSource& source) {
    quiet_page_libraries();
    std::unique_ptr<poppler::document> document;
    if (!source.bytes) document.reset(poppler::document::load_from_file(source.path));
    else if (source.bytes->size() <= static_cast<std::size_t>(INT_MAX))
        document.reset(poppler::document::load_from_raw_data(source.bytes->data(), static_cast<int>(source.bytes->size())));
    if (!document)
        throw Error(ErrorCategory::invalid_input,
                    source.label + " is not a PDF poppler can read (empty, damaged or another format); check the file");
    if (document->is_locked())
        throw Error(ErrorCategory::invalid_input,
                    source.label + " is a password-protected PDF; decrypt it first (for example with qpdf --decrypt)");
    if (document->pages() <= 0)
        throw Error(ErrorCategory::invalid_input,
                    source.label + " is a PDF without pages poppler can read (it has none, or its page tree is "
                                   "damaged); nothing to recognise (qpdf --check FILE tells which)");
    return document;
}

Pix* decode_image_page(const PageSource& source, int index, const std::string& where) {
    quiet_page_libraries();
    ImageHeader header;
    if (!read_header(source, index, header))
        throw Error(ErrorCategory::invalid_input,
                    "Leptonica could not read the header of " + where + " (damaged or truncated); check the file");
    check_pixels(header, source.max_pixels, where);
    Pix* pix = nullptr;
    if (source.bytes)
        pix = source.pages > 1 ? pixReadMemTiff(data_of(source), source.bytes->size(), index)
                               : pixReadMem(data_of(source), source.bytes->size());
    else
        pix = source.pages > 1 ? pixReadTiff(source.path.c_str(), index) : pixRead(source.path.c_str());
    if (!pix)
        throw Error(ErrorCategory::invalid_input,
                    "Leptonica could not decode " + where + " (damaged or truncated); check the file");
    return pix;
}

poppler::image render_pdf_page(poppler::document& document, int index, int dpi, std::uint64_t max_pixels,
                               const std::string& where, int& rendered_dpi) {
    std::unique_ptr<poppler::page> page(document.create_page(index));
    if (!page) throw Error(ErrorCategory::invalid_input, "poppler could not read " + where + "; check the PDF");
    // A page may declare any size (a MediaBox of 200 inches): the resolution is lowered so
    // that the rendered page stays within the pixel limit.
    const poppler::rectf box = page->page_rect(poppler::media_box);
    const double width_inches = box.width() / 72.0, height_inches = box.height() / 72.0;
    if (!(width_inches > 0 && height_inches > 0 && std::isfinite(width_inches * height_inches)))
        throw Error(ErrorCategory::invalid_input, where + " has no size (its MediaBox is empty); check the PDF");
    const double pixels_per_square_inch = static_cast<double>(max_pixels) / (width_inches * height_inches);
    rendered_dpi = std::max(1, std::min(dpi, static_cast<int>(std::floor(std::sqrt(pixels_per_square_inch)))));
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);  // Tesseract binarises; grey is enough
    poppler::image rendered = renderer.render_page(page.get(), rendered_dpi, rendered_dpi);
    if (!rendered.is_valid())
        throw Error(ErrorCategory::invalid_input, "poppler could not render " + where + "; check the PDF");
    return rendered;
}

PageSource open_page_source(const std::string& path, std::uint64_t max_pixels) {
    quiet_page_libraries();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCategory::io, "'" + path + "' is a folder; pass the images or PDFs inside it");
    if (!std::ifstream(path, std::ios::binary))
        throw Error(ErrorCategory::io, "cannot read '" + path + "': no such file or no permission; check the path");
    PageSource source;
    source.label = "'" + path + "'";
    source.path = path;
    source.max_pixels = max_pixels;
    if (file_has_pdf_signature(path) || has_pdf_extension(path)) {
        source.pdf = true;
        source.pages = open_pdf(source)->pages();
        return source;
    }
    open_image(source, PageFileType::detect);
    return source;
}

PageSource page_source_from_bytes(std::string bytes, std::string label, PageFileType type, std::uint64_t max_pixels) {
    quiet_page_libraries();
    PageSource source;
    source.label = std::move(label);
    source.max_pixels = max_pixels;
    source.pdf = type == PageFileType::pdf || (type == PageFileType::detect && has_pdf_signature(bytes));
    source.bytes = std::make_shared<const std::string>(std::move(bytes));
    if (source.bytes->empty())
        throw Error(ErrorCategory::invalid_input, source.label + " is empty; send an image or a PDF");
    if (source.pdf) source.pages = open_pdf(source)->pages();
    else open_image(source, type);
    return source;
}

}  // namespace ocrfix::ocr
