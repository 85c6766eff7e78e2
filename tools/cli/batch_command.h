// `ocrfix correct --output-dir OUT FILES|DIRS...`: many files, one output each, corrected
// by --jobs worker processes (batch_worker.h), resumable (batch_plan.h).
#pragma once

#include <string>
#include <vector>

#include "ocrfix/model_config.h"

namespace ocrfix::cli {

struct BatchArguments {
    std::vector<std::string> inputs;
    std::string output_dir;
    std::string format;  // "" = by each input's extension
    int jobs = 0;        // 0 = one per usable core (fewer when there are fewer files)
    ModelConfig config;
};

// Runs the batch and prints its summary on stderr. Returns the exit code: 0 when every
// file is done, 4 when some failed and all of those for their input (unreadable, not
// UTF-8), 1 when some failed otherwise, 130 when interrupted. Throws ocrfix::Error for
// what stops the whole batch (bad arguments, a model that does not load, OUT unwritable).
int run_batch(const BatchArguments& arguments);

}  // namespace ocrfix::cli
