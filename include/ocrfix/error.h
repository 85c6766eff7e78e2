// ocrfix::Error: the one exception type ocrfix throws, with a category callers can branch on.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ocrfix {

enum class ErrorCategory {
    invalid_argument,  // a setting or argument is out of range or malformed
    invalid_input,     // the text to correct is not valid UTF-8, or too large
    model_not_found,   // no GGUF file matches the configuration
    model_invalid,     // the file exists but llama.cpp cannot load it (corrupt, truncated)
    download,          // fetching a model failed (HTTP status, checksum, disk)
    io,                // reading or writing a local file failed
    not_initialized,   // an Engine method that needs a model was called without one
    runtime,           // inference failed (out of memory, context overflow)
};

// Stable lower-case name of a category ("model_not_found"), used by the CLI and bindings.
std::string_view to_string(ErrorCategory category) noexcept;

// Messages say what went wrong and what to do next, in one paragraph.
class Error : public std::runtime_error {
public:
    Error(ErrorCategory category, const std::string& message)
        : std::runtime_error(message), category_(category) {}
    ErrorCategory category() const noexcept { return category_; }

private:
    ErrorCategory category_;
};

}  // namespace ocrfix
