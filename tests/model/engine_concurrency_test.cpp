// One model shared by many contexts (Engine::share(), engine.h): threads that correct at
// the same time get exactly what one thread gets alone. The `tsan-concurrency` preset runs
// this under ThreadSanitizer, `asan-concurrency` under AddressSanitizer.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "model/default_model.h"
#include "ocrfix/engine.h"

namespace {

// English for the main model, German for the language's own verifier (Gemma, loaded on
// first use by whichever thread needs it first), and a text the verifier leaves alone.
const std::vector<std::string> kTexts = {
    "It was a very fine day, and the shlp arrived at tbe port.\n",
    "The Govemment of the colony has decided that the new road will be built.",
    "Die Regierung hat beschlossen, dafs die neue Strafse gebaut wird.",
    "Nothing here needs a correction.",
};

std::vector<ocrfix::CorrectionResult> correct_all(ocrfix::Engine& engine) {
    std::vector<ocrfix::CorrectionResult> results;
    for (const auto& text : kTexts) results.push_back(engine.run_postprocessor(text));
    return results;
}

}  // namespace

TEST(EngineConcurrency, SharedModelCorrectsOnManyThreadsAsOnOne) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    OCRFIX_REQUIRE_LEXICONS();
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    config.threads = 1;  // one inference thread per context: the threads here are the point
    // Each context sees the texts in the same order from a fresh state, so the numbers, not
    // only the decisions, must agree. The reference loads the weights apart, so that the
    // shared Engines below still find German's model unloaded and race to load it.
    ocrfix::Engine reference(config);
    const auto expected = correct_all(reference);
    ocrfix::Engine engine(config);
    std::size_t edits = 0;
    for (const auto& result : expected) edits += result.edits.size();
    ASSERT_GE(edits, 3u) << "the texts must need corrections, or agreeing would prove nothing";

    constexpr int kWorkers = 4;
    std::vector<std::vector<ocrfix::CorrectionResult>> got(kWorkers + 1);
    std::vector<std::thread> threads;
    // Each worker shares the model from its own thread while the others, and the Engine it
    // shares from, are correcting: share() is safe beside run_postprocessor on the source.
    for (int i = 0; i < kWorkers; ++i)
        threads.emplace_back([&engine, &got, i] {
            ocrfix::Engine worker = engine.share();
            got[i] = correct_all(worker);
        });
    got[kWorkers] = correct_all(engine);
    for (auto& thread : threads) thread.join();

    for (int i = 0; i <= kWorkers; ++i) {
        SCOPED_TRACE("context " + std::to_string(i));
        ASSERT_EQ(got[i].size(), expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k) {
            EXPECT_EQ(got[i][k].text, expected[k].text);
            EXPECT_EQ(got[i][k].edits, expected[k].edits);  // offsets, replacements, sources and scores
        }
    }
}
