// ocrfix.Engine: the C++ Engine behind a mutex, with the GIL released during loading and
// inference so other Python threads run meanwhile. The mutex makes one Engine safe to call
// from several Python threads (calls take turns); it is recursive because a Python
// post-processor may call back into its own Engine.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <mutex>

#include "bindings.h"
#include "layout/document.h"
#include "ocrfix/engine.h"
#include "ocrfix/error.h"

namespace nb = nanobind;

namespace ocrfix::python {

namespace {

struct PyEngine {
    Engine engine;
    std::recursive_mutex mutex;
    std::unique_ptr<ocr::PageRecognizer> recognizer;  // Engine.ocr's Tesseract, loaded on first use
};

// Engine.ocr's input: bytes are the image or PDF itself, anything else a path (str, os.PathLike).
ocr::PageSource page_source_of(nb::handle input) {
    if (nb::isinstance<nb::bytes>(input)) {
        nb::bytes data = nb::borrow<nb::bytes>(input);
        return ocr::page_source_from_bytes(std::string(data.c_str(), data.size()), "the input");
    }
    nb::object path = nb::module_::import_("os").attr("fspath")(input);
    if (!nb::isinstance<nb::str>(path))
        throw Error(ErrorCategory::invalid_argument, "Engine.ocr takes a path (str or os.PathLike) or bytes");
    return ocr::open_page_source(nb::cast<std::string>(path));
}

// Runs `work` on the engine without the GIL, holding the engine's mutex.
template <class Work>
auto locked(PyEngine& self, Work&& work) {
    nb::gil_scoped_release release;
    std::lock_guard<std::recursive_mutex> lock(self.mutex);
    return work(self.engine);
}

// A Python object used as a post-processor: an object with process(texts) (the seed SDK's
// IOcrAIPostProcessor; set_ai(engine) is called once if it has one) or a callable taking
// the list of texts. Each returned item is a str or a CorrectionResult.
class PythonPostProcessor : public PostProcessor {
public:
    explicit PythonPostProcessor(nb::object processor) : processor_(std::move(processor)) {}
    ~PythonPostProcessor() override {
        nb::gil_scoped_acquire acquire;  // the last reference may go from a thread without the GIL
        processor_.reset();
    }

    std::vector<CorrectionResult> process(Engine&, const std::vector<std::string>& texts) override {
        nb::gil_scoped_acquire acquire;
        nb::list items;
        for (const auto& text : texts) items.append(nb::str(text.data(), text.size()));
        nb::object output =
            nb::hasattr(processor_, "process") ? processor_.attr("process")(items) : processor_(items);
        std::vector<CorrectionResult> results;
        for (nb::handle item : output) {
            if (nb::isinstance<nb::str>(item))
                results.push_back({nb::cast<std::string>(item), {}});
            else if (nb::isinstance<CorrectionResult>(item))
                results.push_back(nb::cast<CorrectionResult>(item));
            else
                throw Error(ErrorCategory::invalid_argument,
                            "the post-processor returned a " +
                                nb::cast<std::string>(nb::str(item.type().attr("__name__"))) +
                                "; it must return a list with one str or CorrectionResult per input text");
        }
        return results;
    }

private:
    nb::object processor_;
};

}  // namespace

void bind_engine(nb::module_& module) {
    nb::class_<PyEngine>(module, "Engine",
                         "Owns one loaded model and corrects text with it. Use as a context manager, or call "
                         "free_resources(), to give the memory back. The seed SDK's AsposeAI.")
        .def(nb::init<>())
        .def(
            "__init__",
            [](PyEngine* self, const ModelConfig& config) {
                new (self) PyEngine();
                locked(*self, [&](Engine& engine) { engine.initialize(config); });
            },
            nb::arg("config"))
        .def(
            "initialize",
            [](PyEngine& self, std::optional<ModelConfig> config) {
                locked(self, [&](Engine& engine) { engine.initialize(config.value_or(ModelConfig{})); });
            },
            nb::arg("config") = nb::none(),
            "Loads the model `config` names (the built-in default when None), freeing the previous one "
            "first; "
            "downloads it when it is missing, allow_auto_download is set and HF_HUB_OFFLINE is not.")
        .def("is_initialized", [](PyEngine& self) { return self.engine.is_initialized(); })
        .def_prop_ro(
            "config", [](PyEngine& self) { return self.engine.config(); }, "The configuration loaded last.")
        .def(
            "model_path", [](PyEngine& self) { return self.engine.model_path(); },
            "The GGUF file the current model was loaded from ('' when none).")
        .def(
            "run_postprocessor",
            [](PyEngine& self, const std::string& text, const std::string& tier, const std::string& language,
               const std::string& profile) {
                return locked(self, [&](Engine& engine) {
                    if (tier.empty() && language.empty() && profile.empty()) return engine.run_postprocessor(text);
                    return engine.run_postprocessor(text, RunOptions{tier, language, profile, {}});
                });
            },
            nb::arg("text"), nb::kw_only(), nb::arg("tier") = "", nb::arg("language") = "", nb::arg("profile") = "",
            "Corrects `text`; str(result) is the corrected text, result.edits say what changed. `tier`, "
            "`language` and `profile` override the configuration for this call (built-in correction only).")
        .def(
            "run_postprocessor",
            [](PyEngine& self, const std::vector<std::string>& texts) {
                return locked(self, [&](Engine& engine) { return engine.run_postprocessor(texts); });
            },
            nb::arg("texts"),
            "Corrects each text of a list (lines or words of a page): one result each, in order.")
        .def(
            "correct_document",
            [](PyEngine& self, nb::bytes data) {
                std::string bytes(data.c_str(), data.size());
                const std::string corrected = locked(self, [&](Engine& engine) {
                    layout::Document document = layout::Document::parse(bytes, "the document");
                    RunOptions options;  // the words' OCR confidences weigh in the decision
                    options.confidences = document.byte_confidences();
                    document.apply(engine.run_postprocessor(document.text(), options));
                    return document.serialize();
                });
                return nb::bytes(corrected.data(), corrected.size());
            },
            nb::arg("data"),
            "Corrects an hOCR, ALTO or PAGE XML document (bytes): its words are corrected and it comes back "
            "as the same document, corrected words in place and marked the format's way (README, \"hOCR, "
            "ALTO and PAGE XML\"). Raises InvalidInputError for malformed XML or an unknown format.")
        .def(
            "ocr",
            [](PyEngine& self, nb::handle input, const std::string& language, const std::string& tier,
               const std::string& profile, const std::string& format, const std::string& ocr_language, int pdf_dpi) {
                if (pdf_dpi < ocr::kMinPdfDpi || pdf_dpi > ocr::kMaxPdfDpi)
                    throw Error(ErrorCategory::invalid_argument, "pdf_dpi must be between 50 and 1200 (300 suits most scans)");
                const ocr::PageSource source = page_source_of(input);  // with the GIL: reads the Python object
                const OcrCall call{language, tier, profile, format, ocr_language, pdf_dpi};
                return locked(self, [&](Engine& engine) {
                    return recognize_and_correct(engine, self.recognizer, source, call);
                });
            },
            nb::arg("image"), nb::kw_only(), nb::arg("language") = "", nb::arg("tier") = "", nb::arg("profile") = "",
            nb::arg("format") = "text", nb::arg("ocr_language") = "", nb::arg("pdf_dpi") = 300,
            "Recognises a page image or PDF (a path, or its bytes) with Tesseract and corrects every page: "
            "result.pages hold each page's corrected text, edits and words with boxes; str(result) is the "
            "text. format=\"hocr\", \"alto\" or \"page\" also gives each page's layout document with the "
            "corrected words in place (page.document). `ocr_language` names Tesseract's languages (eng, frk, "
            "eng+fra; default: from `language`). Raises InvalidInputError for an image that cannot be read, a "
            "PDF without pages or a page over 100 million pixels.")
        .def(
            "set_post_processor",
            [](nb::handle owner, nb::object processor, std::optional<ModelConfig> custom_settings) {
                PyEngine& self = nb::cast<PyEngine&>(owner);
                if (custom_settings)
                    locked(self, [&](Engine& engine) { engine.initialize(*custom_settings); });
                if (!processor.is_none() && nb::hasattr(processor, "set_ai")) processor.attr("set_ai")(owner);
                std::shared_ptr<PostProcessor> wrapped;
                if (!processor.is_none()) wrapped = std::make_shared<PythonPostProcessor>(processor);
                std::lock_guard<std::recursive_mutex> lock(self.mutex);
                self.engine.set_post_processor(std::move(wrapped));
            },
            nb::arg("processor").none(), nb::arg("custom_settings") = nb::none(),
            "Makes run_postprocessor run `processor` (an object with process(texts), or a callable taking "
            "the "
            "list of texts, returning one str or CorrectionResult each); None restores the built-in "
            "correction. "
            "With custom_settings, loads that model first.")
        .def(
            "get_local_path", [](PyEngine& self) { return self.engine.get_local_path(); },
            "The folder models are looked up in and downloaded to.")
        .def(
            "list_local", [](PyEngine& self) { return self.engine.list_local(); },
            "Every GGUF model found locally (hub cache, directory_model_path).")
        .def(
            "share",
            [](PyEngine& self) {
                auto* other = new PyEngine();
                try {
                    other->engine = self.engine.share();
                } catch (...) {
                    delete other;
                    throw;
                }
                return other;
            },
            nb::rv_policy::take_ownership,
            "A second Engine over the same loaded weights, with its own inference state (for another "
            "thread).")
        .def(
            "free_resources",
            [](PyEngine& self) { locked(self, [](Engine& engine) { engine.free_resources(); }); },
            "Frees the model and its memory; initialize() may be called again.")
        .def(
            "__enter__", [](nb::handle self) { return self; }, nb::rv_policy::reference)
        .def(
            "__exit__",
            [](PyEngine& self, nb::handle, nb::handle, nb::handle) {
                locked(self, [](Engine& engine) { engine.free_resources(); });
                return false;
            },
            nb::arg("exc_type").none(), nb::arg("exc_value").none(), nb::arg("traceback").none());
}

}  // namespace ocrfix::python
