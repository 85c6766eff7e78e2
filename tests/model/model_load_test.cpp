// A corrupt, truncated or foreign file must give a clear ocrfix::Error, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <vector>

#include "llm/cpu_variant.h"
#include "llm/model.h"
#include "model/default_model.h"
#include "ocrfix/error.h"

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("ocrfix-model-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

void expect_model_error(const std::string& path, ocrfix::ErrorCategory category, const std::string& needle) {
    try {
        ocrfix::llm::Model::load({path, 0});
        FAIL() << "loading " << path << " should fail";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), category) << error.what();
        EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
}

}  // namespace

TEST(ModelLoad, LoadsTheDefaultModel) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    EXPECT_GT(model->vocab_size(), 1000);
    EXPECT_GT(model->layer_count(), 0);
    EXPECT_FALSE(model->chat_template().empty());
}

TEST(ModelLoad, MissingFile) {
    expect_model_error("/nonexistent/model.gguf", ocrfix::ErrorCategory::model_not_found, "does not exist");
}

TEST(ModelLoad, NotAGgufFile) {
    const auto path = scratch("text.gguf");
    std::ofstream(path) << "this is not a model\n";
    expect_model_error(path.string(), ocrfix::ErrorCategory::model_invalid, "not a GGUF file");
}

TEST(ModelLoad, GgufMagicWithGarbage) {
    const auto path = scratch("garbage.gguf");
    std::ofstream out(path, std::ios::binary);
    out << "GGUF";
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 131 + 7) & 0xff));
    out.close();
    expect_model_error(path.string(), ocrfix::ErrorCategory::model_invalid, "could not load");
}

TEST(ModelLoad, TruncatedRealModel) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    for (const double fraction : {0.5, 0.001}) {
        const auto truncated = scratch("truncated.gguf");
        const auto size = static_cast<std::size_t>(static_cast<double>(fs::file_size(path)) * fraction);
        {
            std::ifstream in(path, std::ios::binary);
            std::ofstream out(truncated, std::ios::binary);
            std::vector<char> buffer(1 << 20);
            std::size_t left = size;
            while (left > 0) {
                const std::size_t n = std::min(left, buffer.size());
                in.read(buffer.data(), static_cast<std::streamsize>(n));
                out.write(buffer.data(), static_cast<std::streamsize>(n));
                left -= n;
            }
        }
        expect_model_error(truncated.string(), ocrfix::ErrorCategory::model_invalid, "truncated");
        fs::remove(truncated);
    }
}

TEST(ModelLoad, CpuCopyReplacesTheCopyOfAnEarlierVersion) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const fs::path source = scratch("smol.Q4_1.gguf");
    const fs::path derived = scratch("derived");
    fs::remove_all(derived);
    fs::copy_file(path, source, fs::copy_options::overwrite_existing);
    auto copies = [&] {
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(derived)) found.push_back(entry.path());
        return found;
    };
    const std::string first = ocrfix::llm::cpu_fast_variant(*ocrfix::llm::Model::load({source.string(), 0}), derived);
    ASSERT_NE(first, source.string()) << "a Q4_1 model gets a CPU copy";
    EXPECT_EQ(copies(), std::vector<fs::path>{fs::path(first)});
    // BF16 where the CPU has AVX512-BF16 (the default model is small) and no AMX, Q8_0 elsewhere.
    const bool bf16 = ocrfix::llm::cpu_copy_type(fs::file_size(source)) == ocrfix::llm::CpuCopy::bf16;
    EXPECT_EQ(fs::path(first).stem().extension().string(), bf16 ? ".bf16" : ".q8_0");
    // A new version of the source (as after a fresh download) gets a new copy; the old one
    // goes, and a file that only looks similar stays.
    const std::string suffix = fs::path(first).stem().extension().string() + ".gguf";  // ".q8_0.gguf", ".bf16.gguf"
    const fs::path look_alike = derived / ("smol.Q4_1.notes" + suffix);
    std::ofstream(look_alike) << "x";
    fs::last_write_time(source, fs::last_write_time(source) + std::chrono::hours(1));
    const std::string second = ocrfix::llm::cpu_fast_variant(*ocrfix::llm::Model::load({source.string(), 0}), derived);
    EXPECT_NE(second, first);
    auto left = copies();
    std::sort(left.begin(), left.end());
    auto expected = std::vector<fs::path>{fs::path(second), look_alike};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(left, expected);
    EXPECT_GT(ocrfix::llm::Model::load({second, 0})->vocab_size(), 1000);
    fs::remove_all(derived);
    fs::remove(source);
}
