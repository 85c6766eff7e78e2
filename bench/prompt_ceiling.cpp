// The physical ceiling of any corrector that reads every token of a text once with a model:
// llama.cpp's prompt processing of the text, with logits for every token (as a verifier
// needs them), on the model and CPU copy ocrfix would run and the same threads. Prints one
// JSON object; bench/speed.py divides the balanced tier's chars/s by this one's.
//
//     build/bench/prompt_ceiling TEXT_FILE [--model MODEL.gguf] [--threads N] [--gpu-layers N] [--chunk TOKENS]
//
// --chunk: tokens per llama_decode (default 512). Smaller chunks show what a decode of a short
// text costs per token: whether batching many short texts into one decode could pay.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "llm/context.h"
#include "llm/cpu_variant.h"
#include "llm/model.h"
#include "ocrfix/model_config.h"
#include "store/model_store.h"
#include "text/utf8.h"

int main(int argc, char** argv) {
    std::string text_path, model_path;
    int threads = 0;
    int gpu_layers = 0;  // 0: the CPU, from the copy the engine runs there
    int chunk = 512;     // one llama_decode, as the verifier's batches
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--model") == 0 && i + 1 < argc) model_path = argv[++i];
        else if (std::strcmp(argv[i], "--gpu-layers") == 0 && i + 1 < argc) gpu_layers = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--chunk") == 0 && i + 1 < argc) chunk = std::atoi(argv[++i]);
        else text_path = argv[i];
    }
    if (text_path.empty() || chunk < 1 || chunk > 512) {
        std::fprintf(stderr, "usage: prompt_ceiling TEXT_FILE [--model MODEL.gguf] [--threads N] [--gpu-layers N] [--chunk 1-512]\n");
        return 2;
    }
    std::ifstream file(text_path, std::ios::binary);
    const std::string text(std::istreambuf_iterator<char>(file), {});
    if (model_path.empty()) model_path = ocrfix::store::resolve(ocrfix::ModelConfig{}).string();
    auto model = ocrfix::llm::Model::load({model_path, gpu_layers});
    // The copy the engine runs on the CPU (llm/cpu_variant.h), made once in ocrfix's cache.
    if (gpu_layers == 0) {
        const std::string copy = ocrfix::llm::cpu_fast_variant(*model, ocrfix::store::ocrfix_home() / "derived");
        if (copy != model->path()) model = ocrfix::llm::Model::load({copy, 0});
    }

    const std::vector<ocrfix::llm::Token> tokens = model->tokenize(text, false);
    ocrfix::llm::Context context(model, {2048, 512, threads, 1});
    std::vector<ocrfix::llm::Token> warm(tokens.begin(), tokens.begin() + std::min<std::size_t>(tokens.size(), 64));
    context.token_logprobs(warm);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t begin = 0; begin < tokens.size(); begin += static_cast<std::size_t>(chunk)) {
        const std::size_t end = std::min(tokens.size(), begin + static_cast<std::size_t>(chunk));
        context.token_logprobs(std::vector<ocrfix::llm::Token>(tokens.begin() + static_cast<std::ptrdiff_t>(begin),
                                                               tokens.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t characters = ocrfix::text::count_code_points(text);
    std::printf("{\"model\": \"%s\", \"threads\": %d, \"gpu_layers\": %d, \"chunk\": %d, \"characters\": %zu, \"tokens\": %zu, \"seconds\": %.3f, "
                "\"tokens_per_second\": %.1f, \"chars_per_second\": %.1f}\n",
                model->path().c_str(), threads, gpu_layers, chunk, characters, tokens.size(), seconds,
                static_cast<double>(tokens.size()) / seconds, static_cast<double>(characters) / seconds);
}
