// The verifier's log-sum-exp over a vocabulary (llm::log_sum_exp, run once per scored
// token) against the plain loop it replaced (std::max_element, then std::exp summed in
// float), in the same run, on random logits of SmolLM2's vocabulary size. Prints one JSON
// object.
//
//     build/bench/log_sum_exp [--rows N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "llm/context.h"

namespace {

constexpr int kVocabulary = 49152;

double plain_loop(const float* logits, int size) {
    const float max_logit = *std::max_element(logits, logits + size);
    float sum = 0.0f;
    for (int i = 0; i < size; ++i) sum += std::exp(logits[i] - max_logit);
    return static_cast<double>(max_logit) + std::log(static_cast<double>(sum));
}

double exact(const float* logits, int size) {
    const double max_logit = *std::max_element(logits, logits + size);
    double sum = 0.0;
    for (int i = 0; i < size; ++i) sum += std::exp(static_cast<double>(logits[i]) - max_logit);
    return max_logit + std::log(sum);
}

struct Timing {
    double microseconds_per_row = 0.0;
    double max_error = 0.0;  // nats, against the double-precision sum
};

template <typename F>
Timing measure(F function, const std::vector<std::vector<float>>& rows, int repeats) {
    Timing timing;
    for (const auto& row : rows)
        timing.max_error = std::max(timing.max_error, std::fabs(function(row.data(), kVocabulary) - exact(row.data(), kVocabulary)));
    double sink = 0.0;
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeats; ++r)
        for (const auto& row : rows) sink += function(row.data(), kVocabulary);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    timing.microseconds_per_row = seconds * 1e6 / (static_cast<double>(repeats) * static_cast<double>(rows.size()));
    if (sink == 1.0) std::fprintf(stderr, " ");  // keeps the calls from being optimised away
    return timing;
}

}  // namespace

int main(int argc, char** argv) {
    int rows_count = 64;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--rows") == 0) rows_count = std::max(1, std::atoi(argv[++i]));
    // Logits shaped like a language model's: most near the bottom, one clear favourite.
    std::mt19937 random(1);
    std::normal_distribution<float> logit(0.0f, 3.0f);
    std::vector<std::vector<float>> rows(static_cast<std::size_t>(rows_count), std::vector<float>(kVocabulary));
    for (auto& row : rows) {
        for (auto& x : row) x = logit(random);
        row[random() % kVocabulary] += 20.0f;
    }
    const int repeats = 10;
    const Timing baseline = measure(plain_loop, rows, repeats);
    const Timing library = measure(ocrfix::llm::log_sum_exp, rows, repeats);
    std::printf("{\"vocabulary\": %d, \"rows\": %d, \"repeats\": %d,\n"
                " \"plain_loop\": {\"us_per_row\": %.1f, \"max_error\": %.2e},\n"
                " \"log_sum_exp\": {\"us_per_row\": %.1f, \"max_error\": %.2e},\n"
                " \"speedup\": %.2f}\n",
                kVocabulary, rows_count, repeats, baseline.microseconds_per_row, baseline.max_error,
                library.microseconds_per_row, library.max_error,
                baseline.microseconds_per_row / library.microseconds_per_row);
}
