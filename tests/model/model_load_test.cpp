// A corrupt, truncated or foreign file must give a clear ocrfix::Error, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
