// llm::Model: an immutable loaded GGUF model (weights + vocabulary). Thread-safe to share:
// every method is const and llama.cpp's model is read-only after loading; each thread
// makes its own llm::Context for inference.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct llama_model;
struct llama_vocab;

namespace ocrfix::llm {

using Token = std::int32_t;

struct ModelParams {
    std::string path;    // a .gguf file (the first part of a split model)
    int gpu_layers = 0;  // layers to offload; more than the model has means all. 0: the CPU
                         // alone, with no GPU backend at all (llama.cpp would otherwise still
                         // send large batches to a GPU it finds)
};

class Model {
public:
    // Checks the file (exists, GGUF magic, not truncated as far as llama.cpp can tell) and
    // loads it. Throws ocrfix::Error(model_not_found / model_invalid) with the file name.
    static std::shared_ptr<const Model> load(const ModelParams& params);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    // Text to tokens; `add_special` prepends BOS when the model wants one. Special-token
    // text in the input is treated as plain text unless `parse_special`.
    std::vector<Token> tokenize(std::string_view text, bool add_special, bool parse_special = false) const;
    // Tokens to text; special tokens are dropped.
    std::string detokenize(const std::vector<Token>& tokens) const;
    std::string token_piece(Token token) const;

    int vocab_size() const;
    int trained_context() const;
    int layer_count() const;
    bool is_end_of_generation(Token token) const;
    std::string chat_template() const;  // "" when the GGUF carries none
    std::string description() const;   // "llama 135M Q4_1"
    std::uint64_t size_bytes() const;
    const std::string& path() const { return path_; }

    llama_model* raw() const { return model_; }  // for the llm layer only

private:
    Model(llama_model* model, std::string path);
    llama_model* model_;
    const llama_vocab* vocab_;
    std::string path_;
};

// The offload to try after `layers` did not fit in GPU memory: half as many, then 0 (the CPU).
int next_gpu_layers(int layers) noexcept;

// Initialises llama.cpp once per process and routes its log: warnings and errors go to
// stderr when OCRFIX_LOG=debug, otherwise only the last error is kept for our messages.
void ensure_backend();
std::string take_last_llama_error();

}  // namespace ocrfix::llm
