// ocrfix::ModelConfig: which model to load and how. Field names follow the seed SDK's
// AsposeAIModelConfig, so a Python script ports by changing its import.
#pragma once

#include <cstdint>
#include <string>

namespace ocrfix {

// Every field is also described once in the settings table (settings.h), which gives its
// environment variable and help text; the CLI, the server and the Python kwargs use it.
struct ModelConfig {
    // Hugging Face repo id ("ORG/NAME") or a built-in alias ("smollm2-135m",
    // "gemma3-270m"). Empty means the built-in default model.
    std::string hugging_face_repo_id;
    // Quantization to pick inside the repo: "q4_k_m", "q8_0"/"int8", "f16"/"fp16", "none".
    std::string hugging_face_quantization = "q4_k_m";
    // Layers to offload to the GPU (0 = CPU only; more than the model has = all).
    int gpu_layers = 40;
    // Context window in tokens; 0 takes it from the model (capped at 4096).
    int context_size = 0;
    // Download from the hub (HF_ENDPOINT) when the model is not in the local cache.
    bool allow_auto_download = true;
    // A folder to search for a GGUF matching the quantization before the cache.
    std::string directory_model_path;
    // An explicit GGUF file; wins over everything else.
    std::string file_model_path;
    // CPU threads for inference; 0 = one per physical core this process may use.
    int threads = 0;
    // Seed for anything random (generation is greedy, so results do not depend on it).
    std::uint32_t seed = 0;
    // "fast" (lexical only, no neural model), "balanced" (lexical + LM verifier) or
    // "accurate" (plus the LLM rewrite proposer).
    std::string tier = "balanced";
    // Language of the text: "en", "fr", "de", ... or "auto" to detect it per paragraph.
    std::string language = "auto";
    // The transcription profile: conventions where sources disagree and nothing was misread.
    // "reader" (modern typography, hyphens and breaks as printed) or "hipe" (the HIPE-OCRepair
    // guidelines: "¬" at line-end breaks, words broken mid-line joined, "'" for "’").
    std::string profile = "reader";
    // Overrides of the profile. Join words the page broke at a line end and the OCR kept
    // broken ("réali-sation", "exclu sive"): true joins them whatever the profile says.
    bool join_broken_words = false;
    // Words hyphenated across a line break; "" takes the profile's. "auto" writes them as the
    // page has them, except that "-" becomes "¬" where the text already marks such breaks
    // with "¬" (the OCR misread the mark); "keep" leaves them, "mark" writes "¬", "join" joins.
    std::string line_end_hyphens;
    // Let the language model propose readings of words the lexicon does not know (names,
    // rare words, heavy garbles), besides the lexicon's; balanced and accurate tiers only.
    // Off by default until it pays for its time (docs/QUALITY.md).
    bool model_readings = false;
    bool ocr_confidences = true;  // weigh the OCR's word confidences where the input has them
    // Verifier models of their own for some languages, "LANG=REPO,...": a text in such a
    // language is verified by that model, loaded on first use with this configuration's other
    // settings; "none" (or "") = every language uses the main model. The default gives German to Gemma 3
    // 270M, which knows it far better than SmolLM2 (docs/BENCHMARKS.md); it stands aside when
    // a model is named (file_model_path, directory_model_path, hugging_face_repo_id) and when
    // Gemma is not installed.
    std::string language_models = "de=gemma3-270m";
};

}  // namespace ocrfix
