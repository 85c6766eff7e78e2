// Throughput of the verifier's model work: tokens scored per second when a whole batch
// needs logits, for the model as installed (the baseline) and for each copy ocrfix can run
// on the CPU (llm/cpu_variant.h: Q8_0, BF16), in the same run. Prints one JSON object;
// "cpu_copy" names the copy ocrfix picks on this CPU.
//
//     build/bench/verifier_throughput [MODEL.gguf] [--threads N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
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
    // The copies go to a scratch folder: making one removes the other from the cache.
    const auto scratch = std::filesystem::temp_directory_path() / "ocrfix-bench-copies";
    auto copy = [&](ocrfix::llm::CpuCopy type) {
        const std::string copy_path = ocrfix::llm::cpu_copy(*original, scratch, type);
        return copy_path == path ? original : ocrfix::llm::Model::load({copy_path, 0});
    };
    const auto q8_0 = copy(ocrfix::llm::CpuCopy::q8_0);
    const auto bf16 = copy(ocrfix::llm::CpuCopy::bf16);
    const bool picks_bf16 = ocrfix::llm::cpu_copy_type(std::filesystem::file_size(path)) == ocrfix::llm::CpuCopy::bf16;
    std::printf("{\"model\": \"%s\", \"cpu_copy\": \"%s\", \"threads\": %d, \"results\": [", path.c_str(),
                picks_bf16 ? "bf16" : "q8_0", threads);
    const char* separator = "";
    for (const int batch : {32, 128, 512}) {
        const double baseline = tokens_per_second(original, batch, threads);
        const double q8_0_speed = tokens_per_second(q8_0, batch, threads);
        const double bf16_speed = tokens_per_second(bf16, batch, threads);
        std::printf("%s\n  {\"batch\": %d, \"installed_tok_s\": %.1f, \"q8_0_tok_s\": %.1f, \"bf16_tok_s\": %.1f, "
                    "\"q8_0_ratio\": %.2f, \"bf16_ratio\": %.2f}",
                    separator, batch, baseline, q8_0_speed, bf16_speed, q8_0_speed / baseline, bf16_speed / baseline);
        separator = ",";
    }
    std::printf("\n]}\n");
    std::filesystem::remove_all(scratch);
}
