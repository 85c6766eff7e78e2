// Locating the real default model for the `model` test tier.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "lexicon/lexicon.h"
#include "store/model_store.h"

namespace ocrfix::testing {

inline bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

// True when `make models` installed the lexicons.
inline bool lexicons_installed() {
    return !lexicon::available_languages(lexicon::default_lexicon_dir()).empty();
}

// Path of the installed default model, or "" when it is not installed.
inline std::string default_model_path() {
    const auto found = store::find_local(ModelConfig{});
    return found ? found->string() : std::string();
}

}  // namespace ocrfix::testing

// Skips the test loudly when the default model is missing; fails it under CI=true.
#define OCRFIX_REQUIRE_DEFAULT_MODEL(path_variable)                                                    \
    const std::string path_variable = ::ocrfix::testing::default_model_path();                       \
    if (path_variable.empty()) {                                                                        \
        if (::ocrfix::testing::running_in_ci()) FAIL() << "default model missing in CI: run `make models`"; \
        GTEST_SKIP() << "SKIPPED: the default model is not installed; run `make models` to test with it"; \
    }

// Skips the test loudly when the lexicons are missing; fails it under CI=true.
#define OCRFIX_REQUIRE_LEXICONS()                                                                        \
    if (!::ocrfix::testing::lexicons_installed()) {                                                     \
        if (::ocrfix::testing::running_in_ci()) FAIL() << "lexicons missing in CI: run `make models`"; \
        GTEST_SKIP() << "SKIPPED: lexicons not installed; run `make models`";                         \
    }
