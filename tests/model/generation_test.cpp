// Greedy generation with the default model is deterministic: two runs, two contexts, same output.
#include <gtest/gtest.h>

#include "llm/chat.h"
#include "llm/context.h"
#include "model/default_model.h"

TEST(Generation, GreedyIsReproducible) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    const std::string prompt = ocrfix::llm::apply_chat_template(
        *model, {{"user", "Name three rivers of Europe, one per line."}}, true);
    const auto prompt_tokens = model->tokenize(prompt, true, true);
    std::vector<std::vector<ocrfix::llm::Token>> runs;
    for (int run = 0; run < 2; ++run) {
        ocrfix::llm::Context context(model, {1024, 256, 2, 1});
        runs.push_back(context.generate_greedy(prompt_tokens, 32));
    }
    ASSERT_GE(runs[0].size(), 4u);
    EXPECT_EQ(runs[0], runs[1]);
    EXPECT_FALSE(model->detokenize(runs[0]).empty());
}

TEST(Generation, LogprobsFavourFluentText) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    ocrfix::llm::Context context(model, {512, 128, 2, 4});
    const auto fluent = model->tokenize(" This is a simple text.", false);
    const auto garbled = model->tokenize(" Ths is a smple txt.", false);
    const auto prefix = model->tokenize("\n", true);
    const auto scores = context.continuation_logprobs(prefix, {fluent, garbled});
    EXPECT_GT(scores[0], scores[1] + 5.0);
    // The batched, prefix-shared path agrees with scoring the whole sequence at once.
    std::vector<ocrfix::llm::Token> whole = prefix;
    whole.insert(whole.end(), fluent.begin(), fluent.end());
    const auto per_token = context.token_logprobs(whole);
    double sum = 0;
    for (std::size_t i = prefix.size(); i < whole.size(); ++i) sum += per_token[i];
    EXPECT_NEAR(sum, scores[0], 0.05);
}
