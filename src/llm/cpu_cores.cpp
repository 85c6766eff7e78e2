#include "llm/cpu_cores.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <string>
#include <thread>

namespace ocrfix::llm {

namespace {

// Physical cores among the CPUs this process may run on: CPUs with the same
// topology/core_cpus_list are hyperthreads of one core. 0 when the topology is unreadable.
int physical_cores_in_affinity() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    std::set<std::string> cores;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &set)) continue;
        const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
        std::ifstream siblings(base + "core_cpus_list");
        if (!siblings) siblings.open(base + "thread_siblings_list");  // kernels before 5.7
        std::string line;
        if (!std::getline(siblings, line)) return CPU_COUNT(&set);  // no topology: count CPUs
        cores.insert(line);
    }
    return static_cast<int>(cores.size());
}

// CPUs a cgroup v2 quota allows ("200000 100000" in cpu.max = 2), 0 when unlimited.
int cgroup_cpu_limit() {
    std::ifstream file("/sys/fs/cgroup/cpu.max");
    std::string quota;
    double period = 0;
    if (!(file >> quota >> period) || quota == "max" || period <= 0) return 0;
    try {
        return std::max(1, static_cast<int>(std::ceil(std::stod(quota) / period)));
    } catch (...) {
        return 0;
    }
}

}  // namespace

int usable_cores() {
    static const int cores = [] {
        int count = physical_cores_in_affinity();
        if (count <= 0) count = static_cast<int>(std::thread::hardware_concurrency());
        if (const int limit = cgroup_cpu_limit(); limit > 0) count = std::min(count, limit);
        return std::max(1, count);
    }();
    return cores;
}

}  // namespace ocrfix::llm
