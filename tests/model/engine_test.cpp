// The Engine end to end on the real default model.
#include "ocrfix/engine.h"

#include <gtest/gtest.h>

#include "model/default_model.h"
#include "ocrfix/error.h"
#include "store/model_store.h"

TEST(Engine, OutputIsInputPlusAcceptedEdits) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    ocrfix::Engine engine(config);
    ASSERT_TRUE(engine.is_initialized());
    const std::string input = "It was a very fine day, and the shlp arrived at tbe port.\r\n\nSecond  line\n";
    const auto result = engine.run_postprocessor(input);
    EXPECT_EQ(result.text, ocrfix::apply_edits(input, result.edits));
    EXPECT_EQ(std::count(result.text.begin(), result.text.end(), '\n'), 3);
    for (const auto& edit : result.edits) {
        EXPECT_FALSE(edit.source.empty());
        EXPECT_GT(edit.score, 0.0);
    }
}

TEST(Engine, EveryProfileGivesInputPlusAcceptedEditsAndKeepsTheRest) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const std::string input =
        "The Govemment of the colony don’t decide: the adver-\ntisement was printed in tbe exclu sive paper ,\n"
        "the reali-sation of the shlp’s plan.\n";
    for (const auto& profile : {"reader", "hipe"}) {
        SCOPED_TRACE(profile);
        ocrfix::ModelConfig config;
        config.gpu_layers = 0;
        config.language = "en";
        config.profile = profile;
        ocrfix::Engine engine(config);
        const auto result = engine.run_postprocessor(input);
        EXPECT_EQ(result.text, ocrfix::apply_edits(input, result.edits));
        // Outside the edits, the input byte for byte, in order.
        std::size_t in = 0, out = 0;
        for (const auto& edit : result.edits) {
            ASSERT_LE(in, edit.begin);
            EXPECT_EQ(result.text.substr(out, edit.begin - in), input.substr(in, edit.begin - in));
            out += edit.begin - in;
            EXPECT_EQ(result.text.substr(out, edit.replacement.size()), edit.replacement);
            out += edit.replacement.size();
            in = edit.end;
        }
        EXPECT_EQ(result.text.substr(out), input.substr(in));
        for (const auto& edit : result.edits) EXPECT_FALSE(edit.source.empty());
        const bool hipe = std::string(profile) == "hipe";
        SCOPED_TRACE(result.text);
        EXPECT_EQ(result.text.find("adver¬\n") != std::string::npos, hipe);
        EXPECT_EQ(result.text.find("don't") != std::string::npos, hipe);
        EXPECT_EQ(result.text.find("don’t") != std::string::npos, !hipe);
        EXPECT_EQ(result.text.find("realisation") != std::string::npos, hipe);  // a mid-line break joined
    }
}

TEST(Engine, ALanguageWithAVerifierOfItsOwnUsesIt) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::ModelConfig gemma;
    gemma.hugging_face_repo_id = "gemma3-270m";
    if (!ocrfix::store::find_local(gemma)) {
        if (ocrfix::testing::running_in_ci()) FAIL() << "gemma3-270m missing in CI: run `make models`";
        GTEST_SKIP() << "SKIPPED: gemma3-270m is not installed; run `make models` to test with it";
    }
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    config.language_models = "de=gemma3-270m";
    ocrfix::Engine engine(config);
    const std::string german = "Die Regierung hat beschlossen, dafs die neue Strafse gebaut wird.";
    const std::string english = "The Govemment has decided that the new road will be built.";
    for (const auto& text : {german, english}) {
        const auto result = engine.run_postprocessor(text);
        EXPECT_EQ(result.text, ocrfix::apply_edits(text, result.edits));
        EXPECT_FALSE(result.edits.empty()) << text;
    }
    // An Engine made with share() verifies German with the same weights, in a context of its own.
    ocrfix::Engine worker = engine.share();
    EXPECT_EQ(worker.run_postprocessor(german).text, engine.run_postprocessor(german).text);
    config.language_models = "de";
    EXPECT_THROW(ocrfix::Engine{config}, ocrfix::Error);
    config.language_models = "none";
    EXPECT_EQ(ocrfix::Engine(config).run_postprocessor(german).text.find("dafs"), std::string::npos);
    config.language_models = "de=no-such/model";
    config.allow_auto_download = false;
    ocrfix::Engine lazy(config);  // the language's model loads on first use, and says what is missing
    EXPECT_THROW(lazy.run_postprocessor(german), ocrfix::Error);
    EXPECT_EQ(lazy.run_postprocessor(english).text, "The Government has decided that the new road will be built.");
}

TEST(Engine, RejectsInvalidUtf8AndNeedsAModel) {
    ocrfix::Engine empty;
    EXPECT_FALSE(empty.is_initialized());
    EXPECT_THROW(empty.run_postprocessor("text"), ocrfix::Error);
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::Engine engine(ocrfix::ModelConfig{});
    try {
        engine.run_postprocessor("bad \xff byte");
        FAIL();
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::invalid_input);
    }
    EXPECT_EQ(engine.run_postprocessor("").text, "");
    engine.free_resources();
    EXPECT_FALSE(engine.is_initialized());
}

TEST(Engine, LineEndHyphenSettingReachesTheOutput) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    config.language = "en";
    const std::string input = "The adver-\ntisement was printed in the morning paper.\n";
    auto corrected = [&](const char* convention) {
        config.line_end_hyphens = convention;
        ocrfix::Engine engine(config);
        const auto result = engine.run_postprocessor(input);
        EXPECT_EQ(result.text, ocrfix::apply_edits(input, result.edits));
        return result.text;
    };
    EXPECT_EQ(corrected("auto"), input);  // the text marks no break with ¬: the page's hyphen stays
    EXPECT_EQ(corrected("mark"), "The adver¬\ntisement was printed in the morning paper.\n");
    EXPECT_EQ(corrected("join"), "The advertisement was printed in the morning paper.\n");
    config.line_end_hyphens = "hipe";  // a profile, not a convention
    EXPECT_THROW(ocrfix::Engine{config}, ocrfix::Error);
    config.line_end_hyphens = "";
    config.profile = "hipe";
    EXPECT_EQ(corrected(""), "The adver¬\ntisement was printed in the morning paper.\n");  // the profile's
    EXPECT_EQ(corrected("keep"), input);  // an explicit convention wins over the profile's
    config.profile = "typewriter";
    EXPECT_THROW(ocrfix::Engine{config}, ocrfix::Error);
}
