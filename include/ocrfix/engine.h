// ocrfix::Engine: owns one loaded model and corrects text with it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ocrfix/edit.h"
#include "ocrfix/model_config.h"
#include "ocrfix/post_processor.h"

namespace ocrfix {

// Per-call overrides; empty fields keep the Engine's configuration.
struct RunOptions {
    std::string tier;      // "fast", "balanced" or "accurate"
    std::string language;  // "en", "fr", "de", ... or "auto"
    std::string profile;   // "reader", "hipe": the transcription conventions ("" = the config's)
    // Called with one JSON line per text: every candidate the verifier scored, with the
    // features the decision weighs (the tuning scripts' input; `ocrfix eval --candidates`).
    std::function<void(const std::string&)> candidate_log;
    // The OCR's confidence (0 to 1) in each byte of the text, -1 where it has none: what a
    // layout document's words carry (hOCR x_wconf, ALTO WC, PAGE conf). Empty: none. With
    // ModelConfig::ocr_confidences, a word the OCR was unsure of is easier to change.
    std::vector<double> confidences = {};
    // Cancellation: asked every few hundred words and while the model runs (inside llama.cpp's
    // decode too, on the CPU). Once it returns true (and it must keep returning true),
    // run_postprocessor stops within about one model operation and throws
    // ocrfix::Error(runtime) saying it was stopped; the Engine stays usable. It may be called
    // on llama.cpp's threads: make it cheap and thread-safe, e.g. reading a std::atomic<bool>
    // or comparing a deadline:
    //     std::atomic<bool> cancel{false};
    //     options.should_stop = [&cancel] { return cancel.load(); };
    std::function<bool()> should_stop = nullptr;
};

// One GGUF file found locally (Engine::list_local).
struct LocalModel {
    std::string repo_id;    // "ORG/NAME"; "" for a file of directory_model_path
    std::string filename;
    std::string revision;   // the snapshot (commit) folder; "" outside the hub cache
    std::string path;       // absolute path to load
    std::uint64_t size_bytes = 0;
};

// Move-only; destroying the Engine frees the model (RAII) once no Engine shares it.
//
// Threads. An Engine is a loaded model plus one inference context (its KV cache), used by
// one thread at a time. To correct on several threads, give each its own Engine from
// share(): the weights and the lexicons are loaded once and shared (what they cache is
// locked inside); each Engine has a context of its own. Safe at the same time, without
// locks of yours:
//   - run_postprocessor() on different Engines, shared from one another or not;
//   - the const methods (share(), config(), model_path(), ...) of an Engine, also while
//     another thread corrects with it.
// initialize(), set_post_processor(), free_resources() and moves change the Engine: nothing
// else may use that Engine meanwhile. A post-processor is shared by share() too, so its
// process() must be safe to call from several threads.
//
//   ocrfix::Engine engine(config);
//   std::vector<std::thread> threads;
//   for (const auto& page : pages)
//       threads.emplace_back([&engine, &page] {
//           ocrfix::Engine mine = engine.share();  // same weights, own context
//           store(mine.run_postprocessor(page));
//       });
//   for (auto& thread : threads) thread.join();
class Engine {
public:
    Engine();
    explicit Engine(const ModelConfig& config);  // Engine() followed by initialize(config)
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Loads the model `config` names; a model already loaded is freed first. The file is
    // looked for in file_model_path, directory_model_path, then the hub cache; when it is
    // in none and config.allow_auto_download is set (and HF_HUB_OFFLINE is not), it is
    // downloaded from HF_ENDPOINT, with a progress bar when stderr is a terminal.
    // Throws ocrfix::Error (model_not_found, model_invalid, download, invalid_argument).
    void initialize(const ModelConfig& config);
    bool is_initialized() const noexcept;
    const ModelConfig& config() const noexcept;
    // The GGUF file the current model was loaded from ("" when none).
    std::string model_path() const;

    // Corrects `text` (UTF-8) with the post-processor set by set_post_processor, else the
    // built-in correction. Text outside the returned edits is byte-identical.
    // Throws ocrfix::Error(invalid_input) for invalid UTF-8, (not_initialized) without a model.
    CorrectionResult run_postprocessor(std::string_view text);
    // The same for a list of texts (lines or words of an OCR page): one result each, in order.
    std::vector<CorrectionResult> run_postprocessor(const std::vector<std::string>& texts);
    // The built-in correction with per-call overrides of the configured tier and language
    // (never a custom post-processor).
    CorrectionResult run_postprocessor(std::string_view text, const RunOptions& options);

    // A second Engine over the same loaded model (weights are loaded once and shared) with
    // its own inference state, for another thread; safe to call from any thread while this
    // Engine corrects (see "Threads" above). Throws Error(not_initialized).
    Engine share() const;

    // Replaces the post-processor that run_postprocessor runs (nullptr: the built-in
    // correction again). With `config`, also loads that model, as initialize(config) does.
    void set_post_processor(std::shared_ptr<PostProcessor> processor,
                            const std::optional<ModelConfig>& config = std::nullopt);

    // The folder models are looked up in and downloaded to: directory_model_path when the
    // configuration sets one, else the hub cache ($HF_HUB_CACHE, $HF_HOME/hub, ...).
    std::string get_local_path() const;
    // Every GGUF in the hub cache, and in directory_model_path when set. No model needed.
    std::vector<LocalModel> list_local() const;
    // The languages with an installed lexicon ("de", "en", "fr"): what RunOptions::language
    // and ModelConfig::language may name besides "auto". Another name is an
    // Error(invalid_argument), not a silent pass-through.
    static std::vector<std::string> installed_languages();

    // Frees the model and its contexts (the process's memory really goes back down; a
    // test measures it); initialize() may be called again afterwards.
    void free_resources() noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "ocrfix 0.1.0 (llama.cpp b11312 ...)"
std::string version_string();

}  // namespace ocrfix
