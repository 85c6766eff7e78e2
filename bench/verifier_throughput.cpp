// Throughput of the verifier's model work: tokens scored per second when a whole batch
// needs logits, for the model as installed and for the copy ocrfix runs on the CPU
// (llm/cpu_variant.h), in the same run. Prints one JSON object.
//
//     build/bench/verifier_throughput [MODEL.gguf] [--threads N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "llm/context.h"
#include "llm/cpu_variant.h"
#include "llm/model.h"
#include "ocrfix/model_config.h"
#include "store/model_store.h"

namespace {

double tokens_per_second(const std::shared_ptr<const ocrfix::llm::Model>& model, int batch, int threads) {
    ocrfix::llm::Context context(model, {2048, batch, threads, 1});
    std::vector<ocrfix::llm::Token> tokens(static_cast<std::size_t>(batch));
    for (int i = 0; i < batch; ++i) tokens[static_cast<std::size_t>(i)] = 200 + i;
    context.token_logprobs(tokens);  // warm-up
    const int rounds = std::max(2, 2048 / batch);
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round) context.token_logprobs(tokens);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return rounds * batch / seconds;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path;
    int threads = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::atoi(argv[++i]);
        else path = argv[i];
    }
    if (path.empty()) path = ocrfix::store::resolve(ocrfix::ModelConfig{}).string();
    const auto original = ocrfix::llm::Model::load({path, 0});
    const std::string fast_path = ocrfix::llm::cpu_fast_variant(*original, ocrfix::store::ocrfix_home() / "derived");
    const auto fast = fast_path == path ? original : ocrfix::llm::Model::load({fast_path, 0});
    std::printf("{\"model\": \"%s\", \"cpu_copy\": \"%s\", \"threads\": %d, \"results\": [", path.c_str(),
                fast_path.c_str(), threads);
    const char* separator = "";
    for (const int batch : {32, 128, 512}) {
        const double baseline = tokens_per_second(original, batch, threads);
        const double candidate = tokens_per_second(fast, batch, threads);
        std::printf("%s\n  {\"batch\": %d, \"installed_tok_s\": %.1f, \"cpu_copy_tok_s\": %.1f, \"ratio\": %.2f}",
                    separator, batch, baseline, candidate, candidate / baseline);
        separator = ",";
    }
    std::printf("\n]}\n");
}
