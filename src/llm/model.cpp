#include "llm/model.h"

#include <llama.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <utility>

#include "llm/cpu_variant.h"
#include "ocrfix/error.h"

namespace ocrfix::llm {

namespace {

std::mutex g_log_mutex;
std::string g_last_error;

void log_callback(ggml_log_level level, const char* text, void* /*user*/) {
    static const bool verbose = [] {
        const char* env = std::getenv("OCRFIX_LOG");
        return env && std::strcmp(env, "debug") == 0;
    }();
    if (verbose) std::fputs(text, stderr);
    if (level == GGML_LOG_LEVEL_ERROR) {
        std::lock_guard lock(g_log_mutex);
        g_last_error = text;
        while (!g_last_error.empty() && (g_last_error.back() == '\n' || g_last_error.back() == ' '))
            g_last_error.pop_back();
    }
}

}  // namespace

void ensure_backend() {
    static std::once_flag once;
    std::call_once(once, [] {
        llama_log_set(log_callback, nullptr);
        llama_backend_init();
    });
}

int next_gpu_layers(int layers) noexcept { return layers > 1 ? layers / 2 : 0; }

std::string take_last_llama_error() {
    std::lock_guard lock(g_log_mutex);
    return std::exchange(g_last_error, {});
}

std::shared_ptr<const Model> Model::load(const ModelParams& params) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(params.path, ec))
        throw Error(ErrorCategory::model_not_found,
                    "model file '" + params.path + "' does not exist or is not a file. "
                    "Check the path, or run `make models` to install the built-in models.");
    // llama.cpp reports a bad magic only in its log; check it ourselves for a clear message.
    std::ifstream file(params.path, std::ios::binary);
    if (!file) {
        const int error_number = errno;
        throw Error(ErrorCategory::model_invalid,
                    "cannot read model file '" + params.path + "': " + std::strerror(error_number) +
                        (error_number == EACCES ? ". Give this user read permission (chmod a+r) or copy the file."
                                                : ". Check the file and its folder."));
    }
    char magic[4] = {};
    file.read(magic, 4);
    if (std::memcmp(magic, "GGUF", 4) != 0)
        throw Error(ErrorCategory::model_invalid,
                    "'" + params.path + "' is not a GGUF file (it does not start with the GGUF "
                    "magic). ocrfix loads GGUF models only; convert other formats with "
                    "llama.cpp's convert_hf_to_gguf.py, or download the file again.");
    ensure_backend();
    llama_model_params model_params = llama_model_default_params();
    model_params.n_gpu_layers = params.gpu_layers;
    ggml_backend_dev_t no_devices[] = {nullptr};  // an empty list: no GPU, not even for large batches
    if (params.gpu_layers == 0) model_params.devices = no_devices;
    // Where the CPU backend re-packs the weights into buffers of its own, it reads the file
    // once instead of mapping it: the mapping held a second copy of the weights (a Q8_0
    // SmolLM2-135M: 585 -> 489 MiB peak RSS on 52 kB, the output the same).
    if (params.gpu_layers == 0 && cpu_repacks_weights()) model_params.load_mode = LLAMA_LOAD_MODE_NONE;
    take_last_llama_error();
    llama_model* model = llama_model_load_from_file(params.path.c_str(), model_params);
    if (!model) {
        std::string detail = take_last_llama_error();
        throw Error(ErrorCategory::model_invalid,
                    "llama.cpp could not load '" + params.path + "'" +
                        (params.gpu_layers > 0 ? " with " + std::to_string(params.gpu_layers) + " layers on the GPU"
                                               : std::string()) +
                        (detail.empty() ? std::string() : " (" + detail + ")") +
                        (params.gpu_layers > 0
                             ? ". The GPU may not have the memory for them; fewer layers (--ngl) need less."
                             : ". The file is corrupt or truncated, or its architecture is newer than "
                               "this build of llama.cpp; download it again or pick another GGUF."));
    }
    return std::shared_ptr<const Model>(new Model(model, params.path));
}

Model::Model(llama_model* model, std::string path)
    : model_(model), vocab_(llama_model_get_vocab(model)), path_(std::move(path)) {}

Model::~Model() { llama_model_free(model_); }

std::vector<Token> Model::tokenize(std::string_view text, bool add_special, bool parse_special) const {
    std::vector<Token> tokens(text.size() + 8);
    int32_t count = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                                   static_cast<int32_t>(tokens.size()), add_special, parse_special);
    if (count < 0) {
        if (count == INT32_MIN)
            throw Error(ErrorCategory::invalid_input, "text too long to tokenize (over 2^31 tokens)");
        tokens.resize(static_cast<std::size_t>(-count));
        count = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                               static_cast<int32_t>(tokens.size()), add_special, parse_special);
    }
    tokens.resize(static_cast<std::size_t>(count));
    return tokens;
}

std::string Model::detokenize(const std::vector<Token>& tokens) const {
    std::string text(tokens.size() * 8 + 16, '\0');
    int32_t size = llama_detokenize(vocab_, tokens.data(), static_cast<int32_t>(tokens.size()), text.data(),
                                    static_cast<int32_t>(text.size()), /*remove_special=*/true,
                                    /*unparse_special=*/false);
    if (size < 0) {
        text.resize(static_cast<std::size_t>(-size));
        size = llama_detokenize(vocab_, tokens.data(), static_cast<int32_t>(tokens.size()), text.data(),
                                static_cast<int32_t>(text.size()), true, false);
    }
    text.resize(static_cast<std::size_t>(size));
    return text;
}

std::string Model::token_piece(Token token) const {
    char buffer[256];
    const int32_t size = llama_token_to_piece(vocab_, token, buffer, sizeof buffer, 0, false);
    return size > 0 ? std::string(buffer, static_cast<std::size_t>(size)) : std::string();
}

int Model::vocab_size() const { return llama_vocab_n_tokens(vocab_); }
int Model::trained_context() const { return llama_model_n_ctx_train(model_); }
int Model::layer_count() const { return llama_model_n_layer(model_); }
bool Model::is_end_of_generation(Token token) const { return llama_vocab_is_eog(vocab_, token); }
std::uint64_t Model::size_bytes() const { return llama_model_size(model_); }

std::string Model::chat_template() const {
    const char* tmpl = llama_model_chat_template(model_, nullptr);
    return tmpl ? tmpl : "";
}

std::string Model::description() const {
    char buffer[256];
    const int32_t size = llama_model_desc(model_, buffer, sizeof buffer);
    return size > 0 ? std::string(buffer, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace ocrfix::llm
