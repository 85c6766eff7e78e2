#include "ocrfix/engine.h"

#include <algorithm>

#include "correct/pipeline.h"
#include "llm/context.h"
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

struct Engine::Impl {
    ModelConfig config;
    std::shared_ptr<const llm::Model> model;
    llm::ContextParams context_params;
    std::unique_ptr<llm::Context> context;
};

Engine::Engine() : impl_(std::make_unique<Impl>()) {}
Engine::Engine(const ModelConfig& config) : Engine() { initialize(config); }
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::initialize(const ModelConfig& config) {
    validate(config);
    free_resources();  // the previous model goes before the next one loads: peak memory is one model
    const auto path = store::resolve(config);
    auto model = llm::Model::load({path.string(), config.gpu_layers});
    llm::ContextParams params;
    params.context_size = config.context_size > 0 ? config.context_size : std::min(4096, model->trained_context());
    params.batch_size = std::min(512, params.context_size);
    params.threads = config.threads;
    params.sequences = 4;
    impl_->context = std::make_unique<llm::Context>(model, params);
    impl_->context_params = params;
    impl_->model = std::move(model);
    impl_->config = config;
}

bool Engine::is_initialized() const noexcept { return impl_ && impl_->model != nullptr; }

const ModelConfig& Engine::config() const noexcept { return impl_->config; }

std::string Engine::model_path() const { return is_initialized() ? impl_->model->path() : std::string(); }

CorrectionResult Engine::run_postprocessor(std::string_view text) { return run_postprocessor(text, {}); }

Engine Engine::share() const {
    if (!is_initialized())
        throw Error(ErrorCategory::not_initialized, "share() needs a model: call initialize(config) first");
    Engine other;
    other.impl_->config = impl_->config;
    other.impl_->model = impl_->model;
    other.impl_->context = std::make_unique<llm::Context>(impl_->model, impl_->context_params);
    return other;
}

CorrectionResult Engine::run_postprocessor(std::string_view text, const RunOptions& options) {
    (void)options;  // the tiers arrive with the quality issue's pipeline
    if (!is_initialized())
        throw Error(ErrorCategory::not_initialized,
                    "run_postprocessor() needs a model: call initialize(config) first");
    text::require_valid_utf8(text, "the input text");
    return correct::correct_text(*impl_->context, text, {});
}

void Engine::free_resources() noexcept {
    if (!impl_) return;
    impl_->context.reset();
    impl_->model.reset();
}

}  // namespace ocrfix
