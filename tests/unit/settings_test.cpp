#include "ocrfix/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "ocrfix/error.h"

TEST(Settings, EveryRowIsCompleteAndUnique) {
    std::set<std::string_view> names, envs;
    for (const auto& setting : ocrfix::model_settings()) {
        EXPECT_FALSE(setting.help.empty()) << setting.name;
        EXPECT_TRUE(setting.env.starts_with("OCRFIX_")) << setting.name;
        EXPECT_TRUE(names.insert(setting.name).second) << setting.name;
        EXPECT_TRUE(envs.insert(setting.env).second) << setting.env;
    }
    EXPECT_GE(names.size(), 11u);
}

TEST(Settings, DefaultsFollowTheSeedSdk) {
    const ocrfix::ModelConfig config;
    EXPECT_EQ(ocrfix::get_setting(config, "hugging_face_quantization"), "q4_k_m");
    EXPECT_EQ(ocrfix::get_setting(config, "gpu_layers"), "40");
    EXPECT_EQ(ocrfix::get_setting(config, "context_size"), "0");
    EXPECT_EQ(ocrfix::get_setting(config, "tier"), "balanced");
}

TEST(Settings, ParseAndReject) {
    ocrfix::ModelConfig config;
    ocrfix::set_setting(config, "gpu_layers", "12");
    ocrfix::set_setting(config, "allow_auto_download", "no");
    EXPECT_EQ(config.gpu_layers, 12);
    EXPECT_FALSE(config.allow_auto_download);
    EXPECT_THROW(ocrfix::set_setting(config, "gpu_layers", "twelve"), ocrfix::Error);
    EXPECT_THROW(ocrfix::set_setting(config, "no_such_setting", "1"), ocrfix::Error);
    config.tier = "turbo";
    EXPECT_THROW(ocrfix::validate(config), ocrfix::Error);
}

TEST(Settings, EnvironmentOverridesDefaults) {
    setenv("OCRFIX_THREADS", "3", 1);
    setenv("OCRFIX_TIER", "fast", 1);
    const auto config = ocrfix::apply_environment();
    unsetenv("OCRFIX_THREADS");
    unsetenv("OCRFIX_TIER");
    EXPECT_EQ(config.threads, 3);
    EXPECT_EQ(config.tier, "fast");
}
