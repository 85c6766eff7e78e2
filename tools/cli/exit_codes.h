// Exit codes shared by every ocrfix command; --help and the README document the same list.
#pragma once

#include "ocrfix/error.h"

namespace ocrfix::cli {

enum ExitCode : int {
    kOk = 0,
    kFailure = 1,       // inference or server failure
    kUsage = 2,         // bad command line or setting
    kModelProblem = 3,  // model missing, corrupt, or not downloadable
    kBadInput = 4,      // input not valid UTF-8, unreadable, not a valid layout file, or output not writable
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  runtime failure (inference, server)\n"
    "  2  usage error (unknown flag, bad value)\n"
    "  3  model missing, corrupt or not downloadable\n"
    "  4  input not valid UTF-8, unreadable or not a valid hOCR/ALTO/PAGE file, an image or\n"
    "     PDF that cannot be read, OCR language data missing, or output not writable\n"
    "  130 a batch (correct --output-dir) was interrupted; run it again to finish";

// Commands report failures by throwing ocrfix::Error; main() turns the category into the
// documented exit code at this one place.
inline int exit_code_for(ErrorCategory category) {
    switch (category) {
        case ErrorCategory::model_not_found:
        case ErrorCategory::model_invalid:
        case ErrorCategory::download: return kModelProblem;
        case ErrorCategory::invalid_input:
        case ErrorCategory::io: return kBadInput;
        case ErrorCategory::invalid_argument: return kUsage;
        case ErrorCategory::not_initialized:
        case ErrorCategory::runtime: return kFailure;
    }
    return kFailure;
}

}  // namespace ocrfix::cli
