// A one-line download progress bar on stderr, for callers without their own (the engine
// and the Python package); the CLI draws its own.
#pragma once

#include "store/download.h"

namespace ocrfix::store {

// A callback that redraws "file  42% [=====     ] 38.0/90.1 MB" on stderr when stderr is
// a terminal, and does nothing otherwise (logs stay clean).
ProgressCallback terminal_progress_bar();

}  // namespace ocrfix::store
