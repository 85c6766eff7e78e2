// The worker processes of `ocrfix correct --output-dir`. Each is this same program run as
// `ocrfix batch-worker` (a hidden command), holding one Engine, and speaks JSON lines:
//
//   parent -> worker (stdin):  {"input", "output", "temp", "format", "layout"}
//                              (paths as batch_plan.h's path_to_json writes them; "layout":
//                              an hOCR, ALTO or PAGE file is written back as such)
//   worker -> parent (stdout): {"ready": true, "load_seconds", "rss_kb"} once the model is
//                              loaded, then per file
//                              {"ok": true, "chars", "edits", "bytes", "sha256", "rss_kb"} or
//                              {"ok": false, "category", "error"};
//                              {"fatal": true, "category", "error"} when the model cannot load
//
// A worker writes the output to "temp" (in OUT/.ocrfix/tmp) and renames it to "output",
// so an output is whole or absent. It ends at EOF on stdin, and when its parent dies.
#pragma once

#include <sys/types.h>

#include <string>

#include "ocrfix/error.h"
#include "ocrfix/model_config.h"

namespace ocrfix::cli {

struct WorkerProcess {
    pid_t pid = -1;
    int to_worker = -1;    // its stdin
    int from_worker = -1;  // its stdout
};

// Starts `ocrfix batch-worker` with `config` passed through the OCRFIX_* environment, in
// a process group of its own (Ctrl-C reaches the parent, which winds the batch down).
// Throws ocrfix::Error(runtime) when the process cannot be started.
WorkerProcess spawn_worker(const ModelConfig& config);

// "invalid_input" -> ErrorCategory::invalid_input; unknown names are runtime.
ErrorCategory category_from_name(std::string_view name);

}  // namespace ocrfix::cli
