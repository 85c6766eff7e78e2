// ocrfix::Engine: owns one loaded model and corrects text with it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ocrfix/edit.h"
#include "ocrfix/model_config.h"

namespace ocrfix {

// Per-call overrides; empty fields keep the Engine's configuration.
struct RunOptions {
    std::string tier;      // "fast", "balanced" or "accurate"
    std::string language;  // "en", "fr", "de", ... or "auto"
};

// Move-only; destroying the Engine frees the model (RAII). One Engine may be used from one
// thread at a time; create one per thread, or use the server, to correct in parallel.
class Engine {
public:
    Engine();
    explicit Engine(const ModelConfig& config);  // Engine() followed by initialize(config)
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Loads the model `config` names; a model already loaded is freed first.
    // Throws ocrfix::Error (model_not_found, model_invalid, invalid_argument).
    void initialize(const ModelConfig& config);
    bool is_initialized() const noexcept;
    const ModelConfig& config() const noexcept;
    // The GGUF file the current model was loaded from ("" when none).
    std::string model_path() const;

    // Corrects `text` (UTF-8). Text outside the returned edits is byte-identical.
    // Throws ocrfix::Error(invalid_input) for invalid UTF-8, (not_initialized) without a model.
    CorrectionResult run_postprocessor(std::string_view text);
    // The same with per-call overrides of the configured tier and language.
    CorrectionResult run_postprocessor(std::string_view text, const RunOptions& options);

    // A second Engine over the same loaded model (weights are loaded once and shared) with
    // its own inference state, for another thread. Throws Error(not_initialized).
    Engine share() const;

    // Frees the model and its contexts; initialize() may be called again afterwards.
    void free_resources() noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "ocrfix 0.1.0 (llama.cpp b11312 ...)"
std::string version_string();

}  // namespace ocrfix
