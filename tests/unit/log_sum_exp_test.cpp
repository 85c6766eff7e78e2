// llm::log_sum_exp, the verifier's normaliser over the vocabulary, against a plain
// double-precision sum.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "llm/context.h"

namespace {

double exact(const std::vector<float>& logits) {
    double max_logit = logits[0];
    for (const float x : logits) max_logit = std::max(max_logit, static_cast<double>(x));
    double sum = 0.0;
    for (const float x : logits) sum += std::exp(static_cast<double>(x) - max_logit);
    return max_logit + std::log(sum);
}

TEST(LogSumExp, MatchesTheExactSumAtEverySize) {
    std::mt19937 random(7);
    std::normal_distribution<float> logit(0.0f, 4.0f);
    // Sizes below, at and off the vector width, and a vocabulary's.
    for (const int size : {1, 2, 15, 16, 17, 33, 1000, 49152}) {
        std::vector<float> logits(static_cast<std::size_t>(size));
        for (auto& x : logits) x = logit(random);
        EXPECT_NEAR(ocrfix::llm::log_sum_exp(logits.data(), size), exact(logits), 1e-4) << "size " << size;
    }
}

TEST(LogSumExp, HandlesOneDominantLogitAndVeryUnlikelyTokens) {
    std::vector<float> logits(49157, -3.0f);
    logits[12345] = 60.0f;   // the prediction the model is sure of
    logits[17] = -1.0e4f;    // tokens it rules out entirely
    logits[49156] = -1.0e4f; // in the tail past the last whole vector
    EXPECT_NEAR(ocrfix::llm::log_sum_exp(logits.data(), static_cast<int>(logits.size())), exact(logits), 1e-4);
    // log softmax of the sure token is almost 0; of a ruled-out one, about -1e4.
    EXPECT_NEAR(ocrfix::llm::log_softmax_at(logits.data(), static_cast<int>(logits.size()), 12345), 0.0, 1e-4);
    EXPECT_NEAR(ocrfix::llm::log_softmax_at(logits.data(), static_cast<int>(logits.size()), 17), -1.006e4, 1.0);
}

TEST(LogSumExp, EqualLogitsGiveTheLogOfTheirCount) {
    const std::vector<float> logits(1024, 2.5f);
    EXPECT_NEAR(ocrfix::llm::log_sum_exp(logits.data(), 1024), 2.5 + std::log(1024.0), 1e-5);
}

}  // namespace
