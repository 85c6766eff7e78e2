#include "ocrfix/settings.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "correct/hyphenation.h"
#include "correct/profile.h"
#include "ocrfix/error.h"

namespace ocrfix {

namespace {

[[noreturn]] void bad_value(std::string_view name, std::string_view value, std::string_view expected) {
    throw Error(ErrorCategory::invalid_argument, "setting " + std::string(name) + ": '" + std::string(value) +
                                                     "' is not " + std::string(expected));
}

template <class Integer>
Integer parse_integer(std::string_view name, std::string_view value) {
    Integer result{};
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
    if (error != std::errc() || end != value.data() + value.size()) bad_value(name, value, "an integer");
    return result;
}

bool parse_bool(std::string_view name, std::string_view value) {
    std::string low(value);
    std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return std::tolower(c); });
    if (low == "1" || low == "true" || low == "yes" || low == "on") return true;
    if (low == "0" || low == "false" || low == "no" || low == "off") return false;
    bad_value(name, value, "true or false");
}

// One row of the table, from a member pointer: the getter and setter are generated.
template <auto Member>
SettingInfo row(std::string_view name, std::string_view cli_flags, std::string_view env, std::string_view help) {
    using Field = std::remove_cvref_t<decltype(std::declval<ModelConfig>().*Member)>;
    SettingInfo info{name, cli_flags, env, help, SettingType::text, nullptr, nullptr};
    if constexpr (std::is_same_v<Field, std::string>) {
        info.type = SettingType::text;
        info.get = [](const ModelConfig& c) { return c.*Member; };
        info.set = [](ModelConfig& c, std::string_view v) { c.*Member = std::string(v); };
    } else if constexpr (std::is_same_v<Field, bool>) {
        info.type = SettingType::boolean;
        info.get = [](const ModelConfig& c) { return std::string(c.*Member ? "true" : "false"); };
        info.set = [](ModelConfig& c, std::string_view v) { c.*Member = parse_bool("boolean", v); };
    } else {
        info.type = SettingType::integer;
        info.get = [](const ModelConfig& c) { return std::to_string(c.*Member); };
        info.set = [](ModelConfig& c, std::string_view v) { c.*Member = parse_integer<Field>("integer", v); };
    }
    return info;
}

}  // namespace

const std::vector<SettingInfo>& model_settings() {
    static const std::vector<SettingInfo> table = {
        row<&ModelConfig::hugging_face_repo_id>(
            "hugging_face_repo_id", "--hf-repo", "OCRFIX_HF_REPO",
            "Hugging Face repo id (ORG/NAME) or built-in alias (smollm2-135m, gemma3-270m); empty = default"),
        row<&ModelConfig::hugging_face_quantization>(
            "hugging_face_quantization", "--quant", "OCRFIX_QUANT",
            "quantization to pick in the repo: q4_k_m, int8 (Q8_0), fp16 (F16), none (unquantized), ..."),
        row<&ModelConfig::gpu_layers>("gpu_layers", "--ngl,--gpu-layers", "OCRFIX_GPU_LAYERS",
                                      "model layers to offload to the GPU (0 = CPU only)"),
        row<&ModelConfig::context_size>("context_size", "-c,--context-size", "OCRFIX_CONTEXT_SIZE",
                                        "context window in tokens (0 = from the model, at most 4096)"),
        row<&ModelConfig::allow_auto_download>("allow_auto_download", "--allow-download", "OCRFIX_ALLOW_DOWNLOAD",
                                               "download a missing model from HF_ENDPOINT"),
        row<&ModelConfig::directory_model_path>("directory_model_path", "--model-dir", "OCRFIX_MODEL_DIR",
                                                "a folder to search for a GGUF matching the quantization"),
        row<&ModelConfig::file_model_path>("file_model_path", "-m,--model", "OCRFIX_MODEL",
                                           "a GGUF model file; wins over every other way to name a model"),
        row<&ModelConfig::threads>("threads", "-t,--threads", "OCRFIX_THREADS", "CPU threads (0 = one per physical core)"),
        row<&ModelConfig::seed>("seed", "--seed", "OCRFIX_SEED", "random seed (generation is greedy)"),
        row<&ModelConfig::tier>("tier", "--tier", "OCRFIX_TIER",
                                "fast (lexical, no neural model), balanced (+ LM verifier), accurate (+ LLM rewrite)"),
        row<&ModelConfig::language>("language", "-l,--lang", "OCRFIX_LANG",
                                    "language of the text: en, fr, de, ... or auto to detect it"),
        row<&ModelConfig::profile>("profile", "--profile", "OCRFIX_PROFILE",
                                   "transcription conventions: reader (modern typography, hyphens as printed) or "
                                   "hipe (HIPE-OCRepair: ¬ at line-end breaks, broken words joined, ' for ’)"),
        row<&ModelConfig::join_broken_words>("join_broken_words", "--join-broken-words", "OCRFIX_JOIN_BROKEN_WORDS",
                                             "join words broken at a line end (réali-sation, exclu sive), "
                                             "whatever the profile says"),
        row<&ModelConfig::line_end_hyphens>(
            "line_end_hyphens", "--line-end-hyphens", "OCRFIX_LINE_END_HYPHENS",
            "words hyphenated across a line break, over the profile's choice: auto (as the page, - read as ¬ "
            "where the text uses ¬), keep, mark (write ¬), join"),
        row<&ModelConfig::model_readings>("model_readings", "--model-readings", "OCRFIX_MODEL_READINGS",
                                          "let the language model propose readings of unknown words (not in fast)"),
        row<&ModelConfig::ocr_confidences>("ocr_confidences", "--ocr-confidences", "OCRFIX_OCR_CONFIDENCES",
                                           "weigh the OCR's word confidences where the input has them (hOCR, "
                                           "ALTO, PAGE, ocrfix ocr): an unsure word is easier to change"),
        row<&ModelConfig::language_models>("language_models", "--language-models", "OCRFIX_LANGUAGE_MODELS",
                                           "verifier models of their own for some languages, LANG=REPO,... "
                                           "(none = the main model for all)"),
    };
    return table;
}

const SettingInfo* find_setting(std::string_view name) {
    for (const auto& setting : model_settings())
        if (setting.name == name) return &setting;
    return nullptr;
}

void set_setting(ModelConfig& config, std::string_view name, std::string_view value) {
    const SettingInfo* setting = find_setting(name);
    if (!setting) throw Error(ErrorCategory::invalid_argument, "unknown setting '" + std::string(name) + "'");
    try {
        setting->set(config, value);
    } catch (const Error&) {
        bad_value(name, value, setting->type == SettingType::boolean ? "true or false" : "an integer");
    }
}

std::string get_setting(const ModelConfig& config, std::string_view name) {
    const SettingInfo* setting = find_setting(name);
    if (!setting) throw Error(ErrorCategory::invalid_argument, "unknown setting '" + std::string(name) + "'");
    return setting->get(config);
}

ModelConfig apply_environment(ModelConfig base) {
    for (const auto& setting : model_settings())
        if (const char* value = std::getenv(std::string(setting.env).c_str()); value && *value)
            set_setting(base, setting.name, value);
    return base;
}

void validate(const ModelConfig& config) {
    auto fail = [](const std::string& message) { throw Error(ErrorCategory::invalid_argument, message); };
    if (config.gpu_layers < 0) fail("gpu_layers must be 0 or more (0 = CPU only)");
    if (config.context_size < 0) fail("context_size must be 0 (from the model) or a positive number of tokens");
    if (config.threads < 0) fail("threads must be 0 (one per physical core) or more");
    if (config.tier != "fast" && config.tier != "balanced" && config.tier != "accurate")
        fail("tier '" + config.tier + "' is not one of fast, balanced, accurate");
    correct::profile_named(config.profile);  // throws Error(invalid_argument)
    if (!config.line_end_hyphens.empty())
        correct::parse_line_end_hyphens(config.line_end_hyphens);  // throws Error(invalid_argument)
}

}  // namespace ocrfix
