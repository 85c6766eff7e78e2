// What this process may use of the machine, as a container or a CPU affinity mask limits
// it: cores counted as inference wants them (physical cores, hyperthread siblings once,
// within the affinity mask and a cgroup CPU quota: a container limited to 2 CPUs on a
// 64-core host gets 2), and memory (MemAvailable, or less under a cgroup memory limit).
// llama.cpp slows down when it runs more threads than there are cores to run them, and a
// batch that starts more models than memory holds is killed.
#pragma once

#include <cstdint>

namespace ocrfix::llm {

// At least 1.
int usable_cores();

// Bytes this process could still allocate: the smaller of MemAvailable and the room left
// under its cgroup's memory limit (v1 or v2). 0 when neither can be read.
std::uint64_t usable_memory();

}  // namespace ocrfix::llm
