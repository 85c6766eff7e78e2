#include "ocr_request.h"

#include <algorithm>

#include "ocrfix/error.h"
#include "page_words_json.h"
#include "result_json.h"

namespace ocrfix::server {

namespace {

[[noreturn]] void bad_request(const std::string& message) { throw ApiError(400, "invalid_request", message); }

// PDF pages are rendered at this resolution (lower for pages over the pixel limit).
constexpr int kPdfDpi = 300;

// Tesseract models kept per worker thread: a client asking for many languages in turn makes
// them load again, never makes a worker hold them all.
constexpr std::size_t kRecognizersPerWorker = 2;

constexpr std::string_view kQueryParameters[] = {"language", "tier", "profile", "ocr_language", "format"};

ocr::PageFileType body_type(std::string_view content_type) {
    if (is_media_type(content_type, "image/png")) return ocr::PageFileType::png;
    if (is_media_type(content_type, "image/tiff")) return ocr::PageFileType::tiff;
    if (is_media_type(content_type, "image/jpeg")) return ocr::PageFileType::jpeg;
    if (is_media_type(content_type, "application/pdf")) return ocr::PageFileType::pdf;
    throw ApiError(415, "unsupported_media_type",
                   "send the page as the body with Content-Type image/png, image/tiff, image/jpeg or application/pdf");
}

// What the client asks for: format= first, else the Accept header, else JSON.
std::string answer_format(std::string_view accept, const std::multimap<std::string, std::string>& query) {
    if (auto it = query.find("format"); it != query.end()) {
        for (std::string_view known : {"json", "text", "hocr", "alto", "page"})
            if (it->second == known) return it->second;
        bad_request("format= must be one of json, text, hocr, alto, page");
    }
    const auto asks = [&](std::string_view type) { return accept.find(type) != std::string_view::npos; };
    if (asks("application/json")) return "json";
    if (asks("application/alto+xml")) return "alto";
    if (asks("application/vnd.prima.page+xml")) return "page";
    if (asks("application/xhtml+xml") || asks("text/html")) return "hocr";
    if (asks("text/plain")) return "text";
    return "json";
}

// The worker thread's Tesseract for `languages` (a PageRecognizer is not thread-safe).
ocr::PageRecognizer& recognizer_for(const std::string& languages) {
    thread_local std::vector<std::unique_ptr<ocr::PageRecognizer>> recognizers;  // most recent first
    auto it = std::find_if(recognizers.begin(), recognizers.end(),
                           [&](const auto& recognizer) { return recognizer->languages() == languages; });
    if (it == recognizers.end()) {
        auto loaded = std::make_unique<ocr::PageRecognizer>(languages);
        if (recognizers.size() >= kRecognizersPerWorker) recognizers.pop_back();
        recognizers.insert(recognizers.begin(), std::move(loaded));
    } else {
        std::rotate(recognizers.begin(), it, it + 1);
    }
    return *recognizers.front();
}

}  // namespace

OcrRequest parse_ocr_request(std::string_view content_type, std::string_view accept,
                             const std::multimap<std::string, std::string>& query,
                             const std::string& configured_language) {
    OcrRequest request;
    request.type = body_type(content_type);
    for (const auto& [name, value] : query)
        if (std::find(std::begin(kQueryParameters), std::end(kQueryParameters), name) == std::end(kQueryParameters))
            bad_request("unknown query parameter; the parameters are language, tier, profile, ocr_language, format");
    const auto value_of = [&](const char* name) {
        auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    };
    request.tier = value_of("tier");
    request.language = value_of("language");
    request.profile = value_of("profile");
    check_tier_and_profile(request.tier, request.profile, "tier=", "profile=");
    request.format = answer_format(accept, query);
    try {
        request.layout = ocr::page_layout_for_format(request.format);
        request.ocr_language = value_of("ocr_language");
        if (!request.ocr_language.empty() && !ocr::is_tesseract_language_list(request.ocr_language))
            bad_request("ocr_language= must name Tesseract's languages as tessdata does, joined by '+' (for "
                        "example eng, frk, eng+fra)");
        if (request.ocr_language.empty())
            request.ocr_language =
                ocr::tesseract_language_for(request.language.empty() ? configured_language : request.language);
    } catch (const Error&) {
        // The library's messages name the command line's options; a client needs the query's.
        if (request.format == "page")
            bad_request("PAGE XML needs Tesseract 5.4 or later, which writes it; ask for hocr or alto");
        bad_request("no Tesseract language is known for language=; name Tesseract's with ocr_language= (for "
                    "example eng, fra, deu, frk, eng+fra)");
    }
    return request;
}

ocr::PageSource open_ocr_body(std::string body, const OcrRequest& request) {
    if (!ocr::page_recognition_available())
        throw ApiError(501, "not_implemented", std::string(ocr::kPageRecognitionUnavailable));
    ocr::PageSource source;
    try {
        source = ocr::page_source_from_bytes(std::move(body), "the request body", request.type);
    } catch (const Error& error) {
        throw ApiError(422, "unreadable_page", error.what());
    }
    if (request.layout != ocr::PageLayout::none && source.pages > 1)
        throw ApiError(406, "not_acceptable",
                       "the body has " + std::to_string(source.pages) + " pages, and one " + request.format +
                           " document holds one page; ask for JSON (every page with its words and boxes) or send "
                           "the pages one by one");
    return source;
}

void make_ocr_job(CorrectionJob& job, ocr::PageSource source, const OcrRequest& request,
                  std::shared_ptr<std::vector<ocr::CorrectedPage>> pages) {
    job.options = {request.tier, request.language, request.profile, {}};
    job.work = [source = std::move(source), layout = request.layout, languages = request.ocr_language,
                pages = std::move(pages)](Engine& engine, const RunOptions& options) {
        *pages = ocr::correct_pages(
            recognizer_for(languages), source, layout,
            [&](const std::string& text, const std::vector<double>& confidences) {
                RunOptions with_confidences = options;
                with_confidences.confidences = confidences;
                return engine.run_postprocessor(text, with_confidences);
            },
            kPdfDpi,
            options.should_stop);
        std::vector<CorrectionResult> results;
        for (const auto& page : *pages) results.push_back(page.result);
        return results;
    };
}

nlohmann::json ocr_pages_to_json(const std::vector<ocr::CorrectedPage>& pages) {
    nlohmann::json pages_json = nlohmann::json::array();
    std::string text;
    for (const auto& page : pages) {
        nlohmann::json page_json = {{"page", page.number}};
        page_json.update(result_to_json(page.original, page.result));
        page_json["words"] = corrected_words_to_json(page.words, page.word_edits);
        page_json["edits_not_applied"] = page.edits_not_applied;
        if (!page.warning.empty()) page_json["warning"] = page.warning;
        pages_json.push_back(std::move(page_json));
        if (page.number > 1) text += '\f';
        text += page.result.text;
    }
    return {{"text", std::move(text)}, {"pages", std::move(pages_json)}};
}

std::string ocr_content_type(std::string_view format) {
    if (format == "hocr") return "application/xhtml+xml; charset=utf-8";
    if (format == "alto" || format == "page") return "application/xml; charset=utf-8";
    return "text/plain; charset=utf-8";
}

}  // namespace ocrfix::server
