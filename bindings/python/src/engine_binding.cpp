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
};

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
                    document.apply(engine.run_postprocessor(document.text()));
                    return document.serialize();
                });
                return nb::bytes(corrected.data(), corrected.size());
            },
            nb::arg("data"),
            "Corrects an hOCR, ALTO or PAGE XML document (bytes): its words are corrected and it comes back "
            "as the same document, corrected words in place and marked the format's way (README, \"hOCR, "
            "ALTO and PAGE XML\"). Raises InvalidInputError for malformed XML or an unknown format.")
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
