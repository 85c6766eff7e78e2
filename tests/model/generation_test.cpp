// Greedy generation with the default model: deterministic, and copy-speculative decoding gives the same output.
#include <gtest/gtest.h>

#include "correct/rewrite_proposer.h"
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

TEST(Generation, AlternativesAgreeWithWholeSequenceScores) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    ocrfix::llm::Context context(model, {1024, 256, 2, 4});
    const auto prefix = model->tokenize("\nIt was a fine day and", false);
    const auto garbled = model->tokenize(" tbe shlp sailed.", false);
    const auto fluent = model->tokenize(" the ship sailed.", false);
    std::vector<ocrfix::llm::Token> stream = prefix;
    stream.insert(stream.end(), garbled.begin(), garbled.end());
    const int p = static_cast<int>(prefix.size());
    const int n = static_cast<int>(stream.size());
    const auto gains = context.score_alternatives(stream, {{p, fluent, p, n}, {p, garbled, p, n}});
    EXPECT_GT(gains[0], 5.0);              // the fluent reading is far likelier
    EXPECT_NEAR(gains[1], 0.0, 0.05);      // the stream itself scores as itself
    // The shared-prefix path agrees with scoring each whole sequence from scratch.
    std::vector<ocrfix::llm::Token> fixed = prefix;
    fixed.insert(fixed.end(), fluent.begin(), fluent.end());
    const auto a = context.token_logprobs(fixed), b = context.token_logprobs(stream);
    double expected = 0;
    for (std::size_t i = prefix.size(); i < fixed.size(); ++i) expected += a[i];
    for (std::size_t i = prefix.size(); i < stream.size(); ++i) expected -= b[i];
    EXPECT_NEAR(gains[0], expected, 0.05);
}

// Copy-speculative decoding on short rewrites (where the near ties that part long ones from
// greedy do not come up here) gives greedy decoding's output token for token, in fewer decodes.
TEST(Generation, CopyingDecodesAsGreedyWithFewerDecodes) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    ocrfix::llm::Context context(model, {1024, 256, 2, 1});
    int decodes = 0, generated = 0, accepted = 0;
    for (const char* line : {"Ths is a smple txt.", "It was a very fine day, and the ship arrived at the port.",
                             "The Govemment has announced tbe new rules for the harbour."}) {
        const auto request = ocrfix::correct::rewrite_request(*model, line);
        const auto greedy = context.generate_greedy(request.prompt, request.budget);
        ocrfix::llm::Context::CopyStats stats;
        const auto copied = context.generate_copying(request.prompt, request.draft, request.budget, 16, &stats);
        EXPECT_EQ(copied, greedy) << line;
        decodes += stats.decodes;
        accepted += stats.accepted;
        generated += static_cast<int>(greedy.size());
    }
    EXPECT_GT(accepted, 0);
    EXPECT_LT(decodes, generated);  // greedy decodes once per token
    // A draft that is not in the output at all changes nothing either.
    const auto request = ocrfix::correct::rewrite_request(*model, "Ths is a smple txt.");
    EXPECT_EQ(context.generate_copying(request.prompt, model->tokenize(" zebra quantum", false), request.budget),
              context.generate_greedy(request.prompt, request.budget));
}
