#include "store/model_store.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ocrfix/error.h"

namespace fs = std::filesystem;
using namespace ocrfix::store;

namespace {

// A temporary hub cache, pointed to by HF_HUB_CACHE for the test's duration.
class TempHubCache : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("ocrfix-store-test-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_);
        const char* old = std::getenv("HF_HUB_CACHE");
        saved_ = old ? old : "";
        had_ = old != nullptr;
        setenv("HF_HUB_CACHE", root_.c_str(), 1);
    }
    void TearDown() override {
        if (had_) setenv("HF_HUB_CACHE", saved_.c_str(), 1); else unsetenv("HF_HUB_CACHE");
        fs::remove_all(root_);
    }
    fs::path snapshot(const std::string& repo, const std::vector<std::string>& files) {
        const fs::path repo_dir = repo_cache_dir(repo);
        const fs::path snap = repo_dir / "snapshots" / "0123456789abcdef0123456789abcdef01234567";
        fs::create_directories(snap);
        fs::create_directories(repo_dir / "refs");
        std::ofstream(repo_dir / "refs" / "main") << "0123456789abcdef0123456789abcdef01234567";
        for (const auto& file : files) std::ofstream(snap / file) << "GGUF";
        return snap;
    }
    fs::path root_;
    std::string saved_;
    bool had_ = false;
};

}  // namespace

TEST(ModelStore, QuantizationNamesMapToFileTokens) {
    EXPECT_EQ(quantization_tokens("int8"), std::vector<std::string>{"q8_0"});
    EXPECT_EQ(quantization_tokens("FP16"), std::vector<std::string>{"f16"});
    EXPECT_EQ(quantization_tokens("Q4_K_M"), std::vector<std::string>{"q4_k_m"});
    const std::vector<std::string> files = {"Model-Q4_K_M.gguf", "model-q8_0.gguf", "model-IQ4_K_M.gguf",
                                            "model-f16.gguf", "README.md"};
    EXPECT_EQ(match_quantization(files, "q4_k_m"), std::vector<std::string>{"Model-Q4_K_M.gguf"});
    EXPECT_EQ(match_quantization(files, "int8"), std::vector<std::string>{"model-q8_0.gguf"});
    EXPECT_EQ(match_quantization(files, "none"), std::vector<std::string>{"model-f16.gguf"});
    EXPECT_TRUE(match_quantization(files, "q5_k_m").empty());
}

TEST(ModelStore, SplitModelsCountOnceByTheirFirstPart) {
    const std::vector<std::string> files = {"big-Q4_K_M-00002-of-00003.gguf", "big-Q4_K_M-00001-of-00003.gguf",
                                            "big-Q4_K_M-00003-of-00003.gguf"};
    EXPECT_EQ(match_quantization(files, "q4_k_m"), std::vector<std::string>{"big-Q4_K_M-00001-of-00003.gguf"});
}

TEST_F(TempHubCache, ResolvesARepoInTheHubLayout) {
    const auto snap = snapshot("test-org/tiny-GGUF", {"tiny.Q4_K_M.gguf", "tiny.Q8_0.gguf"});
    ocrfix::ModelConfig config;
    config.hugging_face_repo_id = "test-org/tiny-GGUF";
    config.hugging_face_quantization = "int8";
    EXPECT_EQ(resolve(config), snap / "tiny.Q8_0.gguf");
    config.hugging_face_quantization = "q4_k_m";
    EXPECT_EQ(resolve(config), snap / "tiny.Q4_K_M.gguf");
}

TEST_F(TempHubCache, AmbiguousOrMissingQuantizationListsWhatIsThere) {
    snapshot("test-org/twins-GGUF", {"a-Q4_K_M.gguf", "b-Q4_K_M.gguf"});
    ocrfix::ModelConfig config;
    config.hugging_face_repo_id = "test-org/twins-GGUF";
    try {
        resolve(config);
        FAIL() << "expected an ambiguity error";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::model_not_found);
        EXPECT_NE(std::string(error.what()).find("a-Q4_K_M.gguf, b-Q4_K_M.gguf"), std::string::npos);
    }
}

TEST_F(TempHubCache, MissingRepoSaysHowToGetIt) {
    ocrfix::ModelConfig config;
    config.hugging_face_repo_id = "test-org/absent-GGUF";
    try {
        resolve(config);
        FAIL() << "expected model_not_found";
    } catch (const ocrfix::Error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("test-org/absent-GGUF"), std::string::npos);
        EXPECT_NE(message.find("ocrfix models pull"), std::string::npos);
    }
}

TEST_F(TempHubCache, ExplicitFileAndFolderComeFirst) {
    snapshot("test-org/tiny-GGUF", {"tiny.Q4_K_M.gguf"});
    const fs::path folder = root_ / "local";
    fs::create_directories(folder);
    std::ofstream(folder / "mine.Q4_K_M.gguf") << "GGUF";
    ocrfix::ModelConfig config;
    config.hugging_face_repo_id = "test-org/tiny-GGUF";
    config.directory_model_path = folder.string();
    EXPECT_EQ(resolve(config), folder / "mine.Q4_K_M.gguf");
    config.file_model_path = (folder / "mine.Q4_K_M.gguf").string();
    EXPECT_EQ(resolve(config), folder / "mine.Q4_K_M.gguf");
    config.file_model_path = (folder / "nope.gguf").string();
    EXPECT_THROW(resolve(config), ocrfix::Error);
}

TEST(ModelStore, BuiltinTableMatchesTheSetupScriptPins) {
    // scripts/ocrfix_setup.py installs the built-in models; both sides must name the same files.
    const std::string command = std::string("python3 ") + OCRFIX_SOURCE_DIR + "/scripts/ocrfix_setup.py list";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string listing;
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), buffer.size(), pipe)) listing += buffer.data();
    ASSERT_EQ(pclose(pipe), 0) << listing;
    for (const auto& model : builtin_models()) {
        const std::string expected =
            std::string(model.alias) + ": " + std::string(model.repo_id) + "/" + std::string(model.filename);
        EXPECT_NE(listing.find(expected), std::string::npos) << expected << " not in:\n" << listing;
    }
    // Both tables list the default first: `python -m ocrfix models pull` (no repo) installs
    // ocrfix_setup.py's first model as the one the C++ defaults load.
    const std::size_t first_model = listing.find('\n') + 1;  // after the llama.cpp line
    const std::string default_line = std::string(default_model().alias) + ": ";
    EXPECT_EQ(listing.compare(first_model, default_line.size(), default_line), 0) << listing;
}
