#include "ocrfix/engine.h"

#include <llama.h>

#include <algorithm>

#include "correct/pipeline.h"
#include "llm/context.h"
#include "llm/cpu_variant.h"
#include "llm/model.h"
#include "ocrfix/error.h"
#include "ocrfix/settings.h"
#include "store/model_store.h"
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

struct Engine::Impl {
    ModelConfig config;
    std::shared_ptr<const llm::Model> model;
    llm::ContextParams context_params;
    std::unique_ptr<llm::Context> context;
    std::shared_ptr<correct::LanguageLibrary> library;  // lexicons, shared process-wide
    bool ready = false;                                 // the fast tier runs without a model
};

Engine::Engine() : impl_(std::make_unique<Impl>()) {}
Engine::Engine(const ModelConfig& config) : Engine() { initialize(config); }
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::initialize(const ModelConfig& config) {
    validate(config);
    free_resources();  // the previous model goes before the next one loads: peak memory is one model
    impl_->library = correct::LanguageLibrary::shared();
    if (config.tier == "fast") {  // lexicon only: no neural model is loaded
        impl_->config = config;
        impl_->ready = true;
        return;
    }
    const auto path = store::resolve(config);
    // On the CPU, a Q4_1 model runs from a Q8_0 copy of it (see llm/cpu_variant.h).
    const std::string load_path = config.gpu_layers == 0 || !gpu_available()
                                      ? llm::cpu_fast_variant(path.string(), store::ocrfix_home() / "derived")
                                      : path.string();
    auto model = llm::Model::load({load_path, config.gpu_layers});
    llm::ContextParams params;
    // The verifier needs room for a chunk (~250 tokens) plus one batch of alternatives.
    params.context_size = std::max(1024, config.context_size > 0 ? config.context_size
                                                                 : std::min(4096, model->trained_context()));
    params.batch_size = 512;
    params.threads = config.threads;
    params.sequences = 16;  // the verifier scores up to 15 candidates per llama_decode
    impl_->context = std::make_unique<llm::Context>(model, params);
    impl_->context_params = params;
    impl_->model = std::move(model);
    impl_->config = config;
    impl_->ready = true;
}

bool Engine::is_initialized() const noexcept { return impl_ && impl_->ready; }

const ModelConfig& Engine::config() const noexcept { return impl_->config; }

std::string Engine::model_path() const { return impl_ && impl_->model ? impl_->model->path() : std::string(); }

CorrectionResult Engine::run_postprocessor(std::string_view text) { return run_postprocessor(text, {}); }

Engine Engine::share() const {
    if (!is_initialized())
        throw Error(ErrorCategory::not_initialized, "share() needs a model: call initialize(config) first");
    Engine other;
    other.impl_->config = impl_->config;
    other.impl_->model = impl_->model;
    other.impl_->library = impl_->library;
    other.impl_->context_params = impl_->context_params;
    if (impl_->model) other.impl_->context = std::make_unique<llm::Context>(impl_->model, impl_->context_params);
    other.impl_->ready = true;
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
    if (pipeline.tier != correct::Tier::fast && !impl_->context)
        throw Error(ErrorCategory::not_initialized, "tier '" + options.tier +
                                                        "' needs a language model, but this Engine was initialized "
                                                        "with tier=fast; initialize it with tier=balanced");
    return correct::correct_text(text, *impl_->library, impl_->context.get(), pipeline);
}

void Engine::free_resources() noexcept {
    if (!impl_) return;
    impl_->context.reset();
    impl_->model.reset();
    impl_->library.reset();
    impl_->ready = false;
}

}  // namespace ocrfix
