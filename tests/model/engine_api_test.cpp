// The Engine's public API beyond correction itself: lists of texts, custom post-processors,
// local models, automatic download, move-only ownership.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <type_traits>

#include "hub_server/loopback_hub.h"
#include "model/default_model.h"
#include "ocrfix/ocrfix.h"
#include "store/model_store.h"

namespace {

ocrfix::ModelConfig cpu_default() {
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    return config;
}

// Upper-cases every text, and records what the built-in correction says from inside.
class UpperCase : public ocrfix::PostProcessor {
public:
    std::vector<ocrfix::CorrectionResult> process(ocrfix::Engine& engine,
                                                  const std::vector<std::string>& texts) override {
        std::vector<ocrfix::CorrectionResult> results;
        for (const auto& text : texts) {
            inner = engine.run_postprocessor(text).text;  // the built-in, not this processor again
            std::string upper = text;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char c) { return std::toupper(c); });
            results.push_back({upper, {}});
        }
        return results;
    }
    std::string inner;
};

class DropsResults : public ocrfix::PostProcessor {
public:
    std::vector<ocrfix::CorrectionResult> process(ocrfix::Engine&, const std::vector<std::string>&) override {
        return {};
    }
};

}  // namespace

static_assert(!std::is_copy_constructible_v<ocrfix::Engine> && !std::is_copy_assignable_v<ocrfix::Engine>);
static_assert(std::is_nothrow_move_constructible_v<ocrfix::Engine> &&
              std::is_nothrow_move_assignable_v<ocrfix::Engine>);

TEST(EngineApi, ListOfTextsGivesOneResultPerText) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::Engine engine(cpu_default());
    const std::vector<std::string> texts = {"Ths txt.", "", "lne\n"};
    const auto results = engine.run_postprocessor(texts);
    ASSERT_EQ(results.size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        EXPECT_EQ(results[i].text, ocrfix::apply_edits(texts[i], results[i].edits));
        const auto single = engine.run_postprocessor(texts[i]);
        EXPECT_EQ(results[i].text, single.text);
        EXPECT_EQ(results[i].edits, single.edits);
    }
    EXPECT_THROW(engine.run_postprocessor(std::vector<std::string>{"ok", "bad \xff"}), ocrfix::Error);
}

TEST(EngineApi, CustomPostProcessorRunsAndStaysTraceable) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::Engine engine;
    auto upper = std::make_shared<UpperCase>();
    engine.set_post_processor(upper, cpu_default());  // with a config it also loads the model
    ASSERT_TRUE(engine.is_initialized());
    const auto result = engine.run_postprocessor("tbe end");
    EXPECT_EQ(result.text, "TBE END");
    ASSERT_EQ(result.edits.size(), 1u);
    EXPECT_EQ(result.edits[0].source, "post_processor");
    EXPECT_EQ(ocrfix::apply_edits("tbe end", result.edits), "TBE END");
    EXPECT_EQ(upper->inner, engine.run_postprocessor("tbe end", ocrfix::RunOptions{}).text);
    EXPECT_EQ(engine.run_postprocessor(std::vector<std::string>{"a", "b"})[1].text, "B");

    engine.set_post_processor(std::make_shared<DropsResults>());
    try {
        engine.run_postprocessor("text");
        FAIL() << "a processor that drops results must be refused";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::runtime);
    }
    engine.set_post_processor(nullptr);  // back to the built-in correction
    EXPECT_EQ(engine.run_postprocessor("tbe end").text,
              engine.run_postprocessor("tbe end", ocrfix::RunOptions{}).text);
}

TEST(EngineApi, LocalModelsAndLocalPath) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::Engine engine;
    EXPECT_EQ(engine.get_local_path(), ocrfix::store::hub_cache_dir().string());
    const auto models = engine.list_local();
    const auto found = std::find_if(models.begin(), models.end(), [&](const ocrfix::LocalModel& model) {
        return model.repo_id == ocrfix::store::default_model().repo_id;
    });
    ASSERT_NE(found, models.end());
    EXPECT_EQ(found->filename, ocrfix::store::default_model().filename);
    EXPECT_GT(found->size_bytes, 1000000u);

    // A folder of GGUF files comes first in the listing and is the local path.
    const auto folder =
        std::filesystem::temp_directory_path() / ("ocrfix-local-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    std::filesystem::create_symlink(path, folder / "mine.Q4_1.gguf");
    auto config = cpu_default();
    config.directory_model_path = folder.string();
    config.hugging_face_quantization = "q4_1";
    engine.initialize(config);
    EXPECT_EQ(engine.model_path(), (folder / "mine.Q4_1.gguf").string());
    EXPECT_EQ(engine.get_local_path(), folder.string());
    EXPECT_EQ(engine.list_local().front().filename, "mine.Q4_1.gguf");
    EXPECT_EQ(engine.list_local().front().repo_id, "");
    engine.free_resources();
    std::filesystem::remove_all(folder);
}

TEST(EngineApi, MoveTransfersTheModel) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::Engine first(cpu_default());
    ocrfix::Engine second(std::move(first));
    EXPECT_TRUE(second.is_initialized());
    EXPECT_FALSE(first.is_initialized());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
    ocrfix::Engine third;
    third = std::move(second);
    EXPECT_TRUE(third.is_initialized());
    EXPECT_EQ(third.run_postprocessor("").text, "");
}


// RunOptions::should_stop: a run stops soon after it says so (here inside the first model
// call, which asks it between llama.cpp's operations), throws a runtime error that says it
// was stopped, and leaves the Engine as good as before.
TEST(EngineApi, ShouldStopStopsTheRunAndKeepsTheEngine) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::ModelConfig config = cpu_default();
    config.threads = 1;
    ocrfix::Engine engine(config);
    std::string text;
    for (int i = 0; i < 20; ++i) text += "It was a very fine day, and the shlp arrived at tbe port in the rnorning.\n";
    const auto expected = engine.run_postprocessor(text, ocrfix::RunOptions{});

    std::atomic<int> asked{0};
    ocrfix::RunOptions stopping;
    stopping.should_stop = [&asked] { return ++asked > 20; };
    try {
        engine.run_postprocessor(text, stopping);
        FAIL() << "the run went on after should_stop returned true";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::runtime);
        EXPECT_NE(std::string(error.what()).find("stopped"), std::string::npos) << error.what();
    }
    EXPECT_LE(asked.load(), 22) << "the run went on asking after it was told to stop";

    stopping.should_stop = [] { return true; };
    EXPECT_THROW(engine.run_postprocessor("Ths is a smple txt.", stopping), ocrfix::Error);

    const auto again = engine.run_postprocessor(text, ocrfix::RunOptions{});
    EXPECT_EQ(again.text, expected.text);
    EXPECT_EQ(again.edits, expected.edits);
}
// allow_auto_download: a model missing from the cache is fetched from HF_ENDPOINT (here a
// loopback hub serving the real default model's bytes under a test repo id) and loaded.
class AutoDownload : public ocrfix::testing::LoopbackHub {
protected:
    void SetUp() override {
        model_ = ocrfix::testing::default_model_path();  // from the user's cache, before it is swapped
        LoopbackHub::SetUp();
    }
    std::string model_;
};

TEST_F(AutoDownload, InitializeDownloadsAMissingModelWhenAllowed) {
    const std::string model = model_;
    if (model.empty()) {
        if (ocrfix::testing::running_in_ci()) FAIL() << "default model missing in CI: run `make models`";
        GTEST_SKIP() << "SKIPPED: the default model is not installed; run `make models` to test with it";
    }
    start(one_repo("ocrfix-test/smol-GGUF", {{"smol.Q4_1.gguf", {{"path", model}}}}));
    auto config = cpu_default();
    config.hugging_face_repo_id = "ocrfix-test/smol-GGUF";
    config.hugging_face_quantization = "q4_1";
    config.allow_auto_download = false;
    ocrfix::Engine engine;
    try {
        engine.initialize(config);
        FAIL() << "without allow_auto_download nothing may be downloaded";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::model_not_found);
        EXPECT_NE(std::string(error.what()).find("ocrfix-test/smol-GGUF"), std::string::npos);
    }
    EXPECT_EQ(count_requests("GET", "/"), 1);  // only our own /_test/requests

    config.allow_auto_download = true;
    engine.initialize(config);
    ASSERT_TRUE(engine.is_initialized());
    EXPECT_NE(engine.model_path().find("models--ocrfix-test--smol-GGUF"), std::string::npos);
    EXPECT_EQ(std::filesystem::file_size(engine.model_path()), std::filesystem::file_size(model));
    EXPECT_EQ(engine.run_postprocessor("").text, "");
}

// RunOptions::confidences: per byte of the text. The candidate log carries them; a text the
// OCR was sure of gets no more edits than the same text doubted; a wrong length is refused;
// ModelConfig::ocr_confidences switches them off.
TEST(EngineApi, OcrConfidencesReachTheDecision) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::ModelConfig config = cpu_default();
    config.language = "en";
    ocrfix::Engine engine(config);
    const std::string text = "Ths is a smple txt. The Govemment has announced tbe new rules.";
    auto run_with = [&](double confidence, std::string* log = nullptr) {
        ocrfix::RunOptions options;
        options.confidences.assign(text.size(), confidence);
        if (log) options.candidate_log = [log](const std::string& line) { *log = line; };
        return engine.run_postprocessor(text, options);
    };
    std::string log;
    const auto doubted = run_with(0.2, &log);
    // each candidate row ends with its confidence and the quiet flag
    EXPECT_TRUE(log.find(",0.2,false]") != std::string::npos || log.find(",0.2,true]") != std::string::npos) << log;
    const auto sure = run_with(1.0);
    EXPECT_GE(doubted.edits.size(), sure.edits.size());
    EXPECT_GE(doubted.edits.size(), 3u);  // Ths, smple, Govemment, tbe: misreadings the OCR doubted
    ocrfix::RunOptions wrong;
    wrong.confidences.assign(text.size() - 1, 0.5);
    try {
        engine.run_postprocessor(text, wrong);
        FAIL() << "a confidence list of the wrong length was accepted";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::invalid_argument);
    }
    config.ocr_confidences = false;
    ocrfix::Engine off(config);
    ocrfix::RunOptions sure_options;
    sure_options.confidences.assign(text.size(), 1.0);
    EXPECT_EQ(off.run_postprocessor(text, sure_options).text, off.run_postprocessor(text, ocrfix::RunOptions{}).text);
}
