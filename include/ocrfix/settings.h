// The settings table: every ModelConfig field described once (name, environment variable,
// help). The CLI flags, the server's JSON fields, the Python kwargs and the docs are all
// generated from this list, so a new field is added in exactly two places: the struct and
// the table in src/engine/settings.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ocrfix/model_config.h"

namespace ocrfix {

enum class SettingType { text, integer, boolean };

struct SettingInfo {
    std::string_view name;        // the field, Python kwarg and JSON key: "gpu_layers"
    std::string_view cli_flags;   // CLI11 flag list: "--ngl,--gpu-layers" (the CLI maps -ngl)
    std::string_view env;         // environment variable: "OCRFIX_GPU_LAYERS"
    std::string_view help;        // one line
    SettingType type;
    std::string (*get)(const ModelConfig&);                // the value, as text
    void (*set)(ModelConfig&, std::string_view value);  // parses; throws Error(invalid_argument)
};

// All settings, in display order.
const std::vector<SettingInfo>& model_settings();
const SettingInfo* find_setting(std::string_view name);

// Sets one field by name from text; throws ocrfix::Error(invalid_argument) for an unknown
// name or a value that does not parse or is out of range.
void set_setting(ModelConfig& config, std::string_view name, std::string_view value);
std::string get_setting(const ModelConfig& config, std::string_view name);

// `base` with every OCRFIX_* environment variable of the table applied.
ModelConfig apply_environment(ModelConfig base = {});

// Checks values that parse but make no sense (negative sizes, unknown tier); throws
// ocrfix::Error(invalid_argument) naming the field and the allowed values.
void validate(const ModelConfig& config);

}  // namespace ocrfix
