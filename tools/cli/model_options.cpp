#include "model_options.h"

#include <algorithm>

#include "ocrfix/settings.h"

namespace ocrfix::cli {

void ModelOptions::add_to(CLI::App& command, const std::vector<std::string_view>& only) {
    const ModelConfig defaults;
    for (const auto& setting : model_settings()) {
        if (!only.empty() && std::find(only.begin(), only.end(), setting.name) == only.end()) continue;
        std::string help(setting.help);
        if (setting.name == "gpu_layers") help += "; llama.cpp's -ngl works too";
        auto* option = command.add_option(std::string(setting.cli_flags), given_[std::string(setting.name)],
                                          help + " [env " + std::string(setting.env) + "]");
        option->default_str(setting.get(defaults));
        option->type_name(setting.type == SettingType::integer   ? "INT"
                          : setting.type == SettingType::boolean ? "BOOL"
                                                                 : "TEXT");
        option->group("Model options");
    }
}

ModelConfig ModelOptions::config() const {
    // Flags win over the environment, which wins over the defaults.
    ModelConfig config = apply_environment();
    for (const auto& [name, value] : given_)
        if (!value.empty()) set_setting(config, name, value);
    validate(config);
    return config;
}

void rewrite_llama_style_flags(std::vector<std::string>& args) {
    for (auto& arg : args) {
        if (arg == "-ngl") arg = "--ngl";
        else if (arg.rfind("-ngl=", 0) == 0) arg = "-" + arg;
    }
}

}  // namespace ocrfix::cli
