// How many CPU cores this process may use, counted as inference wants them: physical
// cores (hyperthread siblings count once), within the CPU affinity mask and a cgroup CPU
// quota (a container limited to 2 CPUs on a 64-core host gets 2). llama.cpp slows down
// when it runs more threads than there are cores to run them.
#pragma once

namespace ocrfix::llm {

// At least 1.
int usable_cores();

}  // namespace ocrfix::llm
