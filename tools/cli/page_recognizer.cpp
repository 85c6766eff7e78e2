#include "page_recognizer.h"

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>
#include <tesseract/renderer.h>
#include <tesseract/version.h>

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "ocrfix/error.h"

namespace ocrfix::cli {

namespace {

#if TESSERACT_MAJOR_VERSION > 5 || (TESSERACT_MAJOR_VERSION == 5 && TESSERACT_MINOR_VERSION >= 4)
constexpr bool kTesseractWritesPage = true;
#else
constexpr bool kTesseractWritesPage = false;
#endif

// ocrfix's languages and Tesseract's names for them (ISO 639-1 -> 639-2/T, as tessdata names files).
constexpr std::pair<std::string_view, std::string_view> kTesseractLanguages[] = {
    {"auto", "eng"}, {"en", "eng"}, {"fr", "fra"}, {"de", "deu"}};

// Leptonica and poppler print their own errors on stderr; ocrfix says what went wrong instead.
void quiet_libraries() {
    static const bool done = [] {
        setMsgSeverity(L_SEVERITY_NONE);
        poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
        return true;
    }();
    (void)done;
}

bool has_pdf_signature(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    char head[1024] = {};
    file.read(head, sizeof head);
    return std::string_view(head, static_cast<std::size_t>(file.gcount())).find("%PDF-") != std::string_view::npos;
}

bool has_pdf_extension(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
    return extension == ".pdf";
}

std::unique_ptr<poppler::document> open_pdf(const std::string& path) {
    std::unique_ptr<poppler::document> document(poppler::document::load_from_file(path));
    if (!document)
        throw Error(ErrorCategory::invalid_input,
                    "'" + path + "' is not a PDF poppler can read (empty, damaged or another format); check the file");
    if (document->is_locked())
        throw Error(ErrorCategory::invalid_input,
                    "'" + path + "' is a password-protected PDF; decrypt it first (for example with qpdf --decrypt)");
    if (document->pages() <= 0)
        throw Error(ErrorCategory::invalid_input, "'" + path + "' is a PDF without pages; nothing to recognise");
    return document;
}

// Tesseract's renderers write to files; each page gets a folder of its own, removed afterwards.
class TemporaryFolder {
public:
    TemporaryFolder() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ocrfix-ocr-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw Error(ErrorCategory::io, "cannot create a temporary folder under " +
                                               std::filesystem::temp_directory_path().string() +
                                               "; check TMPDIR and free space");
        path_ = pattern;
    }
    ~TemporaryFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::unique_ptr<tesseract::TessResultRenderer> make_renderer(PageLayout layout, const std::string& base) {
    switch (layout) {
        case PageLayout::hocr: return std::make_unique<tesseract::TessHOcrRenderer>(base.c_str(), false);
        case PageLayout::alto: return std::make_unique<tesseract::TessAltoRenderer>(base.c_str());
        case PageLayout::page:
#if TESSERACT_MAJOR_VERSION > 5 || (TESSERACT_MAJOR_VERSION == 5 && TESSERACT_MINOR_VERSION >= 4)
            return std::make_unique<tesseract::TessPAGERenderer>(base.c_str());
#else
            break;
#endif
        case PageLayout::none: break;
    }
    throw Error(ErrorCategory::invalid_argument,
                "Tesseract " TESSERACT_VERSION_STR " writes no PAGE XML (it does from 5.4); use -f hocr or -f alto");
}

// The document Tesseract's own renderer writes for the page just recognised, header included.
std::string render_layout(tesseract::TessBaseAPI& api, PageLayout layout, const std::string& title) {
    TemporaryFolder folder;
    {
        auto renderer = make_renderer(layout, (folder.path() / "page").string());
        if (!renderer->happy() || !renderer->BeginDocument(title.c_str()) || !renderer->AddImage(&api) ||
            !renderer->EndDocument())
            throw Error(ErrorCategory::io, "Tesseract could not write its layout document under " +
                                               folder.path().string() + "; check free space");
    }  // the renderer closes its file here
    for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
        std::ifstream file(entry.path(), std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(file), {});
    }
    throw Error(ErrorCategory::io, "Tesseract wrote no layout document; check free space in the temporary folder");
}

}  // namespace

bool tesseract_writes_page_xml() { return kTesseractWritesPage; }

std::string tesseract_language_for(std::string_view language) {
    for (const auto& [ours, tesseracts] : kTesseractLanguages)
        if (ours == language) return std::string(tesseracts);
    throw Error(ErrorCategory::invalid_argument,
                "no Tesseract language is known for -l " + std::string(language) +
                    "; name Tesseract's with --ocr-lang (for example eng, fra, deu, frk, eng+fra)");
}

PageSource open_page_source(const std::string& path) {
    quiet_libraries();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCategory::io, "'" + path + "' is a folder; pass the images or PDFs inside it");
    if (!std::ifstream(path, std::ios::binary))
        throw Error(ErrorCategory::io, "cannot read '" + path + "': no such file or no permission; check the path");
    PageSource source{path, false, 0};
    if (has_pdf_signature(path) || has_pdf_extension(path)) {
        source.pdf = true;
        source.pages = open_pdf(path)->pages();
        return source;
    }
    l_int32 format = IFF_UNKNOWN, width = 0, height = 0, bits = 0, samples = 0, colormap = 0;
    if (pixReadHeader(path.c_str(), &format, &width, &height, &bits, &samples, &colormap) != 0 ||
        format == IFF_UNKNOWN || width <= 0 || height <= 0)
        throw Error(ErrorCategory::invalid_input,
                    "'" + path + "' is not an image Leptonica can read (PNG, JPEG, TIFF, GIF, WebP, BMP, PNM) nor a "
                                 "PDF; check the file, or convert it to PNG");
    source.pages = 1;
    if (FILE* file = std::fopen(path.c_str(), "rb")) {
        l_int32 count = 1;
        if (fileFormatIsTiff(file) && tiffGetCount(file, &count) == 0 && count > 0) source.pages = count;
        std::fclose(file);
    }
    return source;
}

struct PageRecognizer::Impl {
    tesseract::TessBaseAPI api;
    std::string open_pdf_path;  // the PDF `pdf` holds, kept open for its next page
    std::unique_ptr<poppler::document> pdf;
};

PageRecognizer::PageRecognizer(const std::string& languages) : impl_(std::make_unique<Impl>()) {
    quiet_libraries();
    // Tesseract's own messages ("Error opening data file ...") would precede ocrfix's clearer one.
    impl_->api.SetVariable("debug_file", "/dev/null");
    const bool loaded = impl_->api.Init(nullptr, languages.c_str(), tesseract::OEM_DEFAULT) == 0;
    std::set<std::string> have;
    if (loaded) {
        std::vector<std::string> loaded_languages;
        impl_->api.GetLoadedLanguagesAsVector(&loaded_languages);
        have.insert(loaded_languages.begin(), loaded_languages.end());
    }
    std::string missing;
    std::stringstream wanted(languages);
    for (std::string language; std::getline(wanted, language, '+');)
        if (!language.empty() && !have.count(language)) missing += (missing.empty() ? "" : ", ") + language;
    if (!loaded || !missing.empty()) {
        std::string package = missing.empty() ? languages : missing.substr(0, missing.find(','));
        std::replace(package.begin(), package.end(), '_', '-');
        std::transform(package.begin(), package.end(), package.begin(), [](unsigned char c) { return std::tolower(c); });
        throw Error(ErrorCategory::invalid_input,
                    "Tesseract has no language data for '" + (missing.empty() ? languages : missing) + "' (" +
                        (missing.empty() ? languages : missing.substr(0, missing.find(','))) +
                        ".traineddata); install it (Debian: apt-get install tesseract-ocr-" + package +
                        ") or set TESSDATA_PREFIX to the folder that holds it; `tesseract --list-langs` lists "
                        "those installed");
    }
    // The library's default reads the page as one block; the tesseract command, and ocrfix, find
    // the columns and blocks of a real page.
    impl_->api.SetPageSegMode(tesseract::PSM_AUTO);
}

PageRecognizer::~PageRecognizer() {
    if (impl_) impl_->api.End();
}

RecognizedPage PageRecognizer::recognize(const PageSource& source, int index, PageLayout layout, int pdf_dpi) {
    tesseract::TessBaseAPI& api = impl_->api;
    const std::string where = "page " + std::to_string(index + 1) + " of '" + source.path + "'";
    Pix* pix = nullptr;
    poppler::image rendered;
    if (source.pdf) {
        if (!impl_->pdf || impl_->open_pdf_path != source.path) {
            impl_->pdf = open_pdf(source.path);
            impl_->open_pdf_path = source.path;
        }
        std::unique_ptr<poppler::page> page(impl_->pdf->create_page(index));
        poppler::page_renderer renderer;
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        renderer.set_image_format(poppler::image::format_gray8);  // Tesseract binarises; grey is enough
        if (page) rendered = renderer.render_page(page.get(), pdf_dpi, pdf_dpi);
        if (!page || !rendered.is_valid())
            throw Error(ErrorCategory::invalid_input, "poppler could not render " + where + "; check the PDF");
        api.SetImage(reinterpret_cast<const unsigned char*>(rendered.const_data()), rendered.width(),
                     rendered.height(), 1, rendered.bytes_per_row());
        api.SetSourceResolution(pdf_dpi);
    } else {
        pix = source.pages > 1 ? pixReadTiff(source.path.c_str(), index) : pixRead(source.path.c_str());
        if (!pix)
            throw Error(ErrorCategory::invalid_input,
                        "Leptonica could not decode " + where + " (damaged or truncated); check the file");
        api.SetImage(pix);
    }
    struct PixRelease {
        Pix*& pix;
        ~PixRelease() {
            if (pix) pixDestroy(&pix);
        }
    } release{pix};
    api.SetInputName(source.path.c_str());
    if (api.Recognize(nullptr) != 0)
        throw Error(ErrorCategory::runtime, "Tesseract could not recognise " + where);
    RecognizedPage result;
    std::unique_ptr<char[]> text(api.GetUTF8Text());
    if (text) result.text = text.get();
    if (layout != PageLayout::none) result.layout = render_layout(api, layout, source.path);
    api.Clear();
    return result;
}

}  // namespace ocrfix::cli
