#include "ocr/page_recognizer.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/renderer.h>
#include <tesseract/version.h>

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "ocr/page_decoding.h"
#include "ocrfix/error.h"

namespace ocrfix::ocr {

namespace {

#if TESSERACT_MAJOR_VERSION > 5 || (TESSERACT_MAJOR_VERSION == 5 && TESSERACT_MINOR_VERSION >= 4)
constexpr bool kTesseractWritesPage = true;
#else
constexpr bool kTesseractWritesPage = false;
#endif


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

struct PageRecognizer::Impl {
    tesseract::TessBaseAPI api;
    std::string languages;
    // The PDF `pdf` holds, kept open for its next page: its file, or its bytes (kept alive here).
    std::string open_pdf_path;
    std::shared_ptr<const std::string> open_pdf_bytes;
    std::unique_ptr<poppler::document> pdf;
};

PageRecognizer::PageRecognizer(const std::string& languages) : impl_(std::make_unique<Impl>()) {
    quiet_page_libraries();
    if (!is_tesseract_language_list(languages))
        throw Error(ErrorCategory::invalid_argument,
                    "'" + languages + "' is not a list of Tesseract languages; name them as tessdata does, "
                                      "joined by '+' (for example eng, frk, eng+fra)");
    impl_->languages = languages;
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

const std::string& PageRecognizer::languages() const { return impl_->languages; }

RecognizedPage PageRecognizer::recognize(const PageSource& source, int index, PageLayout layout, int pdf_dpi,
                                         const std::function<bool()>& should_stop) {
    tesseract::TessBaseAPI& api = impl_->api;
    const std::string where = "page " + std::to_string(index + 1) + " of " + source.label;
    Pix* pix = nullptr;
    poppler::image rendered;
    std::string warning;
    if (source.pdf) {
        if (!impl_->pdf || impl_->open_pdf_path != source.path || impl_->open_pdf_bytes != source.bytes) {
            impl_->pdf = open_pdf(source);
            impl_->open_pdf_path = source.path;
            impl_->open_pdf_bytes = source.bytes;
        }
        int dpi = pdf_dpi;
        rendered = render_pdf_page(*impl_->pdf, index, pdf_dpi, source.max_pixels, where, dpi);
        // Tesseract reads 8 pt text at 300 dpi well: at a lower resolution text needs to be
        // that much larger.
        constexpr int kSmallestPointsAt300Dpi = 8;
        if (dpi < pdf_dpi)
            warning = where + " is " + std::to_string(std::lround(static_cast<double>(rendered.width()) / dpi)) + " × " +
                      std::to_string(std::lround(static_cast<double>(rendered.height()) / dpi)) +
                      " inches, so it was rendered at " + std::to_string(dpi) + " dpi instead of " +
                      std::to_string(pdf_dpi) + " to stay within " + std::to_string(source.max_pixels) +
                      " pixels; text smaller than about " + std::to_string((300 * kSmallestPointsAt300Dpi + dpi - 1) / dpi) +
                      " pt may not be read. Crop or scale the page to its printed size";
        api.SetImage(reinterpret_cast<const unsigned char*>(rendered.const_data()), rendered.width(),
                     rendered.height(), 1, rendered.bytes_per_row());
        api.SetSourceResolution(dpi);
    } else {
        pix = decode_image_page(source, index, where);
        api.SetImage(pix);
    }
    struct PixRelease {
        Pix*& pix;
        ~PixRelease() {
            if (pix) pixDestroy(&pix);
        }
    } release{pix};
    const std::string& name = source.path.empty() ? source.label : source.path;  // in the layout's header
    api.SetInputName(name.c_str());
    // Tesseract asks its monitor's cancel function as it goes (every few words).
    tesseract::ETEXT_DESC monitor;
    if (should_stop) {
        monitor.cancel = [](void* stop, int) { return (*static_cast<const std::function<bool()>*>(stop))(); };
        monitor.cancel_this = const_cast<std::function<bool()>*>(&should_stop);
    }
    const bool failed = api.Recognize(should_stop ? &monitor : nullptr) != 0;
    if (should_stop && should_stop()) {
        api.Clear();
        throw Error(ErrorCategory::runtime, "recognising " + where + " was stopped (the request's time ran out)");
    }
    if (failed) throw Error(ErrorCategory::runtime, "Tesseract could not recognise " + where);
    RecognizedPage result;
    result.warning = std::move(warning);
    std::unique_ptr<char[]> text(api.GetUTF8Text());
    if (text) result.text = text.get();
    if (layout != PageLayout::none) result.layout = render_layout(api, layout, name);
    api.Clear();
    return result;
}

}  // namespace ocrfix::ocr
