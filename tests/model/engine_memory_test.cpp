// free_resources() gives the model's memory back to the system: resident set size (VmRSS
// of /proc/self/status) is measured before initialize, after it, and after free_resources.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "model/default_model.h"
#include "ocrfix/ocrfix.h"

namespace {

double rss_mb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
    return -1;
}

}  // namespace

TEST(EngineMemory, FreeResourcesReturnsTheModelsMemory) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    const double model_mb = std::filesystem::file_size(path) / 1e6 / 1.048576;
    {
        // Warm up once: llama.cpp's backend registry and our statics are allocated for the
        // life of the process, and must not count as a leak of the first model.
        ocrfix::Engine warm(config);
        warm.run_postprocessor("Warm.");
    }
    const double before = rss_mb();
    ocrfix::Engine engine(config);
    engine.run_postprocessor("Ths txt.");
    const double loaded = rss_mb();
    engine.free_resources();
    const double freed = rss_mb();
    for (int round = 0; round < 2; ++round) {  // load and free again: no growth per cycle
        engine.initialize(config);
        engine.run_postprocessor("Ths.");
        engine.free_resources();
    }
    const double cycled = rss_mb();
    std::printf(
        "RSS (MB): before initialize %.1f, after initialize+run %.1f, after free_resources %.1f, "
        "after 2 more load/free cycles %.1f; model file %.1f MB\n",
        before, loaded, freed, cycled, model_mb);
    RecordProperty("rss_before_mb", std::to_string(before));
    RecordProperty("rss_loaded_mb", std::to_string(loaded));
    RecordProperty("rss_freed_mb", std::to_string(freed));
    EXPECT_GT(loaded - before, 0.5 * model_mb) << "loading should map most of the model";
    EXPECT_LT(freed - before, 0.1 * (loaded - before) + 8.0) << "free_resources must give the memory back";
    EXPECT_LT(cycled - freed, 8.0) << "each load/free cycle must not leak";
}
