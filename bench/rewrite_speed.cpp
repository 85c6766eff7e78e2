// Copy-speculative rewriting against naive greedy decoding (issue 27): for every line of a
// text file, the accurate tier's rewrite prompt (correct/rewrite_proposer.h) is decoded both
// ways with the same model, context and threads, and the outputs compared token for token.
// Prints one JSON object; bench/speed.py runs it on dev OCR lines.
//
//     build/bench/rewrite_speed LINES_FILE [--model MODEL.gguf] [--threads N] [--lookahead N] [--show]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "correct/rewrite_proposer.h"
#include "llm/context.h"
#include "llm/cpu_variant.h"
#include "llm/model.h"
#include "ocrfix/model_config.h"
#include "store/model_store.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string lines_path, model_path;
    int threads = 0, lookahead = 16;
    bool show = false;  // each line's rewrite on stderr
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--model") == 0 && i + 1 < argc) model_path = argv[++i];
        else if (std::strcmp(argv[i], "--lookahead") == 0 && i + 1 < argc) lookahead = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--show") == 0) show = true;
        else lines_path = argv[i];
    }
    if (lines_path.empty()) {
        std::fprintf(stderr, "usage: rewrite_speed LINES_FILE [--model MODEL.gguf] [--threads N] [--lookahead N] [--show]\n");
        return 2;
    }
    std::vector<std::string> lines;
    std::ifstream file(lines_path);
    for (std::string line; std::getline(file, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
    if (model_path.empty()) model_path = ocrfix::store::resolve(ocrfix::ModelConfig{}).string();
    auto model = ocrfix::llm::Model::load({model_path, 0});
    // The copy the engine runs on the CPU (llm/cpu_variant.h).
    const std::string copy = ocrfix::llm::cpu_fast_variant(*model, ocrfix::store::ocrfix_home() / "derived");
    if (copy != model->path()) model = ocrfix::llm::Model::load({copy, 0});
    ocrfix::llm::Context context(model, {2048, 512, threads, 1});

    double naive_seconds = 0, copy_seconds = 0;
    long tokens = 0;
    int identical = 0;
    ocrfix::llm::Context::CopyStats stats;
    for (const auto& line : lines) {
        const auto request = ocrfix::correct::rewrite_request(*model, line);
        auto start = std::chrono::steady_clock::now();
        const auto naive = context.generate_greedy(request.prompt, request.budget);
        naive_seconds += seconds_since(start);
        start = std::chrono::steady_clock::now();
        const auto copied = context.generate_copying(request.prompt, request.draft, request.budget, lookahead, &stats);
        copy_seconds += seconds_since(start);
        tokens += static_cast<long>(naive.size());
        identical += naive == copied;
        if (show) std::fprintf(stderr, "%s\n  -> %s\n", line.c_str(), model->detokenize(copied).c_str());
    }
    std::printf("{\"lines\": %zu, \"threads\": %d, \"lookahead\": %d, \"generated_tokens\": %ld, \"identical\": %d, "
                "\"naive_seconds\": %.3f, \"copy_seconds\": %.3f, \"speedup\": %.3f, \"decodes\": %d, "
                "\"drafted\": %d, \"accepted\": %d}\n",
                lines.size(), threads, lookahead, tokens, identical, naive_seconds, copy_seconds,
                copy_seconds > 0 ? naive_seconds / copy_seconds : 0.0, stats.decodes, stats.drafted, stats.accepted);
    return identical == static_cast<int>(lines.size()) ? 0 : 1;
}
