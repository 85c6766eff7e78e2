// ModelConfig for Python, generated from the settings table (STYLE.md item 6): every row
// becomes a keyword argument of ModelConfig(...) and a typed property, so a field added
// to the table appears here without a second list.
#include <nanobind/stl/string.h>

#include <string>

#include "bindings.h"
#include "ocrfix/settings.h"

namespace nb = nanobind;

namespace ocrfix::python {

namespace {

const char* python_type(SettingType type) {
    switch (type) {
        case SettingType::text:
            return "str";
        case SettingType::integer:
            return "int";
        case SettingType::boolean:
            return "bool";
    }
    return "object";
}

nb::object to_python(const SettingInfo& setting, const ModelConfig& config) {
    const std::string value = setting.get(config);
    switch (setting.type) {
        case SettingType::integer:
            return nb::int_(std::stoll(value));
        case SettingType::boolean:
            return nb::bool_(value == "true");
        case SettingType::text:
            break;
    }
    return nb::str(value.data(), value.size());
}

void set_from_python(ModelConfig& config, const SettingInfo& setting, nb::handle value) {
    const bool is_bool = PyBool_Check(value.ptr());
    const bool fits = setting.type == SettingType::boolean   ? is_bool
                      : setting.type == SettingType::integer ? (PyLong_Check(value.ptr()) && !is_bool)
                                                             : PyUnicode_Check(value.ptr());
    if (!fits)
        throw nb::type_error(("ModelConfig." + std::string(setting.name) + " must be " +
                              python_type(setting.type) + ", not " +
                              nb::cast<std::string>(nb::str(value.type().attr("__name__"))))
                                 .c_str());
    // Through the table's text parser, so ranges are checked in one place.
    setting.set(config, setting.type == SettingType::boolean ? (value.ptr() == Py_True ? "true" : "false")
                                                             : nb::cast<std::string>(nb::str(value)));
}

std::string known_names() {
    std::string names;
    for (const auto& setting : model_settings())
        names += (names.empty() ? "" : ", ") + std::string(setting.name);
    return names;
}

}  // namespace

void bind_model_config(nb::module_& module) {
    nb::class_<ModelConfig> cls(
        module, "ModelConfig",
        "Which model to load and how. Keyword arguments and attributes are the settings "
        "table's rows (see model_settings()); the seed SDK's AsposeAIModelConfig names.");
    cls.def("__init__", [](ModelConfig* self, nb::kwargs kwargs) {
        new (self) ModelConfig();
        for (const auto& [key, value] : kwargs) {
            const std::string name = nb::cast<std::string>(key);
            const SettingInfo* setting = find_setting(name);
            if (!setting)
                throw nb::type_error(("ModelConfig() got an unexpected keyword argument '" + name +
                                      "'; the settings are: " + known_names())
                                         .c_str());
            set_from_python(*self, *setting, value);
        }
    });
    for (const auto& setting : model_settings()) {
        const SettingInfo* info = &setting;
        // The table's names are string literals, alive for the whole process.
        cls.def_prop_rw(
            setting.name.data(), [info](const ModelConfig& config) { return to_python(*info, config); },
            [info](ModelConfig& config, nb::handle value) { set_from_python(config, *info, value); },
            setting.help.data());
    }
    cls.def("__eq__", [](const ModelConfig& a, const ModelConfig& b) {
        for (const auto& setting : model_settings())
            if (setting.get(a) != setting.get(b)) return false;
        return true;
    });
    cls.def("__repr__", [](const ModelConfig& config) {
        std::string text = "ModelConfig(";
        bool first = true;
        for (const auto& setting : model_settings()) {
            text += (first ? "" : ", ") + std::string(setting.name) + "=" +
                    nb::cast<std::string>(nb::repr(to_python(setting, config)));
            first = false;
        }
        return text + ")";
    });
    cls.def("validate", &validate, "Raises InvalidArgumentError for values that parse but make no sense.");

    module.def(
        "model_settings",
        [] {
            nb::list rows;
            const ModelConfig defaults;
            for (const auto& setting : model_settings()) {
                nb::dict row;
                row["name"] = std::string(setting.name);
                row["type"] = python_type(setting.type);
                row["default"] = to_python(setting, defaults);
                row["env"] = std::string(setting.env);
                row["cli_flags"] = std::string(setting.cli_flags);
                row["help"] = std::string(setting.help);
                rows.append(row);
            }
            return rows;
        },
        "Every ModelConfig setting as a dict: name, type, default, env, cli_flags, help.");
    module.def(
        "apply_environment", [](const ModelConfig& base) { return apply_environment(base); },
        nb::arg("base") = ModelConfig{}, "`base` with every OCRFIX_* environment variable applied.");
}

}  // namespace ocrfix::python
